// «In phiếu tài khoản»: the button is hidden without JavaScript (the browser's own Print
// command prints the same slips, webapp/static/accounts-print.css).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
