// Mouse and keyboard input of the workspace: selecting text (also with
// Shift+arrows in the non-editable text), clicking and hovering spans, and
// the shortcuts (label keys, 1-9, N/P, L, Delete, Ctrl+Z, Esc).

const $ = (id) => document.getElementById(id);

export function bindText(ws) {
  const text = ws.textEl;
  text.addEventListener("mouseup", (e) => {
    const range = ws.view_.selectionRange();
    if (range) { ws.pending = [range[0], range[1], e.altKey]; return; }
    const seg = e.target.closest && e.target.closest(".seg");
    if (!seg) return;
    const spans = ws.spansAt(seg).sort((a, b) => (a.e16 - a.s16) - (b.e16 - b.s16));
    if (!spans.length) return;
    if (ws.linking && ws.linking.targetCid == null) { ws.pickTarget(spans[0].cid); return; }
    // Repeated clicks on overlapping spans cycle through them, innermost first.
    const at = spans.findIndex((s) => s.cid === ws.selected);
    ws.select(spans[(at + 1) % spans.length].cid);
  });
  let hovered = null;
  text.addEventListener("mouseover", (e) => {
    const seg = e.target.closest && e.target.closest(".seg");
    const spans = seg ? ws.spansAt(seg) : [];
    const cid = spans.length ? spans.sort((a, b) => (a.e16 - a.s16) - (b.e16 - b.s16))[0].cid : null;
    if (cid === hovered) return;
    hovered = cid;
    text.classList.toggle("hovering", cid != null);
    ws.view_.setHighlight("hov", cid == null ? [] : [ws.store.spans.get(cid), ...ws.relatedSpans(cid)]);
  });
  // Keyboard selection in the (non-editable) text: Shift+arrows extend by
  // word (Alt: by character), arrows move the caret.
  const moves = {
    ArrowRight: ["forward", "word"], ArrowLeft: ["backward", "word"],
    ArrowDown: ["forward", "line"], ArrowUp: ["backward", "line"],
    End: ["forward", "lineboundary"], Home: ["backward", "lineboundary"],
  };
  text.addEventListener("keydown", (e) => {
    if (!(e.key in moves) || e.ctrlKey || e.metaKey) return;
    const sel = window.getSelection();
    if (!sel.rangeCount || !text.contains(sel.anchorNode)) {
      const first = ws.view_.blocks.find((b) => b.el.getBoundingClientRect().bottom > text.parentElement.getBoundingClientRect().top) || ws.view_.blocks[0];
      ws.view_.select(first.s, first.s);
    }
    const [dir, unit] = moves[e.key];
    sel.modify(e.shiftKey ? "extend" : "move", dir, e.altKey && unit === "word" ? "character" : unit);
    const range = ws.view_.selectionRange();
    ws.pending = range ? [range[0], range[1], e.altKey] : null;
    const node = sel.focusNode && (sel.focusNode.nodeType === 1 ? sel.focusNode : sel.focusNode.parentElement);
    if (node) node.scrollIntoView({ block: "nearest" });
    e.preventDefault();
  });
  document.addEventListener("selectionchange", () => {
    const range = ws.view_.selectionRange();
    // A collapsed selection (a click) forgets the previous one: a label key
    // must never label text the user is no longer looking at.
    ws.pending = range ? [range[0], range[1], ws.pending ? ws.pending[2] : false] : null;
  });
  $("ws-scroll").addEventListener("scroll", () => {
    if (ws.selected != null) ws.drawLinksSoon();
    if (ws.compareView) ws.syncCompare();
  }, { passive: true });
  window.addEventListener("resize", () => ws.drawLinksSoon());
}


export function bindKeys(ws) {
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    const typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === "z" && !typing) {
      e.preventDefault();
      if (!ws.readOnly) ws.store.undo();
      return;
    }
    if (typing || e.ctrlKey || e.metaKey) return;
    if (e.key === "Escape") {
      if (ws.linking) ws.cancelLink();
      else if (ws.inspector.subtypeFor != null) ws.inspector.askSubtype(null);
      else { window.getSelection().removeAllRanges(); ws.select(null); }
      return;
    }
    if (/^[1-9]$/.test(e.key) && ws.inspector.handleDigit(Number(e.key))) { e.preventDefault(); return; }
    const code = e.code && e.code.startsWith("Key") ? e.code.slice(3).toLowerCase() : e.key.toLowerCase();
    if (ws.linking && ws.linking.targetCid == null && e.key === "Enter" && ws.linkCursor != null) {
      e.preventDefault();
      ws.pickTarget(ws.linkCursor);
      return;
    }
    if (t && t.tagName === "BUTTON" && (e.key === "Enter" || e.key === " ")) return;
    if (code === "n" || code === "p") { e.preventDefault(); ws.stepSpan(code === "n" ? 1 : -1); return; }
    if (e.key === "Enter" && ws.selected != null && (t === ws.textEl || t === document.body)) { e.preventDefault(); ws.inspector.focus(); return; }
    if (code === "l" && ws.selected != null) { e.preventDefault(); ws.startLink(); return; }
    if ((e.key === "Delete" || e.key === "Backspace") && ws.selected != null && !ws.readOnly) {
      e.preventDefault();
      ws.store.deleteSpan(ws.selected);
      return;
    }
    const label = ws.labels.find((l) => l.shortcut && l.shortcut.toLowerCase() === code);
    if (label && (ws.view_.selectionRange() || ws.pending)) {
      e.preventDefault();
      ws.labelSelection(label, { exact: e.altKey });
    }
  });
}

// Arrow keys move between the buttons of a toolbar group (WAI-ARIA toolbar pattern).
export function bindToolbar(toolbar) {
  toolbar.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const buttons = [...toolbar.querySelectorAll("button:not([disabled])")];
    const at = buttons.indexOf(document.activeElement);
    if (at === -1) return;
    e.preventDefault();
    buttons[(at + (e.key === "ArrowRight" ? 1 : -1) + buttons.length) % buttons.length].focus();
  });
}
