// The visitor's time zone, from the first page on. Loaded in <head>, before anything is drawn.
// The server reads the "tz" cookie. A page that had to guess the zone (data-guessed names the
// one it used) is loaded once more at once if the browser's zone differs, so times never show
// in the coach's zone first. Without JavaScript the page's zone list still works.
(function () {
  "use strict";
  function storedZone() {
    var found = document.cookie.match(/(?:^|;\s*)tz=([^;]*)/);
    try { return found ? decodeURIComponent(found[1]) : ""; } catch (e) { return ""; }
  }
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || storedZone() === zone) { return; }  // known already: never a second reload
  document.cookie = "tz=" + encodeURIComponent(zone) + ";path=/;max-age=31536000;samesite=lax";
  var guessed = document.currentScript && document.currentScript.getAttribute("data-guessed");
  if (guessed && guessed !== zone && storedZone() === zone) {  // cookies off: no reload
    window.location.replace(window.location.href);
  }
})();
