// Renders the document text with its spans, and maps DOM positions back to
// offsets.
//
// The text is cut into paragraph blocks (at runs of newlines) once. Each block
// is cut into segments at span boundaries; a segment covered by spans is a
// <span class="seg"> whose stacked underlines (one pattern per label, one
// offset per nesting level) and tag letter make overlaps readable without
// relying on colour. A change re-renders only the blocks it touches. Document
// text only ever enters the DOM as Text nodes (never innerHTML).

const PATTERNS = ["solid", "dashed", "double", "dotted"];
const STEP = 4; // px between stacked underlines

export function labelPattern(position) { return PATTERNS[position % PATTERNS.length]; }

function layerCss(pattern, color, level) {
  const y = `calc(100% - ${level * STEP}px)`;
  switch (pattern) {
    case "dashed": return `repeating-linear-gradient(90deg,${color} 0 7px,transparent 7px 10px) 0 ${y}/100% 2px no-repeat`;
    case "double": return `linear-gradient(${color} 0 1px,transparent 1px 2px,${color} 2px 3px) 0 ${y}/100% 3px no-repeat`;
    case "dotted": return `repeating-linear-gradient(90deg,${color} 0 2px,transparent 2px 4px) 0 ${y}/100% 2px no-repeat`;
    default: return `linear-gradient(${color},${color}) 0 ${y}/100% 2px no-repeat`;
  }
}

export function swatchCss(pattern, color) {
  return `background:${layerCss(pattern, color, 0)},linear-gradient(${color}22,${color}22);padding-bottom:${STEP}px`;
}

export class TextView {
  constructor(root, { text, labels, spans, ariaLabel }) {
    this.root = root;
    this.text = text;
    this.labels = new Map(labels.map((l, i) => [l.id, { ...l, pattern: labelPattern(i) }]));
    this.spans = spans; // () => iterable of spans ({cid, s16, e16, label})
    this.styleCache = new Map();
    this.blocks = [];
    this.marks = new Map(); // class name -> Set of cids (selected, related)
    root.setAttribute("aria-label", ariaLabel || "Document text");
  }

