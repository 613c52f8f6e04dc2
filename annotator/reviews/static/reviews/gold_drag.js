// Drag handles on the selected gold span's start and end: drag one to move that boundary
// in the text. Dropped positions snap to whole words with the workspace's snapToWords
// (hold Alt, or tick "Exact characters", for exactly where it was dropped). Positions are
// UTF-16 in the DOM; the page's OffsetIndex turns them into stored code points.

import { snapToWords, clampToCharacters } from "../annotator/js/offsets.js";

export class GoldDrag {
  // box(): the gold layer's text element; span(): the selected gold span ({start, end} in
  // code points) or null; caret(x, y): the code point under the pointer in box, or null;
  // save(span, s16, e16): store the new bounds; preview(message): say what a drop does.
  constructor({ index, text, box, span, caret, exact, save, preview }) {
    Object.assign(this, { index, text, box, span, caret, exact, save, preview });
    this.drag = null;
    window.addEventListener("pointermove", (e) => this.move(e));
    window.addEventListener("pointerup", (e) => this.drop(e));
    window.addEventListener("pointercancel", () => this.cancel());
    window.addEventListener("resize", () => this.show());
  }

  // Put the handles on the selected gold span (or take them away).
  show() {
    document.querySelectorAll(".gold-handle").forEach((h) => h.remove());
    const box = this.box();
    const s = this.span();
    if (!box || !s || this.drag) return;
    for (const edge of ["start", "end"]) {
      const handle = document.createElement("span");
      handle.className = `gold-handle gold-handle-${edge}`;
      handle.dataset.edge = edge;
      handle.setAttribute("aria-hidden", "true"); // the keys [ ] , . do the same from the keyboard
      handle.title = `Drag to move the ${edge} (Alt: exact characters)`;
      handle.addEventListener("pointerdown", (e) => this.grab(e, edge));
      box.append(handle);
      this.place(handle, edge === "start" ? s.start : s.end, edge);
    }
  }

  // Position a handle at code point cp: on the left of the character after a start, on the
  // right of the character before an end (so a boundary at a line break sits on its word's line).
  place(handle, cp, edge) {
    const box = this.box();
    const u = this.index.toUtf16(cp);
    const range = edge === "start" ? this.rangeOf(u, u + 1) : this.rangeOf(u - 1, u);
    if (!range) { handle.hidden = true; return; }
    const rects = [...range.getClientRects()].filter((r) => r.height > 0);
    const r = edge === "start" ? rects[0] : rects[rects.length - 1];
    if (!r) { handle.hidden = true; return; }
    const outer = box.getBoundingClientRect();
    handle.hidden = false;
    handle.style.left = `${(edge === "start" ? r.left : r.right) - outer.left - box.clientLeft + box.scrollLeft}px`;
    handle.style.top = `${r.top - outer.top - box.clientTop + box.scrollTop}px`;
    handle.style.height = `${r.height}px`;
  }

  // A DOM range over UTF-16 positions [a, b) of the text, within the gold box's segments.
  rangeOf(a, b) {
    const box = this.box();
    if (a < 0 || b > this.text.length || a >= b) return null;
    const range = document.createRange();
    let started = false;
    for (const seg of box.querySelectorAll("[data-start]")) {
      const node = seg.firstChild;
      if (!node || node.nodeType !== Node.TEXT_NODE) continue;
      const base = this.index.toUtf16(Number(seg.dataset.start));
      const end = base + node.data.length;
      if (!started && a >= base && a < end) { range.setStart(node, a - base); started = true; }
      if (started && b > base && b <= end) { range.setEnd(node, b - base); return range; }
    }
    return null;
  }

  grab(event, edge) {
    if (event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    const s = this.span();
    if (!s) return;
    this.drag = { edge, span: s, bounds: null, handle: event.currentTarget };
    document.documentElement.classList.add("gold-dragging");
    window.getSelection().removeAllRanges();
  }

  // The bounds a drop at UTF-16 position u gives the dragged edge, or null (an empty span).
  bounds(u, exact) {
    const { edge, span } = this.drag;
    let s16 = this.index.toUtf16(span.start), e16 = this.index.toUtf16(span.end);
    if (edge === "start") s16 = u; else e16 = u;
    if (e16 <= s16) return null;
    if (exact) [s16, e16] = clampToCharacters(this.index, s16, e16);
    else {
      // Snap the dragged edge only: the other one stays where it is (even mid-word).
      const [a, b] = snapToWords(this.text, s16, e16);
      if (edge === "start") s16 = a; else e16 = b;
    }
    return e16 > s16 ? [s16, e16] : null;
  }

  move(event) {
    if (!this.drag) return;
    event.preventDefault();
    // Near the top or bottom of the text box, scroll it so a boundary can go off-screen.
    const box = this.box(), edge = box.getBoundingClientRect();
    if (event.clientY > edge.bottom - 28) box.scrollTop += 16;
    else if (event.clientY < edge.top + 28) box.scrollTop -= 16;
    const cp = this.caret(event.clientX, event.clientY);
    if (cp === null || cp === undefined) return;
    const bounds = this.bounds(this.index.toUtf16(cp), event.altKey || this.exact());
    this.drag.bounds = bounds;
    if (!bounds) { this.preview("That would leave the span empty."); return; }
    const [s16, e16] = bounds;
    const at = this.drag.edge === "start" ? s16 : e16;
    this.place(this.drag.handle, this.index.toCodePoint(at), this.drag.edge);
    this.preview(`Drop to make it “${this.text.slice(s16, e16)}”`);
  }

  drop(event) {
    if (!this.drag) return;
    // The key state at the drop decides, as the last move may be a while ago.
    const cp = this.caret(event.clientX, event.clientY);
    const bounds = cp === null || cp === undefined
      ? this.drag.bounds : this.bounds(this.index.toUtf16(cp), event.altKey || this.exact());
    const { span } = this.drag;
    this.cancel();
    if (!bounds) return;
    const [s16, e16] = bounds;
    if (this.index.toCodePoint(s16) === span.start && this.index.toCodePoint(e16) === span.end) return;
    this.save(span, s16, e16);
  }

  cancel() {
    this.drag = null;
    document.documentElement.classList.remove("gold-dragging");
    this.show();
  }
}
