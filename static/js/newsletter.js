// Live campaign progress: poll the small JSON endpoint while the campaign is sending.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh).
(function () {
  const box = document.querySelector("[data-progress-live]");
  if (!box) return;
  const bar = document.getElementById("progress-bar");
  const label = document.querySelector("label[for='progress-bar']");
  const state = document.querySelector("[data-progress-state]");
  async function tick() {
    try {
      const response = await fetch(box.dataset.progressUrl, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
      label.textContent = data.percent + "% done";
      state.textContent = data.state;
      for (const key of ["sent", "failed", "skipped", "remaining"]) {
        const cell = box.querySelector("[data-progress='" + key + "']");
        if (cell) cell.textContent = data[key];
      }
      if (data.remaining === 0) return;
    } catch (error) {
      // A network hiccup: try again at the next tick.
    }
    setTimeout(tick, 3000);
  }
  setTimeout(tick, 3000);
})();
