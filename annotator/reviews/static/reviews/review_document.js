// The review page: every action answers JSON and the comparison is swapped in
// place (no reload, scroll kept); keyboard-driven like the workspace.
// Offsets: the server speaks code points, the DOM UTF-16; offsets.js converts.

import { OffsetIndex, snapToWords, clampToCharacters } from "../annotator/js/offsets.js";
import { csrfToken as csrf } from "../annotator/js/api.js";
import { GoldDrag } from "./gold_drag.js";

const $ = (id) => document.getElementById(id);
const root = $("rv");
const body = $("rv-body");
const statusEl = $("rv-status");
const text = JSON.parse($("rv-text").textContent);
const index = new OffsetIndex(text);
const WORD = /[\p{L}\p{N}\p{M}\p{Pc}'’\-]/u;

let selectedLayer = 0; // index into layers()
let currentSpan = null; // span id (string)
let pendingAdd = null; // [start, end] in code points
let busy = false;
let lastMove = null; // the gold boundary move Ctrl+Z (or Undo) takes back: {id, start, end}

const layers = () => Array.from(body.querySelectorAll(".layer"));
const rowOf = (id) => body.querySelector(`tr[data-span="${id}"]`);

function setStatus(state, message) {
  statusEl.dataset.state = state;
  statusEl.textContent = message;
}

// -- talking to the server ------------------------------------------------------------

async function post(url, data) {
  if (busy) return false;
  busy = true;
  data.set("refresh", root.dataset.document);
  setStatus("saving", "Saving…");
  let response, payload = {};
  try {
    response = await fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf() },
    });
    payload = await response.json().catch(() => ({}));
  } catch (err) {
    busy = false;
    setStatus("failed", "Not saved: the server could not be reached. Try again.");
    return false;
  }
  busy = false;
  if (!response.ok) {
    setStatus("failed", payload.message || `Not saved (HTTP ${response.status}).`);
    return false;
  }
  if (payload.html) swap(payload.html);
  setStatus("saved", payload.message || "Saved.");
  return true;
}

function send(form, extra = {}) {
  const data = new FormData(form);
  for (const [k, v] of Object.entries(extra)) data.set(k, v);
  return post(form.action, data);
}

// Replace the comparison, keeping the window's and every layer's scroll position,
// which details were open, the selected layer and the selected span.
function swap(html) {
  const x = window.scrollX, y = window.scrollY;
  const scrolls = layers().map((l) => l.querySelector(".text").scrollTop);
  const open = Array.from(body.querySelectorAll("details")).map((d) => d.open);
  body.innerHTML = html;
  layers().forEach((l, i) => { if (scrolls[i] !== undefined) l.querySelector(".text").scrollTop = scrolls[i]; });
  const details = Array.from(body.querySelectorAll("details"));
  if (details.length === open.length) details.forEach((d, i) => { d.open = open[i]; });
  window.scrollTo(x, y);
  bindScrollSync();
  selectLayer(Math.min(selectedLayer, layers().length - 1), { focus: false });
  if (currentSpan && rowOf(currentSpan)) setCurrent(currentSpan, { scroll: false });
  else { currentSpan = null; renderCurrent(); }
}

body.addEventListener("submit", (event) => {
  event.preventDefault();
  send(event.target, event.submitter && event.submitter.name ? { [event.submitter.name]: event.submitter.value } : {});
});

// -- layers -------------------------------------------------------------------------

function selectLayer(i, { focus = true } = {}) {
  const all = layers();
  if (!all[i]) return;
  selectedLayer = i;
  all.forEach((l, n) => l.classList.toggle("selected", n === i));
  if (focus) all[i].focus({ preventScroll: true });
}

// Shift+click in the text moves the selected gold span's nearer boundary there
// (snapped to the word, as the workspace snaps; Alt: exactly there).
body.addEventListener("click", (event) => {
  if (!event.shiftKey || !event.target.closest(".layer .text")) return;
  const row = currentSpan && rowOf(currentSpan);
  if (!row || row.dataset.layer !== "gold" || !row.dataset.goldEdit) return;
  const caret = document.caretRangeFromPoint ? document.caretRangeFromPoint(event.clientX, event.clientY) : null;
  const at = caret && codePointAt(caret.startContainer, caret.startOffset);
  if (at === null || at === undefined) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  window.getSelection().removeAllRanges();
  const s = spanInfo(row);
  let u = index.toUtf16(at);
  const exactly = event.altKey || $("rv-nosnap").checked;
  let s16 = index.toUtf16(s.start), e16 = index.toUtf16(s.end);
  if (Math.abs(at - s.start) <= Math.abs(at - s.end)) {
    if (!exactly) while (u > 0 && isWord(u - 1)) u--;
    s16 = u;
  } else {
    if (!exactly) while (u < text.length && isWord(u)) u++;
    e16 = u;
  }
  [s16, e16] = clampToCharacters(index, s16, e16);
  if (e16 <= s16) { setStatus("failed", "That would leave the span empty."); return; }
  saveBounds(s, s16, e16);
}, true);

