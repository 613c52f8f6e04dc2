// Moving the selected gold span's boundaries from the keyboard ([ ] move the
// start by a word, , . the end; Alt or "Exact characters": by a character),
// by Shift+click (the nearer boundary goes there), and taking the last move
// back (Ctrl+Z or the Undo button: the old bounds saved as a new version, so
// the history shows both). Positions are UTF-16 in the DOM; OffsetIndex
// turns them into stored code points.
//   index, text      the document's OffsetIndex and text
//   exact()          the "Exact characters" box is ticked
//   status(state, message)   what to tell the user
//   save(span, start, end)   store new bounds (code points) on a gold span; resolves true when saved
//   spanById(id)     the span's row data ({id, start, end, version, goldEdit}) or null
//   undoButton       shown while there is a move to take back

import { WORD, clampToCharacters } from "../annotator/js/offsets.js";

export class GoldBounds {
  constructor({ index, text, exact, status, save, spanById, undoButton }) {
    Object.assign(this, { index, text, exact, status, save, spanById, undoButton });
    this.lastMove = null; // {id, start, end}: the bounds before the last move
    undoButton.addEventListener("click", () => this.undo());
  }

  isWord(u) { return u >= 0 && u < this.text.length && WORD.test(this.text[u]); }

  // Word steps over the text in UTF-16 units, as the workspace's snapping does.
  stepWord(u, dir, edge) {
    const { text } = this;
    const word = (i) => this.isWord(i);
    if (dir > 0) {
      if (edge === "start") { while (u < text.length && word(u)) u++; while (u < text.length && !word(u)) u++; }
      else { while (u < text.length && !word(u)) u++; while (u < text.length && word(u)) u++; }
    } else if (edge === "start") {
      while (u > 0 && !word(u - 1)) u--; while (u > 0 && word(u - 1)) u--;
    } else {
      while (u > 0 && word(u - 1)) u--; while (u > 0 && !word(u - 1)) u--;
    }
    return u;
  }

  // Move span's edge ("start" or "end") one word (or character) in dir (1 or -1).
  move(span, edge, dir, exact) {
    const { index, text } = this;
    let s16 = index.toUtf16(span.start), e16 = index.toUtf16(span.end);
    const exactly = exact || this.exact();
    if (edge === "start") s16 = exactly ? s16 + dir : this.stepWord(s16, dir, "start");
    else e16 = exactly ? e16 + dir : this.stepWord(e16, dir, "end");
    [s16, e16] = clampToCharacters(index, Math.max(0, s16), Math.min(text.length, e16));
    if (e16 <= s16) { this.status("failed", "A span needs at least one character: move the other boundary first."); return; }
    this.saveBounds(span, s16, e16);
  }

  // Shift+click at code point `at`: the nearer boundary moves there, to the word's edge unless exact.
  moveTo(span, at, exact) {
    const { index, text } = this;
    let u = index.toUtf16(at);
    const exactly = exact || this.exact();
    let s16 = index.toUtf16(span.start), e16 = index.toUtf16(span.end);
    if (Math.abs(at - span.start) <= Math.abs(at - span.end)) {
      if (!exactly) while (u > 0 && this.isWord(u - 1)) u--;
      s16 = u;
    } else {
      if (!exactly) while (u < text.length && this.isWord(u)) u++;
      e16 = u;
    }
    [s16, e16] = clampToCharacters(index, s16, e16);
    if (e16 <= s16) { this.status("failed", "That would leave the span empty."); return; }
    this.saveBounds(span, s16, e16);
  }

  async saveBounds(span, s16, e16) {
    const ok = await this.save(span, this.index.toCodePoint(s16), this.index.toCodePoint(e16));
    if (ok) this.setUndo({ id: span.id, start: span.start, end: span.end });
    return ok;
  }

  setUndo(move) {
    this.lastMove = move;
    this.undoButton.hidden = !move;
  }

  async undo() {
    const move = this.lastMove;
    const span = move && this.spanById(move.id);
    if (!span) { this.setUndo(null); return; }
    if (await this.save(span, move.start, move.end)) this.setUndo(null);
  }
}
