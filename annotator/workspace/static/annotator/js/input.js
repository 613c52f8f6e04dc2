// Mouse and keyboard input of the workspace, turned into intents: this module
// knows the DOM events and the key map, not the workspace's state. Callers
// pass the few elements it listens on and an object of intent handlers; what
// an intent means (cycle overlapping spans, pick a link target, ...) is
// decided by the handler.

import { isTyping } from "./dom.js";

// Text selection (also with Shift+arrows in the non-editable text), clicks and
// hovering over spans.
//   textEl, scroller    the text element and its scrolling container
//   textView            the TextView: selectionRange(), blocks, select()
//   on.select(range, alt)   a text selection was made (range [s16, e16])
//   on.selectionChange(range)   the selection changed (null when collapsed)
//   on.clickSegment(seg)    a click without a selection, on a segment (or null)
//   on.hoverSegment(seg)    the pointer moved over a segment (or off the spans)
//   on.scroll(), on.resize()
export function bindText({ textEl, scroller, textView, on }) {
  textEl.addEventListener("mouseup", (e) => {
    const range = textView.selectionRange();
    if (range) { on.select(range, e.altKey); return; }
    on.clickSegment(e.target.closest ? e.target.closest(".seg") : null);
  });
  textEl.addEventListener("mouseover", (e) => on.hoverSegment(e.target.closest ? e.target.closest(".seg") : null));
  // Keyboard selection in the (non-editable) text: Shift+arrows extend by
  // word (Alt: by character), arrows move the caret.
  const moves = {
    ArrowRight: ["forward", "word"], ArrowLeft: ["backward", "word"],
    ArrowDown: ["forward", "line"], ArrowUp: ["backward", "line"],
    End: ["forward", "lineboundary"], Home: ["backward", "lineboundary"],
  };
  textEl.addEventListener("keydown", (e) => {
    if (!(e.key in moves) || e.ctrlKey || e.metaKey) return;
    const sel = window.getSelection();
    if (!sel.rangeCount || !textEl.contains(sel.anchorNode)) {
      const top = scroller.getBoundingClientRect().top;
      const first = textView.blocks.find((b) => b.el.getBoundingClientRect().bottom > top) || textView.blocks[0];
      textView.select(first.s, first.s);
    }
    const [dir, unit] = moves[e.key];
    sel.modify(e.shiftKey ? "extend" : "move", dir, e.altKey && unit === "word" ? "character" : unit);
    const range = textView.selectionRange();
    if (range) on.select(range, e.altKey); else on.selectionChange(null);
    const node = sel.focusNode && (sel.focusNode.nodeType === 1 ? sel.focusNode : sel.focusNode.parentElement);
    if (node) node.scrollIntoView({ block: "nearest" });
    e.preventDefault();
  });
  document.addEventListener("selectionchange", () => on.selectionChange(textView.selectionRange()));
  scroller.addEventListener("scroll", () => on.scroll(), { passive: true });
  window.addEventListener("resize", () => on.resize());
}

// The workspace's shortcuts. Each handler returns true when it used the key
// (the default action is then prevented), false to let it through.
//   undo()                Ctrl+Z (also while nothing else has focus)
//   escape()              Esc
//   digit(n)              1-9
//   enter(target)         Enter (target: the focused element)
//   step(direction)       N / P
//   link()                L
//   remove()              Delete / Backspace
//   label(code, exact)    any other letter: a label shortcut (exact: Alt held)
export function bindKeys(on) {
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    const typing = isTyping(t);
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === "z" && !typing) {
      e.preventDefault();
      on.undo();
      return;
    }
    if (typing || e.ctrlKey || e.metaKey) return;
    if (e.key === "Escape") { on.escape(); return; }
    const code = e.code && e.code.startsWith("Key") ? e.code.slice(3).toLowerCase() : e.key.toLowerCase();
    const used = () => { e.preventDefault(); };
    if (/^[1-9]$/.test(e.key) && on.digit(Number(e.key))) return used();
    if (e.key === "Enter" && on.enter(t)) return used();
    if (t && t.tagName === "BUTTON" && (e.key === "Enter" || e.key === " ")) return; // the button acts
    if ((code === "n" || code === "p") && on.step(code === "n" ? 1 : -1)) return used();
    if (code === "l" && on.link()) return used();
    if ((e.key === "Delete" || e.key === "Backspace") && on.remove()) return used();
    if (on.label(code, e.altKey)) used();
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
