/* glassboard posters: make the sheet fit one page. The server already caps
   every list; if the content is still taller than the printable page (long
   words, CJK text, a large title), whole items are taken off the end of the
   lists marked data-fit (highest number first) and counted in their
   "and N more — see online" line; paragraphs marked data-drop go last.
   Nothing is ever cut in the middle of a line. Without JavaScript the
   server's caps stand alone. */
(function () {
  "use strict";
  var sheet = document.querySelector(".sheet"), foot = document.querySelector(".p-foot");
  if (!sheet || !foot) return;
  var limit = parseFloat(getComputedStyle(sheet).minHeight);
  if (!limit) return;
  function over() {
    var s = sheet.getBoundingClientRect(), f = foot.getBoundingClientRect();
    var pad = parseFloat(getComputedStyle(sheet).paddingTop) || 0;
    return f.bottom - s.top - pad > limit + 0.5;
  }
  if (!over()) return;
  var lists = Array.prototype.slice.call(document.querySelectorAll("[data-fit]"));
  lists.sort(function (a, b) { return (+b.getAttribute("data-fit")) - (+a.getAttribute("data-fit")); });
  lists.forEach(function (list) {
    var more = document.getElementById(list.getAttribute("data-more") || "");
    while (over() && list.children.length > 1) {
      list.removeChild(list.lastElementChild);
      if (more) {
        var n = (+more.getAttribute("data-hidden") || 0) + 1;
        more.setAttribute("data-hidden", String(n));
        more.textContent = (more.getAttribute("data-format") || "+%d").replace("%d", String(n));
        more.hidden = false;
      }
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-drop]"), function (el) {
    if (over() && el.parentNode) el.parentNode.removeChild(el);
  });
})();
