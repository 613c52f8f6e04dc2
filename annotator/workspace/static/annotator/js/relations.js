// The side panel "Claims and their links": every claim with what supports,
// attacks and qualifies it and who said it; then links between other spans.

import { argumentOf, excerpt } from "./argument.js";
import { chip } from "./inspector.js";

const VERB = { supports: "supported by", attacks: "attacked by", qualifies: "qualified by" };

function item({ labelById, onPick }, text, span) {
  const li = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "linklike";
  button.append(`${text} `, chip(labelById.get(span.label)), ` “${excerpt(span.quote, 70)}”`);
  button.addEventListener("click", () => onPick(span.cid));
  li.append(button);
  return li;
}

// store: the layer's spans, relations and speakers; labels: every label (and
// labelById); onPick(cid): a span in the list was chosen.
export function renderRelations(container, { store, labels, labelById, onPick }) {
  const ctx = { labelById, onPick };
  const { claims, other } = argumentOf({
    spans: store.spans, relations: store.relations, labels, speakers: store.speakers,
  });
  container.textContent = "";
  if (!claims.length && !other.length) {
    const p = document.createElement("p");
    p.className = "hint";
    p.textContent = "No claims yet. Mark a claim (C), then link evidence and hedges to it.";
    container.append(p);
    return;
  }
  const list = document.createElement("ol");
  list.className = "claims";
  for (const group of claims) {
    const li = item(ctx, "", group.claim);
    li.className = `claim${group.unsupported ? " unsupported" : ""}`;
    if (group.unsupported) {
      const badge = document.createElement("span");
      badge.className = "badge warn";
      badge.textContent = "unsupported";
      li.firstChild.append(" ", badge);
    }
    const sub = document.createElement("ul");
    for (const type of ["supports", "attacks", "qualifies"]) {
      for (const { span } of group[type]) sub.append(item(ctx, VERB[type], span));
    }
    for (const { name } of group.speakers) {
      const s = document.createElement("li");
      s.className = "speaker";
      s.textContent = `said by ${name}`;
      sub.append(s);
    }
    if (sub.children.length) li.append(sub);
    list.append(li);
  }
  container.append(list);
  if (other.length) {
    const h = document.createElement("h3");
    h.textContent = "Other links";
    const ul = document.createElement("ul");
    for (const { rel, source, target, name } of other) {
      const li = item(ctx, "", source);
      li.firstChild.append(` ${rel.type.replace("_", " ")} `, target ? `“${excerpt(target.quote, 40)}”` : name);
      ul.append(li);
    }
    container.append(h, ul);
  }
}
