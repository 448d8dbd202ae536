// Progressive enhancement for the assessment; every page works without it.
(function () {
  "use strict";
  // Quick exit replaces this page in the history, so Back does not return to it at once.
  // It cannot erase history, and the page says so.
  document.querySelectorAll("[data-quick-exit]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(link.href);
    });
  });

  // On a first visit the server has not seen the browser's time zone yet: suggest the country
  // from it (the countries with their own support numbers; any other real zone is "somewhere
  // else"; "UTC" says nothing). Zone before language, as on the server.
  var zones = document.getElementById("zone-countries");
  var country = document.querySelector("select[name=country]");
  if (zones && country) {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
      var guess = JSON.parse(zones.textContent)[zone];
      if (!guess && zone.indexOf("/") > 0 && zone.indexOf("Etc/") !== 0) { guess = "OTHER"; }
      if (guess) { country.value = guess; }
    } catch (e) { /* the server's suggestion stays */ }
  }
})();
