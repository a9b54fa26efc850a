/* glassboard: refresh date-based states when a page is read after the day it
   was built, and filter the commitments list. Pages are complete without it. */
(function () {
  "use strict";
  var body = document.body;
  if (!body) return;
  var dataEl = document.getElementById("gb-data");
  var L = {};
  try { if (dataEl) L = JSON.parse(dataEl.textContent) || {}; } catch (e) { L = {}; }

  function fmt(s, args) {
    var i = 0;
    return String(s || "").replace(/%[ds]/g, function () { return String(args[i++]); });
  }
  function plural(key, n) {
    var s = n === 1 && L[key + "_one"] ? L[key + "_one"] : L[key + "_other"];
    return fmt(s, [n]);
  }
  // Dates are handled as "YYYY-MM-DD" strings and day numbers since 1970.
  function dayNum(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / 864e5) : NaN;
  }
  function isoOf(n) { return new Date(n * 864e5).toISOString().slice(0, 10); }
  function readerToday() {
    var tz = body.getAttribute("data-tz") || undefined;
    try {
      var parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date());
      var p = {};
      parts.forEach(function (x) { p[x.type] = x.value; });
      return dayNum(p.year + "-" + p.month + "-" + p.day);
    } catch (e) {
      var d = new Date();
      return Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 864e5);
    }
  }
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  function showDate(n) {
    var d = new Date(n * 864e5), y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate();
    return body.getAttribute("data-lang") === "zh-CN" ? y + "年" + (m + 1) + "月" + day + "日" : day + " " + MONTHS[m] + " " + y;
  }
  function set(list) {
    var s = {};
    String(list || "").split(/\s+/).forEach(function (d) { if (d) s[d] = true; });
    return s;
  }
  var holidays = set(L.holidays), workdays = set(L.workdays);
  function workingDays(from, to) {
    var n = 0;
    for (var d = from; d <= to && d - from < 3660; d++) {
      var iso = isoOf(d), wd = new Date(d * 864e5).getUTCDay();
      if (workdays[iso] || (wd !== 0 && wd !== 6 && !holidays[iso])) n++;
    }
    return n;
  }
  function each(sel, fn, root) { Array.prototype.forEach.call((root || document).querySelectorAll(sel), fn); }

  var built = dayNum(body.getAttribute("data-today"));
  var today = readerToday();

  /* 1. Refresh date-based states, only when the page is older than today
     and the build was not pinned to a date (glassboard build --now). */
  if (body.hasAttribute("data-live") && !isNaN(built) && !isNaN(today) && today > built && dataEl) {
    each("[data-notice]", function (el) {
      var opens = dayNum(el.getAttribute("data-opens")), closes = dayNum(el.getAttribute("data-closes"));
      var redact = dayNum(el.getAttribute("data-redacted-from"));
      if (isNaN(opens) || isNaN(closes)) return;
      var state, when;
      if (today < opens) {
        state = "upcoming"; when = plural("opens_in", opens - today);
      } else if (today <= closes) {
        state = "open"; when = plural("days_left", workingDays(today, closes));
      } else {
        state = !isNaN(redact) && today >= redact ? "redacted" : "closed"; when = L.window_over;
      }
      var old = el.getAttribute("data-state");
      el.setAttribute("data-state", state);
      each(".js-state", function (b) {
        b.textContent = L["state_" + state] || b.textContent;
        b.className = b.className.replace(/\bbadge-\w+/, "badge-" + state);
      }, el);
      each(".js-when", function (w) {
        if (when) w.textContent = when;
        w.classList.toggle("when-open", state === "open");
      }, el);
      if (old !== state) {
        el.className = el.className.replace(/\bstate-\w+/, "state-" + state);
      }
      if (state === "redacted") {
        // The reader is past the redaction day: keep the candidates out of view.
        each(".js-personal", function (p) { p.hidden = true; }, el);
        each(".js-redacted-note", function (p) { p.hidden = false; }, el);
      }
    });
    var stale = +L.stale || 90;
    each("[data-due]", function (el) {
      var due = dayNum(el.getAttribute("data-due")), last = dayNum(el.getAttribute("data-last"));
      var flags = el.querySelector(".flags");
      if (!flags) return;
      function flag(cls, icon, text) {
        var f = flags.querySelector("." + cls);
        if (!f) {
          f = document.createElement("span");
          f.className = "flag " + cls;
          var i = document.createElement("span");
          i.setAttribute("aria-hidden", "true");
          i.textContent = icon;
          var t = document.createElement("span");
          t.className = "js-text";
          f.appendChild(i);
          f.appendChild(document.createTextNode(" "));
          f.appendChild(t);
          flags.appendChild(f);
        }
        var tx = f.querySelector(".js-text");
        if (tx) tx.textContent = text;
      }
      if (!isNaN(due) && today > due) flag("flag-overdue", "\u26a0", plural("overdue_by", today - due));
      if (!isNaN(last) && today - last > stale) flag("flag-nonews", "\u25f7", plural("no_news_for", today - last));
    });
    each(".js-refreshed", function (p) {
      p.textContent = fmt(L.refreshed, [showDate(today)]);
      p.hidden = false;
    });
  }

  /* 2. Filter the commitments list by text, status or unit. */
  var form = document.getElementById("filter");
  if (form) {
    var q = form.querySelector("#f-text"), st = form.querySelector("#f-status"), un = form.querySelector("#f-unit");
    var count = form.querySelector("#f-count"), none = document.getElementById("f-none");
    var items = document.querySelectorAll(".c-item");
    var groups = document.querySelectorAll("[data-group]");
    var params = {};
    try {
      new URLSearchParams(location.search).forEach(function (v, k) { params[k] = v; });
    } catch (e) { /* old browser: no preset */ }
    function preset(sel, v) {
      if (!sel || !v) return;
      for (var i = 0; i < sel.options.length; i++) if (sel.options[i].value === v) sel.value = v;
    }
    preset(st, params.flag || params.status);
    preset(un, params.unit);
    if (q && params.q) q.value = params.q;
    var apply = function () {
      var text = q ? q.value.trim().toLowerCase() : "", s = st ? st.value : "", u = un ? un.value : "";
      var shown = 0;
      for (var i = 0; i < items.length; i++) {
        var it = items[i], ok = true;
        if (u && it.getAttribute("data-unit") !== u) ok = false;
        if (ok && s) {
          if (s === "overdue") ok = !!it.querySelector(".flag-overdue");
          else if (s === "no-news") ok = !!it.querySelector(".flag-nonews");
          else ok = it.getAttribute("data-status") === s;
        }
        if (ok && text) ok = it.textContent.toLowerCase().indexOf(text) >= 0;
        it.hidden = !ok;
        if (ok) shown++;
      }
      for (var j = groups.length - 1; j >= 0; j--) {
        groups[j].hidden = !groups[j].querySelector(".c-item:not([hidden])");
      }
      if (count) count.textContent = text || s || u ? fmt(L.shown, [shown, items.length]) : "";
      if (none) none.hidden = shown > 0;
      body.classList.toggle("filtering", !!(text || s || u));
    };
    var timer;
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.hidden = false;
    apply();
  }

  /* 3. Poster check: a poster's QR code opens the record with ?v=CODE. */
  var codeBox = document.querySelector("[data-code]");
  var scanned = /[?&]v=([0-9a-fA-F]{8})(?:&|$)/.exec(location.search || "");
  if (codeBox && scanned) {
    var v = scanned[1].toLowerCase(), cur = codeBox.getAttribute("data-code");
    var res = codeBox.querySelector(".code-result");
    if (res) {
      var ok = v === cur;
      res.textContent = ok ? fmt(res.getAttribute("data-match"), [v]) : fmt(res.getAttribute("data-stale"), [v, cur]);
      res.className += ok ? " code-ok" : " code-stale";
      res.hidden = false;
    }
  }
})();
