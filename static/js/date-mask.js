/* Dates typed as dd.mm.yyyy (and dd.mm.yyyy hh:mm) in one text field, the same in Russian,
   Kazakh and English: digits only, the separators come by themselves.
   Inputs opt in with data-date-mask="date" or "datetime". */
(function () {
  "use strict";
  function format(digits, withTime) {
    let out = digits.slice(0, 2);
    if (digits.length > 2) out += "." + digits.slice(2, 4);
    if (digits.length > 4) out += "." + digits.slice(4, 8);
    if (withTime && digits.length > 8) out += " " + digits.slice(8, 10);
    if (withTime && digits.length > 10) out += ":" + digits.slice(10, 12);
    return out;
  }
  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!input.matches || !input.matches("input[data-date-mask]")) return;
    // deleting keeps what the user left; typing and pasting re-format
    if (event.inputType && event.inputType.indexOf("delete") === 0) return;
    const value = input.value;
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) return;
    const formatted = format(value.replace(/\D/g, ""), input.dataset.dateMask === "datetime");
    if (formatted !== value) input.value = formatted;
  });
})();
