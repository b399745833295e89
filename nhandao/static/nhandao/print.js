// "In" (print) buttons and links: any element with data-print prints the page (no inline script, for the CSP).
document.addEventListener("click", (event) => {
  const trigger = event.target.closest("[data-print]");
  if (trigger) {
    event.preventDefault();
    window.print();
  }
});
