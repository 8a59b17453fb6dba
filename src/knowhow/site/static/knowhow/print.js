// The print view's "Print" button: shown only where script runs, since it needs script to work.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("print-now");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
