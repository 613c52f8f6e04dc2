// The review page's "Selected span" card: the span's quote, label and
// difference, and what can be done to it (gold: move or delete; another
// layer's span: to gold, accept, reject with a reason).

import { h } from "../annotator/js/dom.js";

// A span's data from its row in a layer's table (offsets in code points).
export function spanInfo(row, text, index) {
  const start = Number(row.dataset.start), end = Number(row.dataset.end);
  return {
    id: row.dataset.span, start, end, version: row.dataset.version, layer: row.dataset.layer,
    label: row.dataset.label, labelName: row.dataset.labelName, difference: row.dataset.difference,
    who: row.dataset.who, goldEdit: row.dataset.goldEdit, decide: row.dataset.decide,
    quote: text.slice(index.toUtf16(start), index.toUtf16(end)),
  };
}

const kbd = (key) => h("kbd", {}, key);

// box: the card's body; row, s: the selected span's row and data (null: none);
// on.move(edge, dir, exact), on.deleteGold(), on.act(kind): the buttons' actions.
export function renderCurrent(box, row, s, on) {
  box.textContent = "";
  if (!row) {
    box.append(h("p", { class: "hint" }, "Click a span, or press ", kbd("J"), " for the next difference."));
    return;
  }
  box.append(
    h("p", { class: "rv-quote" }, h("q", {}, s.quote)),
    h("p", {}, h("span", { class: "chip", style: row.querySelector(".chip").getAttribute("style") }, s.labelName),
      " ", h("span", { class: "muted" }, s.layer === "gold" ? "in gold" : `by ${s.who}`),
      s.layer === "gold" ? "" : h("span", { class: `diff diff-${s.difference}` }, s.difference)),
  );
  const actions = h("div", { class: "rv-actions" });
  const small = (label, onclick, ...children) => h("button", { type: "button", class: "small", "aria-label": label, onclick }, ...children);
  if (s.layer === "gold" && s.goldEdit) {
    actions.append(
      h("div", { class: "rv-bounds", role: "group", "aria-label": "Move the gold span's boundaries" },
        h("span", { class: "muted" }, "Start"),
        small("Move start left", (e) => on.move("start", -1, e.altKey), "◀ ", kbd("[")),
        small("Move start right", (e) => on.move("start", 1, e.altKey), kbd("]"), " ▶"),
        h("span", { class: "muted" }, "End"),
        small("Move end left", (e) => on.move("end", -1, e.altKey), "◀ ", kbd(",")),
        small("Move end right", (e) => on.move("end", 1, e.altKey), kbd("."), " ▶")),
      h("button", { type: "button", class: "small danger", onclick: () => on.deleteGold() }, "Delete gold span"),
    );
  } else if (s.decide) {
    actions.append(
      h("button", { type: "button", class: "primary", onclick: () => on.act("gold") }, "To gold ", kbd("G")),
      h("button", { type: "button", onclick: () => on.act("accept") }, "Accept ", kbd("Y")),
      h("button", { type: "button", onclick: () => on.act("reject") }, "Reject… ", kbd("X")),
    );
  }
  box.append(actions);
  const status = row.querySelector(".badge");
  if (status) box.append(h("p", { class: "muted" }, `Decision so far: ${status.textContent}${status.title ? ` (${status.title})` : ""}`));
}

// The reason box X opens under the card (Enter sends); reject(reason) sends it.
export function askReason(box, reject) {
  let form = box.querySelector("form.rv-reject");
  if (!form) {
    const input = h("input", { name: "reason", required: true, placeholder: "Why reject? (Enter sends)", "aria-label": "Reason to reject this span" });
    form = h("form", { class: "rv-reject", onsubmit: (e) => { e.preventDefault(); reject(input.value); } },
      input, h("button", { type: "submit", class: "small" }, "Reject"));
    box.append(form);
  }
  form.querySelector("input").focus();
}
