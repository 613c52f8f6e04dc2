// The selected span, the span under the pointer and the link flow (source,
// then target, then type). It changes highlights in the text itself and tells
// the page the rest through events, so it never needs the page.
//   store        the layer's Store: spans, relations, relationsOf, createRelation
//   textView     the TextView: setHighlight, scrollToSpan
//   readOnly()   whether the layer may be edited now
//   notice(text) tell the user why nothing happened
// Events: "select" {cid, focus}; "linking" {linking, focus}; "hover" {cid}.

const byLength = (a, b) => (a.e16 - a.s16) - (b.e16 - b.s16);

export class Selection extends EventTarget {
  constructor({ store, textView, readOnly, notice }) {
    super();
    Object.assign(this, { store, textView, readOnly, notice });
    this.selected = null; // cid of the selected span
    this.linking = null; // {sourceCid, targetCid}
    this.linkCursor = null; // the target N / P moved to while linking
    this.hovered = null;
  }

  _emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail })); }

  select(cid, { scroll = false, focus = false } = {}) {
    this.selected = cid;
    const span = cid == null ? null : this.store.spans.get(cid);
    this.textView.setHighlight("sel", span ? [span] : []);
    this.textView.setHighlight("rel", span ? this.related(cid) : []);
    if (span && scroll) this.textView.scrollToSpan(span);
    this._emit("select", { cid, focus });
  }

  // The spans linked to cid, either way.
  related(cid) {
    const out = [];
    for (const rel of this.store.relationsOf(cid)) {
      const other = rel.sourceCid === cid ? rel.targetCid : rel.sourceCid;
      const span = other == null ? null : this.store.spans.get(other);
      if (span) out.push(span);
    }
    return out;
  }

  // The spans covering a rendered segment of the text.
  spansAt(seg) { return seg ? (seg._cids || []).map((cid) => this.store.spans.get(cid)).filter(Boolean) : []; }

  get pickingTarget() { return Boolean(this.linking && this.linking.targetCid == null); }

  startLink() {
    if (this.readOnly() || this.selected == null) return;
    this.linking = { sourceCid: this.selected, targetCid: null };
    this._emit("linking", { linking: this.linking, focus: false });
  }

  pickTarget(cid) {
    if (!this.linking) return;
    if (cid === this.linking.sourceCid) { this.notice("A span cannot link to itself; pick another span."); return; }
    this.linking.targetCid = cid;
    this.textView.setHighlight("rel", [this.store.spans.get(cid)]);
    this._emit("linking", { linking: this.linking, focus: true });
  }

  finishLink(type) {
    const link = this.linking;
    if (!link || link.targetCid == null) return;
    this.cancelLink();
    const exists = [...this.store.relations.values()].some((r) => r.sourceCid === link.sourceCid && r.targetCid === link.targetCid && r.type === type);
    if (exists) { this.notice(`These spans are already linked with ${type}.`); return; }
    this.store.createRelation({ type, sourceCid: link.sourceCid, targetCid: link.targetCid });
    this.select(link.sourceCid);
  }

  cancelLink() {
    this.linking = null;
    this._emit("linking", { linking: null, focus: false });
  }

  // N / P: the next or previous span in reading order (while picking a link
  // target, only moves the cursor; Enter picks it).
  step(direction) {
    const spans = [...this.store.spans.values()].sort((a, b) => a.s16 - b.s16 || a.e16 - b.e16);
    if (!spans.length) return;
    let i = spans.findIndex((s) => s.cid === this.selected);
    i = i === -1 ? (direction > 0 ? 0 : spans.length - 1) : (i + direction + spans.length) % spans.length;
    if (this.pickingTarget) {
      this.linkCursor = spans[i].cid;
      this.selected = spans[i].cid;
      this.textView.setHighlight("rel", [spans[i]]);
      this.textView.scrollToSpan(spans[i]);
      return;
    }
    this.select(spans[i].cid, { scroll: true });
  }

  // Enter while picking a link target: take the one N / P moved to.
  pickCursor() {
    if (!this.pickingTarget || this.linkCursor == null) return false;
    this.pickTarget(this.linkCursor);
    return true;
  }

  // Repeated clicks on overlapping spans cycle through them, innermost first;
  // while linking, a click picks the target.
  click(seg) {
    const spans = this.spansAt(seg);
    if (!spans.length) return;
    spans.sort(byLength);
    if (this.pickingTarget) { this.pickTarget(spans[0].cid); return; }
    const at = spans.findIndex((s) => s.cid === this.selected);
    this.select(spans[(at + 1) % spans.length].cid);
  }

  // Hovering a span highlights it and the spans it is linked to.
  hover(seg) {
    const spans = this.spansAt(seg);
    const cid = spans.length ? spans.sort(byLength)[0].cid : null;
    if (cid === this.hovered) return;
    this.hovered = cid;
    this.textView.setHighlight("hov", cid == null ? [] : [this.store.spans.get(cid), ...this.related(cid)]);
    this._emit("hover", { cid });
  }
}
