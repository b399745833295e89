// Forms that think (issue 15, point 5): static script only (strict CSP), every form of the site.
//
// 1. data-show-when="field=value[,value]" (or "field!=value") on a control or a fieldset: the
//    control's label (with its hint and errors), or the fieldset, shows only while the rule holds.
//    Without script everything shows; the server judges what is sent either way.
// 2. data-search-select="URL" on a text box: it becomes a search-as-you-type list (ARIA combobox:
//    arrows, Enter, Escape) fed by URL?q= (JSON {results: [{value, label}]}).  The code the field
//    expects goes into a hidden input of the field's name; the visible box shows the label.
(function () {
  "use strict";

  // 1. Fields that appear when they apply ------------------------------------------------------
  function currentValues(form, name) {
    var values = [];
    Array.prototype.forEach.call(form.querySelectorAll('[name="' + name + '"]'), function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) values.push(el.value || "on");
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { values.push(o.value); });
      } else {
        values.push(el.value);
      }
    });
    return values;
  }

  function parseRule(rule) {
    var m = /^\s*([\w-]+)\s*(!?=)\s*(.*)$/.exec(rule || "");
    if (!m) return null;
    return { field: m[1], negate: m[2] === "!=", values: m[3].split(",").map(function (v) { return v.trim(); }) };
  }

  function holds(form, rule) {
    var current = currentValues(form, rule.field);
    var match = current.some(function (v) { return rule.values.indexOf(v) !== -1; });
    return rule.negate ? !match : match;
  }

  function containerOf(el) {
    if (el.tagName === "FIELDSET" || el.tagName === "DIV" || el.tagName === "SECTION") return el;
    return el.closest(".field") || el.closest("label") || (el.id && document.querySelector('label[for="' + el.id + '"]')) || el;
  }

  function applyRules(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-show-when]"), function (el) {
      var rule = parseRule(el.getAttribute("data-show-when"));
      if (!rule) return;
      containerOf(el).hidden = !holds(form, rule);
    });
  }

  // 2. Search instead of long lists --------------------------------------------------------------
  var counter = 0;

  function enhanceSearch(box) {
    if (box.getAttribute("data-search-ready")) return;
    box.setAttribute("data-search-ready", "1");
    counter += 1;
    var url = box.getAttribute("data-search-select");
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = box.name;
    hidden.value = box.value;
    box.removeAttribute("name");
    box.parentNode.insertBefore(hidden, box);
    var label = box.getAttribute("data-search-label");
    if (label) box.value = label;
    box.type = "search";
    box.placeholder = box.getAttribute("data-search-placeholder") || "";
    var listId = (box.id || "search-" + counter) + "-options";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.parentNode.insertBefore(list, box.nextSibling);
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", listId);
    var active = -1;
    var timer = null;
    var picked = box.value;  // the label of the value in `hidden`
    var asked = 0;

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var opts = options();
      if (!opts.length) return;
      active = (index + opts.length) % opts.length;
      Array.prototype.forEach.call(opts, function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
      box.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      hidden.value = option.getAttribute("data-value");
      box.value = option.textContent;
      picked = box.value;
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(results) {
      list.textContent = "";
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-value", r.value);
        li.textContent = r.label;
        list.appendChild(li);
      });
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "search-none";
        none.textContent = list.getAttribute("data-none") || box.getAttribute("data-search-none") || "—";
        list.appendChild(none);
      }
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function ask() {
      var ticket = ++asked;
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(box.value), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (ticket === asked && document.activeElement === box) show(data.results || []); })
        .catch(function () {});
    }

    box.addEventListener("input", function () {
      // Typing changes the choice: until one is picked, the typed text is what is sent (the
      // server then names the problem), never the previous pick.
      hidden.value = box.value;
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    box.addEventListener("focus", function () { if (!box.value || box.value !== picked) ask(); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) ask(); else highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && !list.hidden && active >= 0) { event.preventDefault(); choose(options()[active]); }
      else if (event.key === "Escape" && !list.hidden) { event.preventDefault(); close(); }
    });
    box.addEventListener("blur", function () { setTimeout(close, 150); });
    list.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { event.preventDefault(); choose(option); }
    });
  }

  function init(root) {
    Array.prototype.forEach.call(root.querySelectorAll("input[data-search-select]"), enhanceSearch);
    Array.prototype.forEach.call(root.querySelectorAll("form"), function (form) {
      if (form.querySelector("[data-show-when]")) applyRules(form);
    });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (form && form.querySelector("[data-show-when]")) applyRules(form);
  });
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && event.target.tagName !== "TEXTAREA" && form.querySelector("[data-show-when]")) applyRules(form);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
