/* The big screen: a clock, and a guard on the minute's refresh. htmx swaps the panels only when
   the answer really is panels (not a login page after the session ended, not an error page);
   otherwise the last figures stay up and a notice says they may be old. */
(function () {
  "use strict";
  var clock = document.getElementById("screen-clock");
  var stale = document.querySelector(".screen-stale");
  function tick() {
    var now = new Date();
    // The station's time (the server's zone), whatever zone the display's computer is set to.
    var options = { hour12: false, timeZone: clock.getAttribute("data-time-zone") || undefined };
    try {
      clock.textContent = now.toLocaleTimeString(document.documentElement.lang || "zh-Hans", options);
    } catch (error) {  // an unknown zone name: the computer's own
      clock.textContent = now.toLocaleTimeString(document.documentElement.lang || "zh-Hans", { hour12: false });
    }
  }
  tick();
  setInterval(tick, 1000);

  function markStale(isStale) {
    stale.hidden = !isStale;
    document.body.classList.toggle("stale", isStale);
  }
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var ok = xhr.status === 200 && xhr.responseText.indexOf('id="screen-panels"') !== -1;
    event.detail.shouldSwap = ok;
    event.detail.isError = false;
    markStale(!ok);
  });
  document.body.addEventListener("htmx:sendError", function () { markStale(true); });
})();
