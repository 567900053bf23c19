/* The kiosk's ticket page: a print button, and back to the start after a short while (the kiosk
 * is shared; without JavaScript a refresh in <noscript> does the same). */
(function () {
  "use strict";
  var ticket = document.querySelector("[data-return-url]");
  if (!ticket) return;
  var seconds = parseInt(ticket.getAttribute("data-return-seconds"), 10) || 20;
  var print = document.querySelector(".kiosk-print");
  if (print && window.print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
  window.setTimeout(function () {
    window.location.assign(ticket.getAttribute("data-return-url"));
  }, seconds * 1000);
})();
