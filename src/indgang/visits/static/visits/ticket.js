/* The citizen's ticket page follows its status: every 10 seconds while visible, every minute
 * while the tab is hidden. Without JavaScript the page refreshes itself instead. */
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-status-url");
  var text = box.querySelector("[data-status-text]");
  var cancel = document.querySelector("[data-cancel-form]");
  var VISIBLE = 10000, HIDDEN = 60000, MAX_DELAY = 120000;
  var failures = 0, timer = null, lastStatus = null;

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, delay);
  }

  function normalDelay() {
    return document.hidden ? HIDDEN : VISIBLE;
  }

  function check() {
    fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        if (text.textContent !== data.status_text) text.textContent = data.status_text;
        if (lastStatus && lastStatus !== data.status) {
          box.className = box.className.replace(/ticket-[a-z_]+/, "ticket-" + data.status);
          if (data.status === "called" && navigator.vibrate) navigator.vibrate([300, 100, 300]);
        }
        lastStatus = data.status;
        if (cancel && data.status !== "waiting") cancel.hidden = true;
        if (!data.open) return;  // served, cancelled or no-show: nothing more will change
        schedule(normalDelay());
      })
      .catch(function () {
        failures += 1;
        schedule(Math.min(normalDelay() * Math.pow(2, failures), MAX_DELAY));
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) schedule(0);
  });
  schedule(VISIBLE);
})();
