/* Keyboard alone (issue 15, must hold).

   1. The main menu's groups (templates/_nav_modules.html) work without this file: each is a
   <details>, opened by its <summary> with a click, Enter or Space.  This adds what a menu is
   expected to do besides: Escape closes the open group (or the folded phone menu) and gives the
   focus back to what opened it, opening a group closes the others, and a click elsewhere or the
   focus moving on with Tab closes them.  Enter opens the phone menu like Space (its button is a checkbox). */
(function () {
  "use strict";

  function groups() {
    return document.querySelectorAll(".site-header details.nav-group");
  }

  function closeAll(except) {
    groups().forEach(function (d) {
      if (d !== except && d.open) d.open = false;
    });
  }

  function init() {
    var header = document.querySelector(".site-header");
    if (!header) return;
    var toggle = header.querySelector("#nav-toggle");

    groups().forEach(function (d) {
      d.addEventListener("toggle", function () {
        if (d.open) closeAll(d);
      });
    });

    if (toggle) {
      toggle.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          toggle.checked = !toggle.checked;
        }
      });
    }

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open = header.querySelector("details.nav-group[open]");
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
        event.preventDefault();
        return;
      }
      if (toggle && toggle.checked && header.contains(document.activeElement)) {
        toggle.checked = false;
        toggle.focus();
        event.preventDefault();
      }
    });

    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest("details.nav-group")) closeAll(null);
    });
    // Tab leaving a group closes it; a pointer's focus waits for its click (closing on the press
    // would move what is under the pointer before it is released, on the unfolded phone menu).
    var pointer = false;
    document.addEventListener("pointerdown", function () {
      pointer = true;
    });
    document.addEventListener("pointerup", function () {
      setTimeout(function () {
        pointer = false;
      }, 0);
    });
    document.addEventListener("focusin", function (event) {
      if (pointer) return;
      var inside = event.target.closest && event.target.closest("details.nav-group");
      closeAll(inside);
    });
  }

  /* 2. An htmx swap must not drop the focus to <body> (the element that had it was replaced): the
     focus goes to the same control in the new content when there is one (same id or name), else
     to the swapped region itself, made focusable for that. */
  var lastFocus = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    lastFocus = active && active !== document.body
      ? { id: active.id, name: active.getAttribute("name"), tag: active.tagName }
      : null;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    var before = lastFocus;
    var target = event.detail.elt && document.contains(event.detail.elt) ? event.detail.elt : event.detail.target;
    if (!target || !document.contains(target)) target = document.getElementById("main");
    var again = null;
    if (before && before.id) again = document.getElementById(before.id);
    if (!again && before && before.name) again = target.querySelector(before.tag + '[name="' + before.name + '"]');
    if (again) {
      again.focus();
      return;
    }
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
