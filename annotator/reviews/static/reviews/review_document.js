// The review page: every action answers JSON and the comparison is swapped in
// place (no reload, scroll kept); keyboard-driven like the workspace. This
// module holds the page's state (the selected span, a text selection waiting
// for a label) and wires the parts together: review_server.js (writes),
// review_layers.js, review_current.js (the selected span's card),
// gold_bounds.js and gold_drag.js (moving a gold span's boundaries).
// Offsets: the server speaks code points, the DOM UTF-16; offsets.js converts.

import { OffsetIndex, snapToWords, clampToCharacters } from "../annotator/js/offsets.js";
import { $, isTyping } from "../annotator/js/dom.js";
import { GoldDrag } from "./gold_drag.js";
import { GoldBounds } from "./gold_bounds.js";
import { ReviewLayers } from "./review_layers.js";
import { askReason, renderCurrent, spanInfo } from "./review_current.js";
import { reviewServer } from "./review_server.js";

const root = $("rv");
const body = $("rv-body");
const statusEl = $("rv-status");
const text = JSON.parse($("rv-text").textContent);
const index = new OffsetIndex(text);

let currentSpan = null; // span id (string)
let pendingAdd = null; // [start, end] in code points

const rowOf = (id) => body.querySelector(`tr[data-span="${id}"]`);
const exact = () => $("rv-nosnap").checked;

function setStatus(state, message) {
  statusEl.dataset.state = state;
  statusEl.textContent = message;
}

const layers = new ReviewLayers(body);
const server = reviewServer({ documentId: root.dataset.document, status: setStatus, swap });
const { send } = server;

// Replace the comparison, keeping the window's scroll position and the selected span.
function swap(html) {
  const x = window.scrollX, y = window.scrollY;
  layers.replace(html);
  window.scrollTo(x, y);
  if (currentSpan && rowOf(currentSpan)) setCurrent(currentSpan, { scroll: false });
  else { currentSpan = null; showCurrent(); }
}

body.addEventListener("submit", (event) => {
  event.preventDefault();
  send(event.target, event.submitter && event.submitter.name ? { [event.submitter.name]: event.submitter.value } : {});
});

// -- the selected span ----------------------------------------------------------------

function selectedGold() {
  const row = currentSpan && rowOf(currentSpan);
  return row && row.dataset.layer === "gold" && row.dataset.goldEdit ? spanInfo(row, text, index) : null;
}

function setCurrent(id, { scroll = true } = {}) {
  currentSpan = id;
  body.querySelectorAll(".sel, tr.current").forEach((n) => n.classList.remove("sel", "current"));
  const row = rowOf(id);
  if (!row) { currentSpan = null; showCurrent(); return; }
  row.classList.add("current");
  const marks = body.querySelectorAll(`mark[data-span="${id}"]`);
  marks.forEach((m) => m.classList.add("sel"));
  const layer = row.closest(".layer");
  layers.select(layers.indexOf(layer), { focus: false });
  if (scroll && marks[0]) {
    const box = layer.querySelector(".text");
    const top = marks[0].offsetTop - box.offsetTop;
    if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 40) box.scrollTop = top - box.clientHeight / 3;
  }
  showCurrent();
}

function showCurrent() {
  drag.show();
  const row = currentSpan && rowOf(currentSpan);
  renderCurrent($("rv-current-body"), row, row ? spanInfo(row, text, index) : null, {
    move: moveBoundary, act, deleteGold: () => send(row.querySelector("form.gold-delete"), { delete: "1" }),
  });
}

function act(kind) {
  const row = currentSpan && rowOf(currentSpan);
  if (!row || !row.dataset.decide) return;
  if (kind === "gold") return send(row.querySelector("form.to-gold"));
  if (kind === "accept") return send(row.querySelector("form.accept"));
  askReason($("rv-current-body"), (reason) => send(row.querySelector("form.reject"), { reason }));
}

