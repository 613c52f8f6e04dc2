// The side panel "Claims and their links": every claim with what supports,
// attacks and qualifies it and who said it; then links between other spans.

import { argumentOf, excerpt } from "./argument.js";
import { chip } from "./inspector.js";

const VERB = { supports: "supported by", attacks: "attacked by", qualifies: "qualified by" };

function item(ws, text, span) {
  const li = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "linklike";
  button.append(`${text} `, chip(ws.labelById.get(span.label)), ` “${excerpt(span.quote, 70)}”`);
  button.addEventListener("click", () => ws.select(span.cid, { scroll: true }));
  li.append(button);
  return li;
}

export function renderRelations(container, ws) {
  const { claims, other } = argumentOf({
    spans: ws.store.spans, relations: ws.store.relations, labels: ws.allLabels, speakers: ws.store.speakers,
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
    const li = item(ws, "", group.claim);
    li.className = `claim${group.unsupported ? " unsupported" : ""}`;
    if (group.unsupported) {
      const badge = document.createElement("span");
      badge.className = "badge warn";
      badge.textContent = "unsupported";
      li.firstChild.append(" ", badge);
    }
    const sub = document.createElement("ul");
    for (const type of ["supports", "attacks", "qualifies"]) {
      for (const { span } of group[type]) sub.append(item(ws, VERB[type], span));
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
      const li = item(ws, "", source);
      li.firstChild.append(` ${rel.type.replace("_", " ")} `, target ? `“${excerpt(target.quote, 40)}”` : name);
      ul.append(li);
    }
    container.append(h, ul);
  }
}
