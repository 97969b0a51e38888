// The intake desk: checklist by tenure and re-application, IIN lookup (moved out of the
// template so that the Content-Security-Policy needs no inline script).
(function () {
  const form = document.getElementById("intake-form");
  const tenure = document.getElementById("id_tenure");
  const reapply = document.getElementById("id_is_reapplication");
  function refreshChecklist() {
    document.querySelectorAll("#checklist li").forEach(function (li) {
      let show = true;
      if (li.dataset.rent && tenure.value !== "leb_private_rental") show = false;
      if (reapply.checked && !li.dataset.reapply) show = false;
      li.hidden = !show;
      li.querySelectorAll("input").forEach(function (input) { input.disabled = !show; });
    });
  }
  tenure.addEventListener("change", refreshChecklist);
  reapply.addEventListener("change", refreshChecklist);
  refreshChecklist();

  const iin = document.getElementById("id_iin");
  const birth = document.getElementById("id_birth_date");
  const note = document.getElementById("iin-note");
  const history = document.getElementById("iin-history");
  const lookupUrl = form.dataset.lookupUrl;
  const suggested = form.dataset.suggested;
  const known = form.dataset.known;
  iin.addEventListener("input", function () {
    const value = iin.value.trim();
    note.textContent = ""; history.textContent = "";
    if (value.length !== 12) return;
    fetch(lookupUrl + "?iin=" + encodeURIComponent(value), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.valid) { note.textContent = data.message; note.className = "errorlist"; return; }
        note.className = "muted";
        if (data.birth_date && !birth.value) { birth.value = data.birth_date; note.textContent = suggested; }
        if (data.person) {
          ["last_name", "first_name", "patronymic", "address", "phone"].forEach(function (name) {
            const input = document.getElementById("id_" + name);
            if (input && !input.value && data.person[name]) input.value = data.person[name];
          });
        }
        if (data.applications.length) {
          history.textContent = known + " " + data.applications.map(function (a) { return a.number + " (" + a.status + ", " + a.received + ")"; }).join("; ");
        }
      });
  });
})();
