// The editor's live preview: send the Markdown to the server, show the sanitised HTML it returns.
// Without JavaScript the "Preview" button re-renders the form with the same preview.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  if (!form) { return; }
  var source = form.querySelector("[data-preview-source]");
  var target = form.querySelector("[data-preview-target]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!source || !target || !token || !window.fetch) { return; }
  var timer = null;
  var latest = 0;

  function refresh() {
    var request = ++latest;
    var body = new URLSearchParams();
    body.append("body", source.value);
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value }
    }).then(function (response) {
      return response.ok ? response.text() : Promise.reject(response.status);
    }).then(function (html) {
      // The server returns HTML that has passed the same allow-list as published posts.
      if (request === latest) { target.innerHTML = html; }
    }).catch(function () { /* keep the last preview; the Preview button still works */ });
  }

  source.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  });
  refresh();
})();

// A new post's address follows its title until the coach types one (the server does
// the same for a blank address, and adds -2, -3... when another post has it).
(function () {
  "use strict";
  var slug = document.querySelector("input[data-slug-from]");
  var title = slug && document.getElementById(slug.dataset.slugFrom);
  if (!title) { return; }

  // Django's slugify: ASCII letters, digits and hyphens, lower case.
  function slugify(text) {
    return text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase()
      .replace(/[^\w\s-]/g, "").replace(/[-\s]+/g, "-").replace(/^[-_]+|[-_]+$/g, "")
      .slice(0, slug.maxLength > 0 ? slug.maxLength : 160).replace(/-+$/, "");
  }

  var following = slug.value === "" || slug.value === slugify(title.value);
  title.addEventListener("input", function () {
    if (following) { slug.value = slugify(title.value); }
  });
  slug.addEventListener("input", function () {
    following = slug.value === "";
  });
})();
