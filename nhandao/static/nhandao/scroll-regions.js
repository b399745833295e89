// A table or box that scrolls sideways (a wide table on a phone) must be reachable by keyboard, so
// that its hidden columns can be scrolled into view with the arrow keys (WCAG 2.1.1; axe's
// scrollable-region-focusable).  One place for every page, no inline script (CSP).
(() => {
  const mark = () => {
    for (const el of document.querySelectorAll("main *")) {
      if (el.hasAttribute("tabindex") || el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1) continue;
      const style = getComputedStyle(el);
      if (!/(auto|scroll)/.test(style.overflowX + style.overflowY)) continue;
      el.setAttribute("tabindex", "0");
      if (!el.hasAttribute("role")) el.setAttribute("role", "region");
      if (!el.hasAttribute("aria-label")) {
        const caption = el.querySelector("caption, h2, h3, th");
        el.setAttribute("aria-label", (caption ? caption.textContent : document.title).trim().slice(0, 80));
      }
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("resize", mark);
})();
