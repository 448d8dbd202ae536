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

// The campaign form's live audience count: as the coach picks topics, stages, assessment or
// dates, ask the count endpoint and show its answer. Without JavaScript the count shows when
// the page loads and after saving (and on the send confirmation).
(function () {
  const form = document.querySelector("form[data-audience-url]");
  if (!form) return;
  const output = document.getElementById("audience-count");
  const fields = ["topics", "stages", "assessment", "joined_from", "joined_to"];
  let timer, latest = 0;
  async function count() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (fields.includes(name)) params.append(name, value);
    }
    const asked = ++latest;
    try {
      const url = form.dataset.audienceUrl + "?" + params.toString();
      const response = await fetch(url, { credentials: "same-origin" });
      const data = await response.json();
      if (asked === latest) output.textContent = data.text;  // an older answer never wins
    } catch (error) {
      // A network hiccup: the next change asks again.
    }
  }
  form.addEventListener("change", function (event) {
    if (!fields.includes(event.target.name)) return;
    clearTimeout(timer);
    timer = setTimeout(count, 200);
  });
})();
