// After htmx replaces part of a page, keep the keyboard where the clerk was: a form may
// name (data-then-focus) the element to focus once its answer is in place.
document.addEventListener("htmx:afterSettle", function (event) {
  var config = event.detail.requestConfig;
  var target = config && config.elt && config.elt.getAttribute("data-then-focus");
  var element = target && document.getElementById(target);
  if (element) {
    var details = element.closest("details");
    if (details) { details.open = true; }
    element.focus({preventScroll: true});
  }
});
