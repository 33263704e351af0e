// The index's search: by code, id or title, or by a pasted error text (the literal parts of a
// code's signatures found in order in the text, as the scanner does ignoring case, spaces,
// punctuation and quotes).
(function () {
  "use strict";
  var codes = window.FREEBUSY_CODES || [];
  var lang = document.documentElement.lang || "en";
  var box = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("status");

  function norm(s) {
    return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  }

  // How much literal signature text of `entry` the text `q` holds, in order (0: none).
  function signatureScore(entry, q) {
    var best = 0;
    entry.signatures.forEach(function (parts) {
      var at = 0, score = 0;
      for (var i = 0; i < parts.length; i++) {
        var p = norm(parts[i]);
        if (!p) continue;
        var found = q.indexOf(p, at);
        if (found < 0) { score = 0; break; }
        at = found + p.length;
        score += p.length;
      }
      best = Math.max(best, score);
    });
    return best;
  }

  function search(text) {
    var q = norm(text);
    var words = text.toLowerCase().trim();
    if (!q) return [];
    var hits = [];
    codes.forEach(function (e) {
      var title = e.title[lang] || e.title.en || "";
      var score = signatureScore(e, q) * 10;
      if (e.code.toLowerCase() === words) score += 100000;
      else if (e.code.toLowerCase().indexOf(words) === 0) score += 5000;
      if (e.id.indexOf(words) >= 0) score += 1000;
      Object.keys(e.title).forEach(function (l) {
        if (norm(e.title[l]).indexOf(q) >= 0) score += 500;
      });
      if (q.length >= 8) {
        e.signatures.forEach(function (parts) {
          parts.forEach(function (p) { if (norm(p).indexOf(q) >= 0) score += 200; });
        });
      }
      if (score > 0) hits.push({ entry: e, title: title, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score || (a.entry.code < b.entry.code ? -1 : 1); });
    return hits;
  }

  function show() {
    var hits = search(box.value);
    list.textContent = "";
    hits.slice(0, 20).forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = h.entry.code + ".html";
      a.className = "code";
      a.textContent = h.entry.code;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" " + h.title));
      li.dataset.code = h.entry.code;
      list.appendChild(li);
    });
    status.textContent = box.value.trim() && !hits.length ? status.dataset.none : "";
  }

  box.addEventListener("input", show);
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { box.value = initial; }
  show();
})();
