// The intake desk's check before submitting: an open case of the same service for this IIN
// at any provider (API.md "open_case_elsewhere"). Without JavaScript the case page shows it.
document.addEventListener("DOMContentLoaded", function () {
  const box = document.getElementById("open-elsewhere");
  if (!box) return;
  const input = document.querySelector('[name="' + box.dataset.field + '"]');
  if (!input) return;

  function show(cases) {
    box.replaceChildren();
    cases.forEach(function (item) {
      const line = document.createElement("p");
      line.textContent = item.message;
      box.appendChild(line);
    });
  }

  function check() {
    const iin = input.value.trim();
    if (!/^\d{12}$/.test(iin)) { show([]); return; }
    fetch(box.dataset.url + "?iin=" + encodeURIComponent(iin), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { cases: [] }; })
      .then(function (body) { show(body.cases || []); })
      .catch(function () { show([]); });
  }

  input.addEventListener("change", check);
  input.addEventListener("blur", check);
  check();
});
