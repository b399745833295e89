/* A small editing toolbar for the story body (no library; strict CSP: this file only).
 *
 * The form keeps its <textarea data-rich-text>: without JavaScript it is the editor (HTML or plain
 * paragraphs).  With JavaScript the textarea is hidden and an editable box with a toolbar (bold,
 * italic, heading, bulleted and numbered list, link, quote) takes its place; the box's content is
 * copied back into the textarea, keeping only the tags the server's allow-list keeps
 * (stories/sanitize.py), <b>/<i> written as <strong>/<em>.  The server cleans it again with nh3.
 */
(function () {
  "use strict";

  // Browser tag -> the tag we keep.  DIV is what some browsers make of a new line.
  var KEEP = {
    P: "p", DIV: "p", BR: "br", STRONG: "strong", B: "strong", EM: "em", I: "em",
    H1: "h2", H2: "h2", H3: "h2", H4: "h2", UL: "ul", OL: "ol", LI: "li", A: "a", BLOCKQUOTE: "blockquote"
  };
  var DROP = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1 };

  function safeHref(href) {
    href = (href || "").trim();
    return /^(https?:\/\/|mailto:)/i.test(href) ? href : "";
  }

  function copyInto(source, target) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === 3) {
        target.appendChild(document.createTextNode(node.nodeValue));
        return;
      }
      if (node.nodeType !== 1 || DROP[node.tagName.toUpperCase()]) return;
      var tag = KEEP[node.tagName.toUpperCase()];
      var href = tag === "a" ? safeHref(node.getAttribute("href")) : "";
      if (!tag || (tag === "a" && !href)) {
        copyInto(node, target); // unknown tag: keep its text
        return;
      }
      var kept = document.createElement(tag);
      if (href) kept.setAttribute("href", href);
      copyInto(node, kept);
      target.appendChild(kept);
    });
  }

  // Parsed in an inert document: nothing in the text runs or loads while it is cleaned.
  function clean(html) {
    var parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    var out = document.createElement("div");
    copyInto(parsed.body, out);
    return out;
  }

  function fromPlainText(text) {
    var out = document.createElement("div");
    text.replace(/\r\n/g, "\n").split(/\n\s*\n/).forEach(function (para) {
      if (!para.trim()) return;
      var p = document.createElement("p");
      p.textContent = para.trim();
      out.appendChild(p);
    });
    return out;
  }

  function button(name, label, text, className) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "rte-button" + (className ? " " + className : "");
    b.dataset.command = name;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.textContent = text;
    return b;
  }

  function blockOf(area) {
    var value = (document.queryCommandValue("formatBlock") || "").toLowerCase().replace(/[<>]/g, "");
    var sel = window.getSelection();
    return sel && sel.anchorNode && area.contains(sel.anchorNode) ? value : "";
  }

  function setup(textarea) {
    var d = textarea.dataset;
    var toolbar = document.createElement("div");
    toolbar.className = "rte-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", d.labelToolbar || "");
    toolbar.append(
      button("bold", d.labelBold, "B", "rte-bold"),
      button("italic", d.labelItalic, "I", "rte-italic"),
      button("heading", d.labelHeading, "H"),
      button("ul", d.labelUl, "• ≡"),
      button("ol", d.labelOl, "1. ≡"),
      button("link", d.labelLink, d.labelLink || "URL", "rte-link"),
      button("quote", d.labelQuote, "❝")
    );

    var area = document.createElement("div");
    area.className = "rte-area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    if (textarea.id) {
      var label = document.querySelector('label[for="' + textarea.id + '"]');
      if (label) {
        label.id = label.id || textarea.id + "-label";
        area.setAttribute("aria-labelledby", label.id);
      }
      var help = textarea.getAttribute("aria-describedby");
      if (help) area.setAttribute("aria-describedby", help);
    }
    var start = textarea.value.indexOf("<") === -1 ? fromPlainText(textarea.value) : clean(textarea.value);
    area.append.apply(area, Array.prototype.slice.call(start.childNodes));

    var sync = function () {
      textarea.value = clean(area.innerHTML).innerHTML;
    };
    var toggleBlock = function (tag) {
      document.execCommand("formatBlock", false, blockOf(area) === tag ? "p" : tag);
    };
    var commands = {
      bold: function () { document.execCommand("bold"); },
      italic: function () { document.execCommand("italic"); },
      heading: function () { toggleBlock("h2"); },
      quote: function () { toggleBlock("blockquote"); },
      ul: function () { document.execCommand("insertUnorderedList"); },
      ol: function () { document.execCommand("insertOrderedList"); },
      link: function () {
        var href = window.prompt(d.labelLinkPrompt || "URL", "https://");
        if (href === null) return;
        if (!safeHref(href) || href.trim() === "https://") document.execCommand("unlink");
        else document.execCommand("createLink", false, safeHref(href));
      }
    };
    var refresh = function () {
      ["bold", "italic"].forEach(function (name) {
        var on = false;
        try { on = document.queryCommandState(name); } catch (e) { on = false; }
        toolbar.querySelector('[data-command="' + name + '"]').setAttribute("aria-pressed", String(on));
      });
    };

    // Keep the selection in the box when a button is pressed.
    toolbar.addEventListener("mousedown", function (event) {
      if (event.target.closest(".rte-button")) event.preventDefault();
    });
    toolbar.addEventListener("click", function (event) {
      var b = event.target.closest(".rte-button");
      if (!b) return;
      if (document.activeElement !== area) area.focus();
      document.execCommand("defaultParagraphSeparator", false, "p");
      commands[b.dataset.command]();
      sync();
      refresh();
    });
    area.addEventListener("input", sync);
    area.addEventListener("keyup", refresh);
    area.addEventListener("mouseup", refresh);
    area.addEventListener("focus", function () {
      document.execCommand("defaultParagraphSeparator", false, "p");
    });
    if (textarea.form) textarea.form.addEventListener("submit", sync);

    var wrap = document.createElement("div");
    wrap.className = "rte";
    wrap.append(toolbar, area);
    textarea.hidden = true;
    textarea.insertAdjacentElement("afterend", wrap);
    if (textarea.getAttribute("aria-invalid") === "true") area.setAttribute("aria-invalid", "true");
    refresh();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-rich-text]"), setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
