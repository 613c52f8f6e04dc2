// Reviewers' layer picker and side-by-side view, and the banner that says
// whose layer this is and where it stands in review.

import { $ } from "./dom.js";
import { TextView } from "./render.js";

export const STATE_TEXT = {
  assigned: "Assigned", in_progress: "In progress", submitted: "Submitted for review",
  approved: "Approved", changes_requested: "Changes requested",
};

// data: the workspace payload (project role, annotators, layer); onCompare(value, title): the
// second layer picked for side-by-side reading ("" for none).
export function buildLayerPickers({ data, userId, onCompare }) {
  const reviewer = data.project.role !== "annotator";
  if (!reviewer) return;
  const layerSelect = $("ws-layer");
  const compare = $("ws-compare");
  const options = [];
  const seen = new Set();
  for (const a of data.annotators) {
    seen.add(a.id);
    options.push({ value: `annotator:${a.id}`, text: `${a.username}${a.id === userId ? " (me)" : ""} — ${STATE_TEXT[a.state] || "not started"}` });
  }
  if (!seen.has(userId)) options.unshift({ value: `annotator:${userId}`, text: "My layer" });
  options.push({ value: "gold", text: "Gold (adjudicated)" });
  const current = data.layer.layer === "gold" ? "gold" : `annotator:${data.layer.annotator.id}`;
  for (const o of options) {
    layerSelect.add(new Option(o.text, o.value, false, o.value === current));
  }
  compare.add(new Option("— none —", ""));
  for (const o of options) if (o.value !== current) compare.add(new Option(o.text, o.value));
  layerSelect.closest("label").hidden = false;
  compare.closest("label").hidden = false;
  layerSelect.addEventListener("change", () => {
    const [layer, id] = layerSelect.value.split(":");
    const url = new URL(location.href);
    url.search = layer === "gold" ? "?layer=gold" : `?annotator=${id}&layer=annotator`;
    location.assign(url);
  });
  compare.addEventListener("change", () => onCompare(compare.value, compare.selectedOptions[0].text));
}

// Load another layer of the same document into the read-only side pane and
// return its TextView, or hide the pane (value "") and return null. Throws the
// API's error when the layer cannot be loaded.
export async function showCompare({ api, documentId, index, text, labels }, value, title) {
  const pane = $("ws-compare-pane");
  if (!value) { pane.hidden = true; return null; }
  const [layer, id] = value.split(":");
  const query = layer === "gold" ? "?layer=gold" : `?annotator=${id}&layer=annotator`;
  const data = await api.get(`documents/${documentId}/workspace/${query}`);
  const spans = data.annotations.map((a, i) => ({
    cid: `c${i}`, label: a.label, s16: index.toUtf16(a.start), e16: index.toUtf16(a.end),
  }));
  $("ws-compare-title").textContent = `${title} · ${spans.length} span${spans.length === 1 ? "" : "s"} (read-only)`;
  const view = new TextView($("ws-compare-text"), {
    text, labels, spans: () => spans, ariaLabel: `Layer ${title}, read-only`,
  });
  view.render();
  pane.hidden = false;
  return view;
}

// Keep the second layer at the same paragraph as the main text.
export function syncCompare(mainView, compareView, scroller) {
  if (!compareView || $("ws-compare-pane").hidden) return;
  const other = compareView.root.parentElement;
  const blocks = mainView.blocks;
  let lo = 0, hi = blocks.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (blocks[mid].el.offsetTop <= scroller.scrollTop) lo = mid; else hi = mid - 1; }
  const into = scroller.scrollTop - blocks[lo].el.offsetTop;
  other.scrollTop = compareView.blocks[lo].el.offsetTop + into;
}

// The banner over the text (whose layer, its review state) and the submit button.
export function showState({ layer, userId, readOnly }) {
  const banner = $("ws-banner");
  const assignment = layer.assignment;
  const own = layer.annotator && layer.annotator.id === userId;
  const parts = [];
  banner.className = "ws-banner";
  if (layer.layer === "gold") parts.push(["strong", "Gold layer."], ["span", " Reviewers’ adjudicated annotations."]);
  else if (!own) parts.push(["strong", `${layer.annotator.username}’s layer`], ["span", " — read-only; you are viewing it as a reviewer."]);
  if (assignment && own) {
    if (assignment.state === "submitted") {
      parts.push(["strong", "Submitted for review."], ["span", " Read-only until a reviewer sends it back."]);
      banner.classList.add("info");
    } else if (assignment.state === "approved") {
      parts.push(["strong", "Approved."], ["span", " This layer is final."]);
      banner.classList.add("ok");
    } else if (assignment.state === "changes_requested") {
      parts.push(["strong", "Changes requested: "], ["q", assignment.reason]);
      banner.classList.add("warn");
    }
  } else if (assignment && assignment.state && !own) {
    parts.push(["span", ` State: ${STATE_TEXT[assignment.state]}.`]);
    if (assignment.reason) parts.push(["span", " Reason given: "], ["q", assignment.reason]);
  }
  banner.textContent = "";
  for (const [tag, text] of parts) { const n = document.createElement(tag); n.textContent = text; banner.appendChild(n); }
  banner.hidden = parts.length === 0;
  $("ws-submit").hidden = !(own && layer.layer === "annotator" && !readOnly);
}