body.addEventListener("click", (event) => {
  // Buttons act on their own item; they do not change which layer A and R act on.
  if (event.target.closest("button, a, input, select, textarea, summary, form")) return;
  const layer = event.target.closest(".layer");
  if (layer) selectLayer(layers().indexOf(layer), { focus: false });
  const mark = event.target.closest("mark[data-span]");
  const row = event.target.closest("tr[data-span]");
  const hit = mark || row;
  if (hit && window.getSelection().isCollapsed) setCurrent(hit.dataset.span, { scroll: Boolean(row) });
});

// The layers show the same text: keep their scroll positions in step.
let syncing = false;
function bindScrollSync() {
  const boxes = layers().map((l) => l.querySelector(".text"));
  boxes.forEach((box) => box.addEventListener("scroll", () => {
    if (syncing) return;
    syncing = true;
    const ratio = box.scrollTop / Math.max(1, box.scrollHeight - box.clientHeight);
    for (const other of boxes) if (other !== box) other.scrollTop = ratio * (other.scrollHeight - other.clientHeight);
    requestAnimationFrame(() => { syncing = false; });
  }, { passive: true }));
}

// -- the selected span ----------------------------------------------------------------

function spanInfo(row) {
  const start = Number(row.dataset.start), end = Number(row.dataset.end);
  return {
    id: row.dataset.span, start, end, version: row.dataset.version, layer: row.dataset.layer,
    label: row.dataset.label, labelName: row.dataset.labelName, difference: row.dataset.difference,
    who: row.dataset.who, goldEdit: row.dataset.goldEdit, decide: row.dataset.decide,
    quote: text.slice(index.toUtf16(start), index.toUtf16(end)),
  };
}

function setCurrent(id, { scroll = true } = {}) {
  currentSpan = id;
  body.querySelectorAll(".sel, tr.current").forEach((n) => n.classList.remove("sel", "current"));
  const row = rowOf(id);
  if (!row) { currentSpan = null; renderCurrent(); return; }
  row.classList.add("current");
  const marks = body.querySelectorAll(`mark[data-span="${id}"]`);
  marks.forEach((m) => m.classList.add("sel"));
  const layer = row.closest(".layer");
  selectLayer(layers().indexOf(layer), { focus: false });
  if (scroll && marks[0]) {
    const box = layer.querySelector(".text");
    const top = marks[0].offsetTop - box.offsetTop;
    if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 40) box.scrollTop = top - box.clientHeight / 3;
  }
  renderCurrent();
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "on") node.addEventListener("click", v);
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function kbd(key) { return el("kbd", {}, key); }

function renderCurrent() {
  drag.show();
  const box = $("rv-current-body");
  box.textContent = "";
  const row = currentSpan && rowOf(currentSpan);
  if (!row) {
    box.append(el("p", { class: "hint" }, "Click a span, or press ", kbd("J"), " for the next difference."));
    return;
  }
  const s = spanInfo(row);
  box.append(
    el("p", { class: "rv-quote" }, el("q", {}, s.quote)),
    el("p", {}, el("span", { class: "chip", style: row.querySelector(".chip").getAttribute("style") }, s.labelName),
      " ", el("span", { class: "muted" }, s.layer === "gold" ? "in gold" : `by ${s.who}`),
      s.layer === "gold" ? "" : el("span", { class: `diff diff-${s.difference}` }, s.difference)),
  );
  const actions = el("div", { class: "rv-actions" });
  if (s.layer === "gold" && s.goldEdit) {
    actions.append(
      el("div", { class: "rv-bounds", role: "group", "aria-label": "Move the gold span's boundaries" },
        el("span", { class: "muted" }, "Start"),
        el("button", { type: "button", class: "small", "aria-label": "Move start left", on: (e) => moveBoundary("start", -1, e.altKey) }, "◀ ", kbd("[")),
        el("button", { type: "button", class: "small", "aria-label": "Move start right", on: (e) => moveBoundary("start", 1, e.altKey) }, kbd("]"), " ▶"),
        el("span", { class: "muted" }, "End"),
        el("button", { type: "button", class: "small", "aria-label": "Move end left", on: (e) => moveBoundary("end", -1, e.altKey) }, "◀ ", kbd(",")),
        el("button", { type: "button", class: "small", "aria-label": "Move end right", on: (e) => moveBoundary("end", 1, e.altKey) }, kbd("."), " ▶")),
      el("button", { type: "button", class: "small danger", on: () => send(row.querySelector("form.gold-delete"), { delete: "1" }) }, "Delete gold span"),
    );
  } else if (s.decide) {
    actions.append(
      el("button", { type: "button", class: "primary", on: () => act("gold") }, "To gold ", kbd("G")),
      el("button", { type: "button", on: () => act("accept") }, "Accept ", kbd("Y")),
      el("button", { type: "button", on: () => act("reject") }, "Reject… ", kbd("X")),
    );
  }
  box.append(actions);
  const status = row.querySelector(".badge");
  if (status) box.append(el("p", { class: "muted" }, `Decision so far: ${status.textContent}${status.title ? ` (${status.title})` : ""}`));
}

