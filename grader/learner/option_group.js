// The options of one question (see option_group.py): a fieldset named by its legend, one
// native radio button or checkbox per option inside its label. grader/quiz/snapshot.py
// writes the same markup for a quiz page's first paint: change both together.
//
// The browser knows the options by place ("0", "1", ...) and sends the places it shows
// picked; the kernel checks them and may send back others, which are then shown.

const COUNT = Symbol.for("grader.optionGroups"); // one count per page: unique input names

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) {
    made.className = className;
  }
  if (text) {
    made.textContent = text;
  }
  return made;
}

function render({ model, el }) {
  globalThis[COUNT] = (globalThis[COUNT] || 0) + 1;
  const name = `grader-options-${globalThis[COUNT]}`;
  const multiple = model.get("multiple");

  const group = element("fieldset", `grader-options grader-options-${multiple ? "many" : "one"}`);
  group.setAttribute("role", multiple ? "group" : "radiogroup");
  group.setAttribute("aria-labelledby", `${name}-legend`);
  const legend = element("legend", "grader-legend");
  legend.id = `${name}-legend`;
  const heading = model.get("heading");
  if (heading) {
    legend.append(element("span", "grader-visually-hidden", `${heading}: `));
  }
  legend.append(element("span", "grader-legend-text", model.get("question")));
  const points = model.get("points");
  if (points) {
    legend.append(" ", element("span", "grader-points", points));
  }
  group.append(legend);

  const inputs = model.get("options").map((text, place) => {
    const label = element("label", "grader-option");
    const input = element("input");
    input.type = multiple ? "checkbox" : "radio";
    input.name = name;
    input.value = String(place);
    label.append(input, element("span", "grader-option-text", text));
    group.append(label);
    return input;
  });

  const show = () => {
    const picked = model.get("picked");
    for (const input of inputs) {
      input.checked = picked.includes(input.value);
    }
  };
  const send = () => {
    model.set("picked", inputs.filter((input) => input.checked).map((input) => input.value));
    model.save_changes();
  };
  show();
  group.addEventListener("change", send);
  model.on("change:picked", show);
  el.classList.add("grader-options-widget");
  el.append(group);
  return () => model.off("change:picked", show);
}

export default { render };
