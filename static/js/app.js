// Behaviour every page shares, as a static file: the Content-Security-Policy allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  const language = document.getElementById("language-switcher");
  if (language) language.addEventListener("change", function () { language.form.submit(); });
});