function selectedGold() {
  const row = currentSpan && rowOf(currentSpan);
  return row && row.dataset.layer === "gold" && row.dataset.goldEdit ? spanInfo(row) : null;
}

function act(kind) {
  const row = currentSpan && rowOf(currentSpan);
  if (!row || !row.dataset.decide) return;
  if (kind === "gold") return send(row.querySelector("form.to-gold"));
  if (kind === "accept") return send(row.querySelector("form.accept"));
  const box = $("rv-current-body");
  let form = box.querySelector("form.rv-reject");
  if (!form) {
    const input = el("input", { name: "reason", required: "", placeholder: "Why reject? (Enter sends)", "aria-label": "Reason to reject this span" });
    form = el("form", { class: "rv-reject" }, input, el("button", { type: "submit", class: "small" }, "Reject"));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const original = row.querySelector("form.reject");
      send(original, { reason: input.value });
    });
    box.append(form);
  }
  form.querySelector("input").focus();
}

// -- next / previous difference --------------------------------------------------------

function differences() {
  return Array.from(body.querySelectorAll('tr[data-layer="annotator"][data-decide]'))
    .filter((r) => r.dataset.difference !== "agreed" && !r.querySelector(".badge"))
    .map((r) => ({ id: r.dataset.span, start: Number(r.dataset.start), layer: layers().indexOf(r.closest(".layer")) }))
    .sort((a, b) => a.start - b.start || a.layer - b.layer);
}

function stepDifference(step) {
  const list = differences();
  if (!list.length) { setStatus("saved", "No undecided differences left on this document."); return; }
  const row = currentSpan && rowOf(currentSpan);
  const here = row ? { start: Number(row.dataset.start), layer: layers().indexOf(row.closest(".layer")) } : null;
  const after = (d) => !here || d.start > here.start || (d.start === here.start && d.layer > here.layer);
  const before = (d) => here && (d.start < here.start || (d.start === here.start && d.layer < here.layer));
  const target = step > 0 ? list.find(after) || list[0] : [...list].reverse().find(before) || list[list.length - 1];
  setCurrent(target.id);
}

// -- gold boundaries ------------------------------------------------------------------

function isWord(u) { return u >= 0 && u < text.length && WORD.test(text[u]); }

// Word steps over the text in UTF-16 units, as the workspace's snapping does.
function stepWord(u, dir, edge) {
  if (dir > 0) {
    if (edge === "start") { while (u < text.length && isWord(u)) u++; while (u < text.length && !isWord(u)) u++; }
    else { while (u < text.length && !isWord(u)) u++; while (u < text.length && isWord(u)) u++; }
  } else if (edge === "start") {
    while (u > 0 && !isWord(u - 1)) u--; while (u > 0 && isWord(u - 1)) u--;
  } else {
    while (u > 0 && isWord(u - 1)) u--; while (u > 0 && !isWord(u - 1)) u--;
  }
  return u;
}

function moveBoundary(edge, dir, exact) {
  const row = currentSpan && rowOf(currentSpan);
  if (!row || row.dataset.layer !== "gold" || !row.dataset.goldEdit) return;
  const s = spanInfo(row);
  let s16 = index.toUtf16(s.start), e16 = index.toUtf16(s.end);
  const exactly = exact || $("rv-nosnap").checked;
  if (edge === "start") s16 = exactly ? s16 + dir : stepWord(s16, dir, "start");
  else e16 = exactly ? e16 + dir : stepWord(e16, dir, "end");
  [s16, e16] = clampToCharacters(index, Math.max(0, s16), Math.min(text.length, e16));
  if (e16 <= s16) { setStatus("failed", "A span needs at least one character: move the other boundary first."); return; }
  saveBounds(s, s16, e16);
}

