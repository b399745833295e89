// A header checkbox <input type="checkbox" data-select-all="NAME"> ticks or clears every
// checkbox named NAME on the page (the queue's "select all").
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[type=checkbox][data-select-all]")) return;
  var name = box.getAttribute("data-select-all");
  document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (other) {
    if (!other.disabled) other.checked = box.checked;
  });
});
