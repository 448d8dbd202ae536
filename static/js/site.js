// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  // Focus the error summary after a failed submit, so screen readers announce it.
  var errors = document.querySelector(".form-errors");
  if (errors) { errors.focus(); }

  // Clocks in the visitor's own convention (1:30 PM or 13:30, as the browser's locale has it),
  // never broken across lines.
  // The server writes 24-hour clocks in a <time data-zone>: its datetime (and data-end) are the
  // instants, in the order their clocks appear in the text.
  function clockIn(zone) {
    var format = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", timeZone: zone });
    return { format: function (instant) { return format.format(instant).replace(/\s/g, "\u00a0"); } };
  }
  document.querySelectorAll("time[data-zone]").forEach(function (element) {
    try {
      var clock = clockIn(element.getAttribute("data-zone"));
      var instants = [element.getAttribute("datetime"), element.getAttribute("data-end")];
      var next = 0;
      element.textContent = element.textContent.replace(/\b\d\d:\d\d\b/g, function (written) {
        var instant = instants[next++];
        return instant ? clock.format(new Date(instant)) : written;
      });
    } catch (e) { /* an unknown zone or an old browser: the server's clock stays */ }
  });

  // The zone search: select what is there, so typing starts a new search; the local times of
  // the zones in the list follow the visitor's convention and the time the list is opened.
  var zoneInput = document.querySelector("input[list=zone-list]");
  if (zoneInput) {
    zoneInput.addEventListener("focus", function () {
      zoneInput.select();
      var now = new Date();
      document.querySelectorAll("#zone-list option").forEach(function (option) {
        try {
          var time = clockIn(option.value).format(now);
          option.textContent = option.textContent.replace(/ · .*$/, " · " + time);
        } catch (e) { /* keep the server's time */ }
      });
    });
  }
})();
