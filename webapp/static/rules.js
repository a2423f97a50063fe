// The rule set's form shows, for each rule, the fields of the kind of check chosen. Without
// scripts the form does the same when "Show the fields of the chosen kinds of check" is pressed;
// with them the fields follow the choice at once and that button is not needed.
"use strict";
document.querySelectorAll("[data-without-script]").forEach((button) => { button.hidden = true; });
document.querySelectorAll("select[data-kind-select]").forEach((select) => {
  const row = select.closest("[data-rule-row]");
  const parts = row.querySelectorAll(":scope > .rule-values > [data-kinds], :scope > .rule-group");
  const show = () => {
    parts.forEach((part) => { part.hidden = !part.dataset.kinds.split(" ").includes(select.value); });
  };
  select.addEventListener("change", show);
});
