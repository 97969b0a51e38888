// Worklist selection, as progressive enhancement: without JavaScript "select all on page" is
// sent as a field and the server takes the page's ids; with it, the rows show the choice.
document.addEventListener("DOMContentLoaded", function () {
  const all = document.getElementById("select-all");
  const rows = Array.from(document.querySelectorAll("input.row-select"));
  const status = document.getElementById("bulk-selected");
  if (!all || rows.length === 0) return;
  const label = status ? status.dataset.label || "" : "";

  function announce() {
    const checked = rows.filter(function (box) { return box.checked; }).length;
    all.checked = checked === rows.length;
    all.indeterminate = checked > 0 && checked < rows.length;
    if (status && label) status.textContent = label + " " + String(checked);
  }

  all.addEventListener("change", function () {
    rows.forEach(function (box) { box.checked = all.checked; });
    announce();
  });
  rows.forEach(function (box) { box.addEventListener("change", announce); });
  announce();
});
