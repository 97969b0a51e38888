/* dd.mm.yyyy typed in one text field, the same in Russian, Kazakh and English:
   digits only, the dots come by themselves. Inputs opt in with data-date-mask. */
(function () {
  "use strict";
  function format(digits) {
    let out = digits.slice(0, 2);
    if (digits.length > 2) out += "." + digits.slice(2, 4);
    if (digits.length > 4) out += "." + digits.slice(4, 8);
    return out;
  }
  function onInput(event) {
    const input = event.target;
    if (!input.matches || !input.matches("input[data-date-mask]")) return;
    // deleting keeps what the user left; typing re-formats
    if (event.inputType && event.inputType.indexOf("delete") === 0) return;
    const value = input.value;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return;
    const formatted = format(value.replace(/\D/g, ""));
    if (formatted !== value) input.value = formatted;
  }
  document.addEventListener("input", onInput);
})();
