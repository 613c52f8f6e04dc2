// Turning the text selection into a span: the last selection is kept (a label
// key may come after the mouse let go), snapped to whole words unless exact,
// converted from DOM offsets (UTF-16) to stored code points with offsets.js,
// and refused when the same span is already there.
//   index, store, textView  the text's OffsetIndex, the layer's Store, the TextView
//   exact()          the "Exact characters" box is ticked
//   readOnly()       whether the layer may be edited now
//   notice(text)     tell the user why nothing happened
//   select(cid)      show a span (the new one, or the one already there)
//   created(span, label)  a span was added

import { snapToWords, clampToCharacters } from "./offsets.js";

export class Labeller {
  constructor({ index, store, textView, exact, readOnly, notice, select, created }) {
    Object.assign(this, { index, store, textView, exact, readOnly, notice, select, created });
    this.pending = null; // last text selection [s16, e16, alt]
  }

  // A selection was made (alt: Alt was held, so exact characters).
  remember(range, alt) { this.pending = [range[0], range[1], alt]; }

  // A collapsed selection (a click) forgets the previous one: a label key
  // must never label text the user is no longer looking at.
  selectionChanged(range) { this.pending = range ? [range[0], range[1], this.pending ? this.pending[2] : false] : null; }

  hasSelection() { return Boolean(this.textView.selectionRange() || this.pending); }

  label(label, { exact = false } = {}) {
    if (this.readOnly()) { this.notice("This layer is read-only."); return null; }
    const pending = this.pending;
    const range = this.textView.selectionRange() || (pending && [pending[0], pending[1]]);
    if (!range) { this.notice("Select some text first, then choose a label."); return null; }
    const noSnap = exact || this.exact() || (pending && pending[2]);
    const [s, e] = noSnap ? clampToCharacters(this.index, range[0], range[1]) : snapToWords(this.index.text, range[0], range[1]);
    if (s >= e) { this.notice("The selection holds only spaces; select some words."); return null; }
    const start = this.index.toCodePoint(s), end = this.index.toCodePoint(e);
    for (const span of this.store.spans.values()) {
      if (span.start === start && span.end === end && span.label === label.id) {
        this.notice(`There is already a ${label.name} span here.`);
        this.select(span.cid);
        return null;
      }
    }
    const span = this.store.createSpan({ start, end, label: label.id });
    window.getSelection().removeAllRanges();
    this.pending = null;
    this.select(span.cid);
    this.created(span, label);
    return span;
  }
}
