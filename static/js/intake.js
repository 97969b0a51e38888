/* The intake desk: the checklist follows tenure and re-application, the IIN fills what it can
   and warns about an open application elsewhere, family rows are added on demand. */
(function () {
  "use strict";
  const form = document.getElementById("intake-form");
  if (!form) return;

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
  const elsewhere = document.getElementById("open-elsewhere");
  const serverWarning = elsewhere.querySelector("input");
  let lastLookup = "";
  function lookup() {
    const value = iin.value.trim();
    if (value === lastLookup) return;
    lastLookup = value;
    note.textContent = ""; history.textContent = "";
    if (!serverWarning) { elsewhere.hidden = true; elsewhere.textContent = ""; }
    if (value.length !== 12) return;
    fetch(form.dataset.lookupUrl + "?iin=" + encodeURIComponent(value), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (iin.value.trim() !== value) return;
        if (!data.valid) { note.textContent = data.message; note.className = "errorlist"; return; }
        note.className = "muted";
        if (data.birth_date && !birth.value) { birth.value = data.birth_date; note.textContent = form.dataset.msgSuggested; }
        if (data.person) {
          ["last_name", "first_name", "patronymic", "address", "phone"].forEach(function (name) {
            const input = document.getElementById("id_" + name);
            if (input && !input.value && data.person[name]) input.value = data.person[name];
          });
        }
        if (data.applications.length) {
          history.textContent = form.dataset.msgKnown + " " + data.applications.map(function (a) {
            return a.number + " (" + a.status + ", " + a.received + ")";
          }).join("; ");
        }
        if (data.open_elsewhere.length && !serverWarning) {
          const strong = document.createElement("strong");
          strong.textContent = form.dataset.msgOpenElsewhere + " ";
          elsewhere.textContent = "";
          elsewhere.appendChild(strong);
          elsewhere.appendChild(document.createTextNode(data.open_elsewhere.map(function (a) {
            return a.number + " (" + a.provider + ", " + a.status + ")";
          }).join("; ") + ". " + form.dataset.msgOpenCheck));
          const label = document.createElement("label");
          label.className = "check";
          const box = document.createElement("input");
          box.type = "checkbox"; box.name = "acknowledge_open_case"; box.id = "id_acknowledge_open_case";
          label.appendChild(box);
          label.appendChild(document.createTextNode(" " + form.dataset.msgOpenAck));
          elsewhere.appendChild(label);
          elsewhere.hidden = false;
        }
      });
  }
  iin.addEventListener("input", lookup);
  if (iin.value) lookup();

  // Family rows on demand: the empty row of the formset, numbered.
  const total = document.getElementById("id_family-TOTAL_FORMS");
  const rows = document.getElementById("family-rows");
  const table = document.getElementById("family-table");
  const template = document.getElementById("family-template");
  const add = document.getElementById("add-family");
  add.addEventListener("click", function () {
    const index = parseInt(total.value, 10);
    if (index >= 15) return;
    const html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__n__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    table.hidden = false;
    document.getElementById("id_family-" + index + "-full_name").focus();
  });

  // After the server asked about an incomplete package, start at the question.
  const confirm = document.getElementById("refusal-confirm");
  if (confirm) confirm.focus();
  const back = document.getElementById("back-to-checklist");
  if (back) back.addEventListener("click", function (event) {
    event.preventDefault();
    const first = document.querySelector("#checklist li.doc-missing input") || document.querySelector("#checklist input");
    if (first) first.focus();
  });
  const summary = document.getElementById("error-summary");
  if (summary && !confirm) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
})();