body.addEventListener("click", (event) => {
  // Buttons act on their own item; they do not change which layer A and R act on.
  if (event.target.closest("button, a, input, select, textarea, summary, form")) return;
  const layer = event.target.closest(".layer");
  if (layer) layers.select(layers.indexOf(layer), { focus: false });
  const mark = event.target.closest("mark[data-span]");
  const row = event.target.closest("tr[data-span]");
  const hit = mark || row;
  if (hit && window.getSelection().isCollapsed) setCurrent(hit.dataset.span, { scroll: Boolean(row) });
});

// -- next / previous difference --------------------------------------------------------

function differences() {
  return Array.from(body.querySelectorAll('tr[data-layer="annotator"][data-decide]'))
    .filter((r) => r.dataset.difference !== "agreed" && !r.querySelector(".badge"))
    .map((r) => ({ id: r.dataset.span, start: Number(r.dataset.start), layer: layers.indexOf(r.closest(".layer")) }))
    .sort((a, b) => a.start - b.start || a.layer - b.layer);
}

function stepDifference(step) {
  const list = differences();
  if (!list.length) { setStatus("saved", "No undecided differences left on this document."); return; }
  const row = currentSpan && rowOf(currentSpan);
  const here = row ? { start: Number(row.dataset.start), layer: layers.indexOf(row.closest(".layer")) } : null;
  const after = (d) => !here || d.start > here.start || (d.start === here.start && d.layer > here.layer);
  const before = (d) => here && (d.start < here.start || (d.start === here.start && d.layer < here.layer));
  const target = step > 0 ? list.find(after) || list[0] : [...list].reverse().find(before) || list[list.length - 1];
  setCurrent(target.id);
}

// -- gold boundaries ------------------------------------------------------------------

const bounds = new GoldBounds({
  index, text, exact, status: setStatus, undoButton: $("rv-undo"),
  save: (s, start, end) => server.post(s.goldEdit, server.formData({ version: s.version, start, end })),
  spanById: (id) => { const row = rowOf(id); return row ? spanInfo(row, text, index) : null; },
});

function moveBoundary(edge, dir, exactly) {
  const s = selectedGold();
  if (s) bounds.move(s, edge, dir, exactly);
}

// The code point a DOM position stands at, from the segments' data-start (code points).
function codePointAt(node, offset) {
  const piece = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  const seg = piece && piece.closest("[data-start]");
  if (!seg) return null;
  const base = Number(seg.dataset.start);
  return base + Array.from((node.textContent || "").slice(0, offset)).length;
}

// Shift+click in the text moves the selected gold span's nearer boundary there
// (snapped to the word, as the workspace snaps; Alt: exactly there).
body.addEventListener("click", (event) => {
  if (!event.shiftKey || !event.target.closest(".layer .text")) return;
  const s = selectedGold();
  if (!s) return;
  const caret = document.caretRangeFromPoint ? document.caretRangeFromPoint(event.clientX, event.clientY) : null;
  const at = caret && codePointAt(caret.startContainer, caret.startOffset);
  if (at === null || at === undefined) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  window.getSelection().removeAllRanges();
  bounds.moveTo(s, at, event.altKey);
}, true);

const drag = new GoldDrag({
  index, text, exact,
  box: () => body.querySelector(".layer-gold .text"),
  span: selectedGold,
  caret(x, y) {
    const caret = document.caretRangeFromPoint ? document.caretRangeFromPoint(x, y) : null;
    const box = body.querySelector(".layer-gold .text");
    if (!caret || !box || !box.contains(caret.startContainer)) return null;
    return codePointAt(caret.startContainer, caret.startOffset);
  },
  save: (s, s16, e16) => bounds.saveBounds(s, s16, e16),
  preview: (message) => setStatus("idle", message),
});

// -- select text to add a gold span -----------------------------------------------------