async function saveBounds(s, s16, e16) {
  const data = new FormData();
  data.set("csrfmiddlewaretoken", csrf());
  data.set("version", s.version);
  data.set("start", index.toCodePoint(s16));
  data.set("end", index.toCodePoint(e16));
  const ok = await post(s.goldEdit, data);
  if (ok) setUndo({ id: s.id, start: s.start, end: s.end });
  return ok;
}

// Undo the last boundary move (Ctrl+Z or the Undo button): the old bounds as a new version,
// so the history shows both moves. Other actions are undone from the History page.
function setUndo(move) {
  lastMove = move;
  $("rv-undo").hidden = !move;
}

async function undoMove() {
  const row = lastMove && rowOf(lastMove.id);
  if (!row) { setUndo(null); return; }
  const s = spanInfo(row);
  const move = lastMove;
  const data = new FormData();
  data.set("csrfmiddlewaretoken", csrf());
  data.set("version", s.version);
  data.set("start", move.start);
  data.set("end", move.end);
  if (await post(s.goldEdit, data)) setUndo(null);
}

$("rv-undo").addEventListener("click", undoMove);

// -- select text to add a gold span -----------------------------------------------------

function codePointAt(node, offset) {
  const piece = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  const seg = piece && piece.closest("[data-start]");
  if (!seg) return null;
  const base = Number(seg.dataset.start);
  return base + Array.from((node.textContent || "").slice(0, offset)).length;
}

const drag = new GoldDrag({
  index, text,
  box: () => body.querySelector(".layer-gold .text"),
  span: selectedGold,
  caret(x, y) {
    const caret = document.caretRangeFromPoint ? document.caretRangeFromPoint(x, y) : null;
    const box = body.querySelector(".layer-gold .text");
    if (!caret || !box || !box.contains(caret.startContainer)) return null;
    return codePointAt(caret.startContainer, caret.startOffset);
  },
  exact: () => $("rv-nosnap").checked,
  save: (s, s16, e16) => saveBounds(s, s16, e16),
  preview: (message) => setStatus("idle", message),
});

document.addEventListener("mouseup", (event) => {
  const selection = window.getSelection();
  const box = event.target.closest && event.target.closest(".layer .text");
  if (!box || !selection || selection.isCollapsed || !box.contains(selection.anchorNode)) return;
  const range = selection.getRangeAt(0);
  const a = codePointAt(range.startContainer, range.startOffset);
  const b = codePointAt(range.endContainer, range.endOffset);
  if (a === null || b === null || a === b) return;
  let s16 = index.toUtf16(Math.min(a, b)), e16 = index.toUtf16(Math.max(a, b));
  [s16, e16] = event.altKey || $("rv-nosnap").checked ? clampToCharacters(index, s16, e16) : snapToWords(text, s16, e16);
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

function typing(target) {
  return target.closest("input, textarea, select, [contenteditable]") !== null;
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") { pendingAdd = null; $("rv-add").hidden = true; return; }
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && lastMove && !typing(event.target)) {
    event.preventDefault(); undoMove(); return;
  }
  if (event.ctrlKey || event.metaKey || typing(event.target)) return;
  const key = event.key.toLowerCase();
  const code = event.code;
  // Alt changes what [ ] , . type on some layouts: read the physical key too.
  const bracket = { BracketLeft: ["start", -1], BracketRight: ["start", 1], Comma: ["end", -1], Period: ["end", 1] }[code];
  if (bracket && currentSpan) { event.preventDefault(); moveBoundary(bracket[0], bracket[1], event.altKey); return; }
  if (event.altKey) return;
  if (pendingAdd) {
    const button = $("rv-add").querySelector(`button[data-key="${key}"]`);
    if (button) { event.preventDefault(); addGold(button.dataset.label); return; }
  }
  const layer = layers()[selectedLayer];
  if (/^[1-9]$/.test(key)) {
    selectLayer(Number(key) - 1);
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
      send(form).then((ok) => { if (ok) selectWaiting(); });
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

function selectWaiting() {
  const waiting = layers().findIndex((l) => l.querySelector("form.approve-form"));
  selectLayer(waiting >= 0 ? waiting : selectedLayer, { focus: false });
}

bindScrollSync();
selectLayer(0, { focus: false });
selectWaiting(); // start on the first layer waiting for a decision
renderCurrent();
document.body.dataset.reviewReady = "1"; // tests wait for the handlers
