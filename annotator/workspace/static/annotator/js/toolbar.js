// The toolbar's label buttons, which tools are enabled, and the legend of how
// each label is drawn. Knows the labels and the toolbar's elements only.

import { $, h } from "./dom.js";
import { labelPattern, swatchCss } from "./render.js";

// labels: the active labels; onLabel(label, {exact}): a label button was pressed.
export function buildLabelButtons(labels, onLabel) {
  const box = $("ws-labels");
  box.textContent = "";
  for (const label of labels) {
    const key = (label.shortcut || "").toUpperCase();
    const button = h("button", {
      type: "button", class: "label-button", "data-label": label.id,
      "aria-label": `Label the selection as ${label.name}${key ? ` (shortcut ${key})` : ""}`,
      "aria-keyshortcuts": key || null,
      // Keep the text selection when the button is pressed with the mouse.
      onmousedown: (e) => e.preventDefault(),
      onclick: (e) => onLabel(label, { exact: e.altKey }),
    }, h("span", { class: "swatch" }), document.createTextNode(label.name));
    button.style.setProperty("--label", label.color);
    if (key) button.append(" ", h("kbd", {}, key));
    box.appendChild(button);
  }
  $("ws-help-labels").textContent = labels.map((l) => (l.shortcut || "").toUpperCase()).filter(Boolean).join(" ");
}

// root: the workspace element (styled read-only); hasSelection: a span is selected.
export function updateToolbar(root, { readOnly, hasSelection, canUndo }) {
  for (const b of $("ws-labels").querySelectorAll("button")) b.disabled = readOnly;
  $("ws-link").disabled = readOnly || !hasSelection;
  $("ws-undo").disabled = readOnly || !canUndo;
  $("ws-nosnap").disabled = readOnly;
  root.classList.toggle("read-only", readOnly);
}

// labels: every label, active or not (old spans may use retired ones).
export function buildLegend(labels) {
  const legend = $("ws-legend");
  legend.textContent = "";
  labels.forEach((label, i) => {
    const sample = h("span", { class: "legend-sample" }, (label.shortcut || label.code[0]).toUpperCase());
    sample.style.cssText = swatchCss(labelPattern(i), label.color);
    legend.appendChild(h("span", { class: "legend-item" }, sample, document.createTextNode(` ${label.name} · ${labelPattern(i)}`)));
  });
}