  render() {
    const text = this.text;
    this.blocks = [];
    const re = /\r?\n(?:[ \t\u00a0]*\r?\n)*/g;
    let last = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      const end = m.index + m[0].length;
      // sep: where the block's trailing run of line breaks starts.
      this.blocks.push({ s: last, e: end, sep: m.index, gap: m[0].split("\n").length > 2, el: null });
      last = end;
    }
    if (last < text.length || this.blocks.length === 0) this.blocks.push({ s: last, e: text.length, sep: text.length, gap: false, el: null });
    const perBlock = this.blocks.map(() => []);
    for (const span of this.spans()) {
      for (let i = this.blockAt(span.s16); i < this.blocks.length && this.blocks[i].s < span.e16; i++) perBlock[i].push(span);
    }
    const fragment = document.createDocumentFragment();
    this.blocks.forEach((block, i) => {
      block.el = document.createElement("div");
      block.el.className = block.gap ? "para gap" : "para";
      block.el._block = i;
      this._fill(block, perBlock[i]);
      fragment.appendChild(block.el);
    });
    this.root.replaceChildren(fragment);
  }

  // Index of the block holding UTF-16 position u.
  blockAt(u) {
    let lo = 0, hi = this.blocks.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (this.blocks[mid].s <= u) lo = mid; else hi = mid - 1; }
    return lo;
  }

  // Re-render the blocks that any of the UTF-16 ranges touch.
  update(ranges) {
    const touched = new Set();
    for (const [s, e] of ranges) {
      const first = this.blockAt(s);
      for (let i = first; i < this.blocks.length && (this.blocks[i].s < e || i === first); i++) touched.add(i);
    }
    if (!touched.size) return;
    const lists = new Map([...touched].map((i) => [i, []]));
    for (const span of this.spans()) {
      for (const i of touched) {
        const b = this.blocks[i];
        if (span.s16 < b.e && span.e16 > b.s) lists.get(i).push(span);
      }
    }
    for (const i of touched) this._fill(this.blocks[i], lists.get(i));
  }

  _fill(block, spans) {
    const text = this.text;
    // Nesting levels inside this block: outer spans first, lowest free level.
    spans.sort((a, b) => a.s16 - b.s16 || b.e16 - a.e16);
    const levelEnds = [];
    const level = new Map();
    for (const span of spans) {
      let l = levelEnds.findIndex((end) => end <= span.s16);
      if (l === -1) { l = levelEnds.length; levelEnds.push(0); }
      levelEnds[l] = span.e16;
      level.set(span.cid, l);
    }
    const cuts = new Set([block.s, block.e]);
    // The line breaks that end the block stay in the DOM (offsets, copying)
    // but are drawn as the block's margin, not as blank lines.
    if (block.sep > block.s && block.sep < block.e) cuts.add(block.sep);
    for (const span of spans) {
      if (span.s16 > block.s && span.s16 < block.e) cuts.add(span.s16);
      if (span.e16 > block.s && span.e16 < block.e) cuts.add(span.e16);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const el = block.el;
    el.textContent = "";
    let active = [];
    let k = 0; // spans are sorted by start: walk them in
    for (let p = 0; p + 1 < points.length; p++) {
      const a = points[p], c = points[p + 1];
      while (k < spans.length && spans[k].s16 <= a) active.push(spans[k++]);
      active = active.filter((s) => s.e16 > a);
      const node = document.createTextNode(text.slice(a, c));
      node._s = a;
      const isSep = a >= block.sep;
      if (!active.length) {
        if (isSep) { const sep = document.createElement("span"); sep.className = "sep"; sep.appendChild(node); el.appendChild(sep); }
        else el.appendChild(node);
        continue;
      }
      const seg = document.createElement("span");
      seg.className = isSep ? "seg sep" : "seg";
      seg._cids = active.map((s) => s.cid);
      seg._s = a;
      const covering = active.slice().sort((x, y) => level.get(x.cid) - level.get(y.cid));
      const key = covering.map((s) => `${s.ghost ? "ghost" : s.label}:${level.get(s.cid)}`).join(",");
      let style = this.styleCache.get(key);
      if (style === undefined) style = this._style(covering, level);
      seg.style.cssText = style;
      seg.title = covering.map((s) => (s.ghost ? `Suggested hedge, ${s.kind} (${s.rule}): A accepts, X rejects` : this._name(s.label))).join(" + ");
      const starting = covering.filter((s) => s.s16 === a && !s.ghost);
      if (starting.length) seg.dataset.tag = starting.map((s) => this._tag(s.label)).join("·");
      // Suggestions (ghost spans) are drawn apart from real spans without relying on colour:
      // a hatched, dotted box and a "?" tag (workspace.css).
      if (covering.some((s) => s.ghost)) {
        seg.classList.add("ghost");
        if (covering.some((s) => s.ghost && s.s16 === a)) seg.dataset.ghost = "?";
      }
      for (const [cls, cids] of this.marks) if (active.some((s) => cids.has(s.cid))) seg.classList.add(cls);
      seg.appendChild(node);
      el.appendChild(seg);
    }
  }

  _name(labelId) {
    const label = this.labels.get(labelId);
    return label ? label.name : "Span";
  }

  _tag(labelId) {
    const label = this.labels.get(labelId);
    return label ? (label.shortcut || label.code[0]).toUpperCase() : "?";
  }

  _style(covering, level) {
    const layers = [];
    let maxLevel = 0;
    for (const span of covering) {
      const l = level.get(span.cid);
      maxLevel = Math.max(maxLevel, l);
      if (span.ghost) { layers.push(layerCss("dotted", "#57606a", l)); continue; }
      const label = this.labels.get(span.label) || { color: "#777777", pattern: "solid" };
      layers.push(layerCss(label.pattern, label.color, l));
    }
    const real = covering.filter((s) => !s.ghost);
    if (real.length) {
      const inner = this.labels.get(real[real.length - 1].label);
      const tint = inner ? inner.color : "#777777";
      layers.push(`linear-gradient(${tint}1f,${tint}1f)`);
    } else {
      layers.push("repeating-linear-gradient(135deg,transparent 0 4px,#57606a26 4px 6px)");
    }
    const css = `background:${layers.join(",")};padding-bottom:${(maxLevel + 1) * STEP}px`;
    const key = covering.map((s) => `${s.ghost ? "ghost" : s.label}:${level.get(s.cid)}`).join(",");
    this.styleCache.set(key, css);
    return css;
  }

  // UTF-16 offset in the document of a DOM boundary point, or null outside the text.
  pointToOffset(node, offset) {
    if (!this.root.contains(node)) return null;
    if (node.nodeType === Node.TEXT_NODE) return node._s === undefined ? null : node._s + offset;
    if (node === this.root) {
      if (offset >= this.blocks.length) return this.text.length;
      return this.blocks[offset].s;
    }
    const block = node.closest(".para");
    if (!block) return null;
    if (node.classList && node.classList.contains("seg")) {
      return offset === 0 ? node._s : node._s + node.textContent.length;
    }
    // The block element itself: child `offset` starts there.
    const child = node.childNodes[offset];
    if (!child) return this.blocks[block._block].e;
    return child._s !== undefined ? child._s : child.firstChild._s;
  }

  // The current selection inside this view as [s16, e16], or null.
  selectionRange() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    let s = this.pointToOffset(range.startContainer, range.startOffset);
    let e = this.pointToOffset(range.endContainer, range.endOffset);
    // A selection that starts or ends outside the text is clipped to it.
    if (s === null && range.comparePoint && range.intersectsNode(this.root)) {
      s = range.isPointInRange(this.root, 0) ? 0 : null;
    }
    if (e === null && range.intersectsNode(this.root)) {
      e = range.isPointInRange(this.root, this.root.childNodes.length) ? this.text.length : null;
    }
    if (s === null || e === null || s === e) return null;
    return s < e ? [s, e] : [e, s];
  }

  // Select [s16, e16) in the DOM (keyboard flows, tests).
  select(s16, e16) {
    const range = document.createRange();
    range.setStart(...this._point(s16));
    range.setEnd(...this._point(e16));
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  _point(u) {
    const block = this.blocks[this.blockAt(u)];
    for (const child of block.el.childNodes) {
      const node = child.nodeType === Node.TEXT_NODE ? child : child.firstChild;
      if (u <= node._s + node.length) return [node, u - node._s];
    }
    const lastNode = block.el.lastChild;
    return [lastNode.nodeType === Node.TEXT_NODE ? lastNode : lastNode.firstChild, 0];
  }

  segmentsOf(span) {
    const out = [];
    for (let i = this.blockAt(span.s16); i < this.blocks.length && this.blocks[i].s < span.e16; i++) {
      for (const child of this.blocks[i].el.children) if (child._cids && child._cids.includes(span.cid)) out.push(child);
    }
    return out;
  }

  // Mark spans with a class (selected, related); replaces earlier marks of that class.
  setHighlight(cls, spans) {
    this.root.querySelectorAll(`.seg.${cls}`).forEach((seg) => seg.classList.remove(cls));
    this.marks.set(cls, new Set(spans.map((s) => s.cid)));
    for (const span of spans) for (const seg of this.segmentsOf(span)) seg.classList.add(cls);
  }

  scrollToSpan(span) {
    const seg = this.segmentsOf(span)[0];
    if (seg) seg.scrollIntoView({ block: "center", behavior: "instant" });
    return seg;
  }
}
