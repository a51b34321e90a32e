// Live refresh of the day view: every 30 s, and when the phone shows the tab again, fetch the
// figures and cards again (same search and page) and swap them in, unless the artisan is busy with them (audio playing, a folded text
// open, a button focused) or the tab is hidden. Without JavaScript the page simply stays still.
(function () {
  "use strict";
  var box = document.getElementById("live");
  if (!box || !window.fetch) { return; }
  var last = null;
  function busy() {
    var playing = Array.prototype.some.call(document.querySelectorAll("audio"), function (a) {
      return !a.paused;
    });
    return playing || box.querySelector("details[open]") !== null ||
      (document.activeElement !== null && document.activeElement !== document.body &&
       box.contains(document.activeElement));
  }
  function refresh() {
    if (document.hidden || busy()) { return; }
    fetch(box.getAttribute("data-src"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null && html !== last && !busy()) { box.innerHTML = html; last = html; }
      })
      .catch(function () { /* offline for a moment: the next tick tries again */ });
  }
  setInterval(refresh, 30000);
  document.addEventListener("visibilitychange", refresh);
})();
