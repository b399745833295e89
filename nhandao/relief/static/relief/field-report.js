// The field report form on a weak connection: what is typed is kept in the browser when it cannot
// be sent, listed as waiting, and sent when the connection returns.  Each report carries the
// client token the server made for it, so a report sent twice is stored once.
(function () {
  "use strict";
  var form = document.getElementById("field-report");
  if (!form) return;
  var KEY = "nhandao.relief.outbox";
  var list = document.getElementById("outbox");
  var status = document.getElementById("outbox-status");

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); }
  function token() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }
  function render() {
    var items = load();
    list.innerHTML = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.label;
      list.appendChild(li);
    });
    status.textContent = items.length ? status.dataset.waiting.replace("{n}", items.length) : status.dataset.empty;
  }
  function send(item) {
    var body = new URLSearchParams(item.fields);
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      // 200 with the form again means the server refused a figure: keep it for the officer.
      if (!response.ok || response.url.indexOf(item.url) !== -1) throw new Error("not stored");
    });
  }
  function flush() {
    if (!navigator.onLine) return Promise.resolve();
    var items = load();
    var chain = Promise.resolve();
    items.forEach(function (item) {
      chain = chain.then(function () {
        return send(item).then(function () {
          save(load().filter(function (other) { return other.fields.client_token !== item.fields.client_token; }));
          render();
        });
      });
    });
    return chain.catch(function () { render(); });
  }
  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return;  // online: the ordinary submit
    event.preventDefault();
    var fields = {};
    new FormData(form).forEach(function (value, name) { fields[name] = value; });
    var commune = form.querySelector("[name=commune]");
    var label = (commune && commune.selectedOptions[0] ? commune.selectedOptions[0].text : "") +
      " · " + new Date().toLocaleString("vi-VN");
    var items = load();
    items.push({ url: form.getAttribute("action") || window.location.pathname, fields: fields, label: label });
    save(items);
    // The next report typed on this page is another report: a new token.
    form.reset();
    form.querySelector("[name=client_token]").value = token();
    render();
  });
  window.addEventListener("online", flush);
  render();
  flush();
})();
