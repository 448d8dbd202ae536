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
})();
