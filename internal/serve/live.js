// glassboard serve: live reload. Added to pages by the preview server only;
// never part of a built site.
(function () {
  "use strict";
  var me = document.currentScript;
  var token = me ? me.getAttribute("data-token") : "";
  if (!window.EventSource) return;
  var es = new EventSource("/__glassboard/events");
  es.addEventListener("hello", function (e) {
    if (token && e.data !== token) location.reload();
  });
  es.addEventListener("reload", function () {
    es.close();
    location.reload();
  });
  es.addEventListener("css", function (e) {
    token = e.data;
    refreshStyles();
  });

  // Stylesheet names carry a content hash, so the new names are read from
  // a fresh copy of this page; a query string defeats any cache as well.
  function refreshStyles() {
    fetch(location.href, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .querySelectorAll('link[rel~="stylesheet"]');
        var old = document.querySelectorAll('link[rel~="stylesheet"]');
        if (fresh.length !== old.length) { location.reload(); return; }
        var stamp = String(Date.now());
        Array.prototype.forEach.call(old, function (link, i) {
          var url = new URL(fresh[i].getAttribute("href"), location.href);
          url.searchParams.set("glassboard-reload", stamp);
          var next = link.cloneNode();
          next.href = url.href;
          next.addEventListener("load", function () { link.remove(); });
          next.addEventListener("error", function () { location.reload(); });
          link.after(next);
        });
      })
      .catch(function () { location.reload(); });
  }
})();
