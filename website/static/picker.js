// The comparison takes a limited number of brands (the form's data-max): once that many
// are ticked, the other boxes are disabled until one is unticked. Without JavaScript the
// server says the same in words when too many come in.
document.querySelectorAll("form.picker[data-max]").forEach((form) => {
  const max = Number(form.dataset.max);
  const boxes = Array.from(form.querySelectorAll('input[type="checkbox"][name="brands"]'));
  const update = () => {
    const full = boxes.filter((box) => box.checked).length >= max;
    boxes.forEach((box) => {
      box.disabled = full && !box.checked;
    });
  };
  form.addEventListener("change", update);
  update();
});
