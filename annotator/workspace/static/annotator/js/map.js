// The argument map: one band per claim, supporting and qualifying spans on the
// left, attacking spans and attributed speakers on the right. Hand-written SVG
// (no graph library): the layout is a fixed three-column grid, so a layout
// engine would add weight without adding anything.

import { argumentOf, excerpt } from "./argument.js";

const NS = "http://www.w3.org/2000/svg";
const W = 1040, NODE_W = 262, CLAIM_W = 330, NODE_H = 64, GAP = 14, BAND_GAP = 30;
const X_LEFT = 10, X_CLAIM = (W - CLAIM_W) / 2, X_RIGHT = W - NODE_W - 10;
const EDGE = {
  supports: { color: "#15803d", dash: "", label: "supports" },
  qualifies: { color: "#0369a1", dash: "2 4", label: "qualifies" },
  attacks: { color: "#b91c1c", dash: "8 5", label: "attacks" },
  attributed_to: { color: "#57606a", dash: "1 3", label: "said by" },
};

function el(name, attrs = {}, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function wrap(text, width) {
  const words = excerpt(text, 140).split(" ");
  const lines = [];
  let line = "";
  for (const word of words) {
    if ((line + " " + word).trim().length > width && line) { lines.push(line); line = word; } else line = (line + " " + word).trim();
    if (lines.length === 2) break;
  }
  if (lines.length < 2 && line) lines.push(line);
  else if (lines.length === 2) lines[1] = lines[1].replace(/.{0,2}$/, "…");
  return lines.slice(0, 2);
}

export function renderMap(container, { spans, relations, labels, speakers, onPick }) {
  const labelById = new Map(labels.map((l) => [l.id, l]));
  const { claims, unlinked } = argumentOf({ spans, relations, labels, speakers });
  container.textContent = "";
  const summary = document.createElement("p");
  summary.className = "map-summary";
  const unsupported = claims.filter((c) => c.unsupported).length;
  summary.textContent = claims.length
    ? `${claims.length} claim${claims.length === 1 ? "" : "s"} · ${unsupported} without supporting evidence · ${unlinked.length} span${unlinked.length === 1 ? "" : "s"} not linked`
    : "No claims yet: mark a claim (C), then link evidence to it (L).";
  container.appendChild(summary);
  if (!claims.length) return;

  let y = 16;
  const svg = el("svg", { class: "argmap", role: "group", "aria-label": "Argument map" });
  const defs = el("defs", {}, svg);
  for (const [type, style] of Object.entries(EDGE)) {
    const marker = el("marker", { id: `arrow-${type}`, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, defs);
    el("path", { d: "M0,0 L10,5 L0,10 z", fill: style.color }, marker);
  }

  const node = (x, yy, w, span, extra = {}) => {
    const label = labelById.get(span.label) || { code: "?", color: "#777777", subtypes: [] };
    const subtype = (label.subtypes || []).find((s) => s.id === span.subtype);
    const g = el("g", { class: `node kind-${label.kind}${extra.unsupported ? " unsupported" : ""}`, tabindex: "0", role: "button",
      transform: `translate(${x},${yy})`,
      "aria-label": `${label.name}${subtype ? ` (${subtype.name})` : ""}${extra.unsupported ? ", unsupported" : ""}: ${excerpt(span.quote, 120)}. Show in text.` }, svg);
    el("rect", { width: w, height: NODE_H, rx: "8", class: "node-box", style: `stroke:${label.color}` }, g);
    el("rect", { width: "6", height: NODE_H, rx: "3", fill: label.color }, g);
    const head = el("text", { x: "16", y: "18", class: "node-head" }, g);
    head.textContent = `${label.code}${subtype ? " · " + subtype.name : ""}`;
    if (extra.unsupported) {
      const badge = el("text", { x: w - 10, y: "18", class: "node-badge", "text-anchor": "end" }, g);
      badge.textContent = "⚠ unsupported";
    }
    wrap(span.quote, Math.floor((w - 24) / 6.6)).forEach((line, i) => {
      const t = el("text", { x: "16", y: 36 + i * 16, class: "node-text" }, g);
      t.textContent = line;
    });
    const pick = () => onPick(span.cid);
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } });
    return g;
  };

  // The edge's label sits by its outer end (the evidence, hedge or speaker),
  // where edges do not converge, so labels of one claim never overlap.
  const edge = (x1, y1, x2, y2, type, { labelAtEnd = false } = {}) => {
    const style = EDGE[type];
    const mid = (x1 + x2) / 2;
    el("path", { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, fill: "none", stroke: style.color, "stroke-width": "2",
      "stroke-dasharray": style.dash, "marker-end": `url(#arrow-${type})`, class: `edge edge-${type}` }, svg);
    const [lx, ly, other] = labelAtEnd ? [x2, y2, x1] : [x1, y1, x2];
    const right = other > lx;
    const label = el("text", { x: lx + (right ? 6 : -6), y: ly - 6, class: "edge-label", "text-anchor": right ? "start" : "end", fill: style.color }, svg);
    label.textContent = style.label;
  };

  for (const group of claims) {
    const left = [...group.supports.map((x) => ({ ...x, type: "supports" })), ...group.qualifies.map((x) => ({ ...x, type: "qualifies" }))];
    const right = [...group.attacks.map((x) => ({ ...x, type: "attacks" })), ...group.speakers.map((x) => ({ ...x, type: "attributed_to" }))];
    const rows = Math.max(left.length, right.length, 1);
    const bandH = rows * NODE_H + (rows - 1) * GAP;
    const cy = y + bandH / 2;
    node(X_CLAIM, cy - NODE_H / 2, CLAIM_W, group.claim, { unsupported: group.unsupported });
    left.forEach((item, i) => {
      const ny = y + i * (NODE_H + GAP) + (bandH - (left.length * NODE_H + (left.length - 1) * GAP)) / 2;
      node(X_LEFT, ny, NODE_W, item.span);
      edge(X_LEFT + NODE_W, ny + NODE_H / 2, X_CLAIM, cy, item.type);
    });
    right.forEach((item, i) => {
      const ny = y + i * (NODE_H + GAP) + (bandH - (right.length * NODE_H + (right.length - 1) * GAP)) / 2;
      if (item.type === "attributed_to") {
        const g = el("g", { class: "node speaker", transform: `translate(${X_RIGHT},${ny})`, role: "img", "aria-label": `Said by ${item.name}` }, svg);
        el("rect", { width: NODE_W, height: NODE_H, rx: NODE_H / 2, class: "speaker-box" }, g);
        const t = el("text", { x: "24", y: "28", class: "node-head" }, g);
        t.textContent = "SPEAKER";
        const n = el("text", { x: "24", y: "46", class: "node-text" }, g);
        n.textContent = excerpt(item.name, 34);
        edge(X_CLAIM + CLAIM_W, cy, X_RIGHT, ny + NODE_H / 2, item.type, { labelAtEnd: true });
      } else {
        node(X_RIGHT, ny, NODE_W, item.span);
        edge(X_RIGHT, ny + NODE_H / 2, X_CLAIM + CLAIM_W, cy, item.type);
      }
    });
    y += bandH + BAND_GAP;
    el("line", { x1: "0", x2: W, y1: y - BAND_GAP / 2, y2: y - BAND_GAP / 2, class: "band-rule" }, svg);
  }
  svg.setAttribute("viewBox", `0 0 ${W} ${y}`);
  svg.setAttribute("width", W);
  svg.setAttribute("height", y);
  const legend = document.createElement("ul");
  legend.className = "map-legend";
  for (const [type, style] of Object.entries(EDGE)) {
    const li = document.createElement("li");
    const sw = document.createElement("span");
    sw.className = "edge-swatch";
    sw.style.borderTop = `2px ${style.dash ? (type === "attacks" ? "dashed" : "dotted") : "solid"} ${style.color}`;
    li.append(sw, document.createTextNode(style.label));
    legend.appendChild(li);
  }
  container.append(legend, svg);
}
