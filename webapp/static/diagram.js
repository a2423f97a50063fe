// The process diagram is wider than the page: open its figure on the current step, in the middle.
// Without scripts the figure opens at the process's start and scrolls as usual.
"use strict";
document.querySelectorAll(".bpmn-figure").forEach((figure) => {
  const here = figure.querySelector("g.shape.current");
  if (!here || figure.scrollWidth <= figure.clientWidth) return;
  const step = here.getBoundingClientRect();
  const frame = figure.getBoundingClientRect();
  figure.scrollLeft += step.left + step.width / 2 - (frame.left + frame.width / 2);
});
