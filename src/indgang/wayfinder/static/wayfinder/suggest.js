/* Suggestions while typing in the wayfinder's search boxes: a progressive enhancement.

   Every <input data-wayfinder-suggest="/vejviser/forslag/"> gets a <datalist> that is filled from
   that address (JSON: {"suggestions": [{"text": …}]}) a moment after the citizen stops typing.
   The browser shows the list and announces it; choosing a suggestion only fills in the field, so
   the form is submitted exactly as without JavaScript. */
(function () {
  "use strict";
  var DELAY_MS = 200;
  var MIN_LENGTH = 2;

  function enhance(input, index) {
    var url = input.getAttribute("data-wayfinder-suggest");
    var list = document.createElement("datalist");
    var timer = null;
    var pending = null;
    var last = "";
    list.id = (input.id || "wayfinder-q-" + index) + "-suggestions";
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    // The browser's own history of earlier entries would hide the suggestions.
    input.setAttribute("autocomplete", "off");

    function fill(suggestions) {
      list.replaceChildren();
      suggestions.forEach(function (suggestion) {
        var option = document.createElement("option");
        option.value = suggestion.text;
        list.appendChild(option);
      });
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text === last) {
        return;
      }
      last = text;
      if (text.length < MIN_LENGTH) {
        fill([]);
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      fetch(url + "?" + new URLSearchParams({ q: text }), {
        headers: { Accept: "application/json" },
        signal: pending.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          fill(data.suggestions || []);
        })
        .catch(function () {
          /* Offline or aborted: the search still works, just without suggestions. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });
  }

  if (!("fetch" in window) || !("AbortController" in window)) {
    return;
  }
  document.querySelectorAll("input[data-wayfinder-suggest]").forEach(enhance);
})();
