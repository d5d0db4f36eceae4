// "全选/全不选" on a group of the attendance list (event delegation: works on lists htmx swaps in).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-check-all]");
  if (!button) return;
  const boxes = [...button.closest("fieldset").querySelectorAll("input[type=checkbox]")];
  const all = boxes.every((box) => box.checked);
  boxes.forEach((box) => { box.checked = !all; });
});