document.addEventListener("mouseup", (event) => {
  const selection = window.getSelection();
  const box = event.target.closest && event.target.closest(".layer .text");
  if (!box || !selection || selection.isCollapsed || !box.contains(selection.anchorNode)) return;
  const range = selection.getRangeAt(0);
  const a = codePointAt(range.startContainer, range.startOffset);
  const b = codePointAt(range.endContainer, range.endOffset);
  if (a === null || b === null || a === b) return;
  let s16 = index.toUtf16(Math.min(a, b)), e16 = index.toUtf16(Math.max(a, b));
  [s16, e16] = event.altKey || exact() ? clampToCharacters(index, s16, e16) : snapToWords(text, s16, e16);
  if (e16 <= s16) return;
  pendingAdd = [index.toCodePoint(s16), index.toCodePoint(e16)];
  $("rv-add-quote").textContent = text.slice(s16, e16);
  $("rv-add").hidden = false;
});

function addGold(labelId) {
  const form = body.querySelector("form.gold-add");
  if (!pendingAdd || !form) return;
  const [start, end] = pendingAdd;
  pendingAdd = null;
  $("rv-add").hidden = true;
  window.getSelection().removeAllRanges();
  send(form, { start, end, label: labelId });
}

$("rv-add").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-label]");
  if (button) addGold(button.dataset.label);
});

// -- keyboard -----------------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") { pendingAdd = null; $("rv-add").hidden = true; return; }
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && bounds.lastMove && !isTyping(event.target)) {
    event.preventDefault(); bounds.undo(); return;
  }
  if (event.ctrlKey || event.metaKey || isTyping(event.target)) return;
  const key = event.key.toLowerCase();
  // Alt changes what [ ] , . type on some layouts: read the physical key too.
  const bracket = { BracketLeft: ["start", -1], BracketRight: ["start", 1], Comma: ["end", -1], Period: ["end", 1] }[event.code];
  if (bracket && currentSpan) { event.preventDefault(); moveBoundary(bracket[0], bracket[1], event.altKey); return; }
  if (event.altKey) return;
  if (pendingAdd) {
    const button = $("rv-add").querySelector(`button[data-key="${key}"]`);
    if (button) { event.preventDefault(); addGold(button.dataset.label); return; }
  }
  const layer = layers.current();
  if (/^[1-9]$/.test(key)) {
    layers.select(Number(key) - 1);
  } else if (key === "j" || key === "k") {
    event.preventDefault(); stepDifference(key === "j" ? 1 : -1);
  } else if (key === "g" || key === "y") {
    event.preventDefault(); act(key === "g" ? "gold" : "accept");
  } else if (key === "x") {
    event.preventDefault(); act("reject");
  } else if (key === "a" && layer) {
    const form = layer.querySelector("form.approve-form");
    if (form) {
      event.preventDefault();
      // Then on to the next layer still waiting for a decision.
      send(form).then((ok) => { if (ok) layers.selectWaiting(); });
    }
  } else if (key === "r" && layer) {
    const details = layer.querySelector("details.changes");
    if (details) { event.preventDefault(); details.open = true; details.querySelector("textarea").focus(); }
  } else if (key === "n") {
    const next = document.querySelector("[data-key=n]");
    if (next) { event.preventDefault(); next.click(); }
  } else if ((event.key === "Delete" || event.key === "Backspace") && currentSpan) {
    const row = rowOf(currentSpan);
    const form = row && row.querySelector("form.gold-delete");
    if (form) { event.preventDefault(); send(form, { delete: "1" }); }
  }
});

// Enter in a reason box sends it (Shift+Enter for a new line).
body.addEventListener("keydown", (event) => {
  const area = event.target.closest("form.changes-form textarea");
  if (area && event.key === "Enter" && !event.shiftKey) { event.preventDefault(); area.form.requestSubmit(); }
});

layers.bindScrollSync();
layers.select(0, { focus: false });
layers.selectWaiting(); // start on the first layer waiting for a decision
showCurrent();
document.body.dataset.reviewReady = "1"; // tests wait for the handlers
