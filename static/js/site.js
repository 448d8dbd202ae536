// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  // Remember the visitor's time zone so times are shown in it (the server reads the "tz" cookie).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=") === -1) {
      document.cookie = "tz=" + encodeURIComponent(zone) + ";path=/;max-age=31536000;samesite=lax";
    }
  } catch (e) { /* older browsers: the coach's zone is shown, with its name */ }

  // Focus the error summary after a failed submit, so screen readers announce it.
  var errors = document.querySelector(".form-errors");
  if (errors) { errors.focus(); }
})();
