// Pages that wait for something the server records (a payment Stripe confirms): look again
// every few seconds while the page says it waits ([data-poll]). The page offers a link too.
(function () {
  var waiting = document.querySelector("[data-poll]");
  if (waiting) {
    window.setTimeout(function () { window.location.reload(); }, 3000);
  }
})();
