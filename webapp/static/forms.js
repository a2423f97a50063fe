// A refused form opens on its list of what to correct: the page scrolls to it (unless it shows already) and
// it takes the focus, so that it is seen and read out at once. Each item links to its field; following the
// link puts the cursor in the field, with its label in view. Without scripts the list is still at the form's
// top, and the links still lead to the fields.
"use strict";
// Loaded with each list of errors; the page is set up once, however many forms were refused.
if (!document.documentElement.dataset.errorSummaries) {
  document.documentElement.dataset.errorSummaries = "ready";
  document.querySelectorAll("[data-error-summary]").forEach(followErrors);
}

function followErrors(summary, index) {
  if (index === 0) {
    const show = () => {
      // Where the list already shows whole, the page stays put: its title and the nomination stay in view.
      const box = summary.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) {
        summary.scrollIntoView({ block: "start", behavior: "instant" });
      }
      summary.focus({ preventScroll: true });
    };
    show();
    // A form posted to its own place on the page (action="…#form") comes back there: the browser's own
    // move to that place, once the page has loaded, would take the focus off the list again.
    if (location.hash) window.addEventListener("load", () => setTimeout(show, 0), { once: true });
  }
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-field]");
    const field = link && document.getElementById(link.dataset.field);
    if (!field) return;
    event.preventDefault();
    const label = field.closest("fieldset") || field.closest(".mb-3") || field;
    label.scrollIntoView({ block: "center", behavior: "instant" });
    field.focus({ preventScroll: true });
  });
}
