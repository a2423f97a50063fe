// The process diagram is wider than the page and its figure scrolls sideways. Two touches, which the
// figure does without when scripts are off: it opens with the current step in view, and the bands
// naming who does the work (pools and lanes) stay at its left edge while it scrolls.
"use strict";
document.querySelectorAll(".bpmn-figure").forEach((figure) => {
  const svg = figure.querySelector("svg.bpmn-diagram");
  if (!svg || figure.scrollWidth <= figure.clientWidth) return;
  const bands = svg.querySelector("g.bands");
  const follow = () => {
    const shift = figure.scrollLeft / svg.getScreenCTM().a;  // from screen pixels to the drawing's units
    if (bands) bands.setAttribute("transform", shift > 0 ? `translate(${shift} 0)` : "");
  };
  figure.addEventListener("scroll", follow, { passive: true });
  const here = figure.querySelector("g.shape.current");
  if (here) {
    const step = here.getBoundingClientRect();
    const frame = figure.getBoundingClientRect();
    const margin = 80;  // room for the step's tag and for what leads to it
    if (step.left < frame.left + margin || step.right > frame.right - margin) {
      figure.scrollLeft += step.left + step.width / 2 - (frame.left + frame.width / 2);
    }
  }
  follow();
});
