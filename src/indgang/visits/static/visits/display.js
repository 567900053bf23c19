/* The display screen: asks for new calls every second and shows, chimes and says each one.
 * All state is the id of the last call seen (`since`), so any app process can answer, and after
 * a restart or a network blip the screen simply asks again from where it was. */
(function () {
  "use strict";
  var root = document.getElementById("display");
  if (!root || !window.fetch) return;

  var url = root.getAttribute("data-calls-url");
  var since = parseInt(root.getAttribute("data-since"), 10) || 0;
  var speechLang = root.getAttribute("data-speech-lang") || "da-DK";
  var current = root.querySelector("[data-current]");
  var earlier = root.querySelector("[data-earlier]");
  var reconnecting = root.querySelector("[data-reconnecting]");
  var soundHint = root.querySelector("[data-sound-hint]");
  var EARLIER = 5, INTERVAL = 1000, MAX_DELAY = 15000;
  var failures = 0, audio = null;

  // Noscript refresh is not needed any more: the page updates itself.
  function audioContext() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    if (!audio) audio = new Ctx();
    if (audio.state === "suspended" && soundHint) soundHint.hidden = false;
    return audio;
  }

  if (soundHint) {
    soundHint.querySelector("[data-sound-button]").addEventListener("click", function () {
      var ctx = audioContext();
      if (ctx) ctx.resume();
      soundHint.hidden = true;
    });
  }

  function chime() {
    var ctx = audioContext();
    if (!ctx) return;
    [[659.25, 0], [880, 0.28]].forEach(function (tone) {
      var osc = ctx.createOscillator(), gain = ctx.createGain();
      var start = ctx.currentTime + tone[1];
      osc.type = "sine";
      osc.frequency.value = tone[0];
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.4, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.5);
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.55);
    });
  }

  function say(text) {
    if (!window.speechSynthesis || !window.SpeechSynthesisUtterance) return;
    var words = new SpeechSynthesisUtterance(text);
    words.lang = speechLang;
    words.rate = 0.9;
    window.speechSynthesis.speak(words);
  }

  function callElement(tag, call, extraClass) {
    var el = document.createElement(tag);
    el.className = "call" + (extraClass ? " " + extraClass : "");
    var number = document.createElement("span");
    number.className = "call-number";
    number.textContent = call.number;
    var arrow = document.createElement("span");
    arrow.className = "call-arrow";
    arrow.setAttribute("aria-hidden", "true");
    arrow.textContent = "→";
    var desk = document.createElement("span");
    desk.className = "call-desk";
    desk.textContent = call.desk;
    el.appendChild(number);
    el.appendChild(document.createTextNode(" "));
    el.appendChild(arrow);
    el.appendChild(document.createTextNode(" "));
    el.appendChild(desk);
    el.setAttribute("data-call-id", call.id);
    return el;
  }

  function show(call) {
    var previous = current.querySelector(".call-current");
    if (previous) {
      var item = previous.cloneNode(true);
      var li = document.createElement("li");
      li.className = "call";
      while (item.firstChild) li.appendChild(item.firstChild);
      earlier.insertBefore(li, earlier.firstChild);
      while (earlier.children.length > EARLIER) earlier.removeChild(earlier.lastChild);
    }
    var fresh = callElement("p", call, "call-current call-new");
    current.innerHTML = "";
    current.appendChild(fresh);
    window.setTimeout(function () { fresh.classList.remove("call-new"); }, 8000);
  }

  function announce(calls) {
    if (!calls.length) return;
    calls.forEach(show);
    chime();
    window.setTimeout(function () {
      calls.forEach(function (call) { say(call.spoken); });
    }, 700);
  }

  function poll() {
    fetch(url + "?since=" + encodeURIComponent(since), {
      cache: "no-store",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        reconnecting.hidden = true;
        if (typeof data.since === "number" && data.since > since) since = data.since;
        announce(data.calls || []);
        window.setTimeout(poll, INTERVAL);
      })
      .catch(function () {
        failures += 1;
        if (failures >= 2) reconnecting.hidden = false;
        window.setTimeout(poll, Math.min(INTERVAL * Math.pow(2, failures), MAX_DELAY));
      });
  }

  audioContext();
  window.setTimeout(poll, INTERVAL);
})();
