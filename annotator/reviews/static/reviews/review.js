// Keyboard shortcuts and text selection for the review comparison page.
// 1-9 pick a layer, A approves it, R focuses its "request changes" reason, N opens the next document.
(function () {
  "use strict";
  const layers = Array.from(document.querySelectorAll(".layer"));
  let selected = layers.find((l) => l.classList.contains("selected")) || layers[0];

  function select(layer) {
    if (!layer) return;
    layers.forEach((l) => l.classList.toggle("selected", l === layer));
    selected = layer;
  }
  layers.forEach((layer) => layer.addEventListener("click", () => select(layer)));
  // Start on the first layer waiting for a decision.
  select(layers.find((l) => l.querySelector("form.approve-form")) || selected);

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key.toLowerCase();
    if (/^[1-9]$/.test(key)) {
      select(layers[Number(key) - 1]);
      selected && selected.focus();
    } else if (key === "a" && selected) {
      const form = selected.querySelector("form.approve-form");
      if (form) { event.preventDefault(); form.requestSubmit(); }
    } else if (key === "r" && selected) {
      const reason = selected.querySelector("form.changes-form textarea");
      if (reason) { event.preventDefault(); reason.focus(); }
    } else if (key === "n") {
      const next = document.querySelector("[data-key=n]");
      if (next) { event.preventDefault(); next.click(); }
    }
  });
  // Enter in the reason box sends it (Shift+Enter for a new line).
  document.querySelectorAll("form.changes-form textarea").forEach((area) => {
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); area.form.requestSubmit(); }
    });
  });

  // Selecting text in the own gold layer fills the "add gold span" form.
  // Offsets are code points (the API's unit), not UTF-16 units.
  const editor = document.querySelector("[data-gold-editor]");
  const addForm = document.querySelector("form.gold-add");
  function codePointOffset(node, offset) {
    const piece = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const base = Number(piece && piece.dataset ? piece.dataset.start : NaN);
    if (Number.isNaN(base)) return null;
    return base + Array.from((node.textContent || "").slice(0, offset)).length;
  }
  if (editor && addForm) {
    editor.addEventListener("mouseup", () => {
      const selection = window.getSelection();
      if (!selection || selection.isCollapsed) return;
      const range = selection.getRangeAt(0);
      const start = codePointOffset(range.startContainer, range.startOffset);
      const end = codePointOffset(range.endContainer, range.endOffset);
      if (start === null || end === null || end <= start) return;
      addForm.elements.start.value = start;
      addForm.elements.end.value = end;
    });
  }
  // Queue page: J/K move through the documents, Enter or O opens the current one.
  const rows = Array.from(document.querySelectorAll("table.queue tbody tr")).filter((r) => r.querySelector("a"));
  let current = -1;
  function move(step) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, current + step));
    rows.forEach((r, i) => r.classList.toggle("current", i === current));
    rows[current].querySelector("a").focus();
  }
  if (rows.length) {
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === "j") { event.preventDefault(); move(1); }
      else if (key === "k") { event.preventDefault(); move(-1); }
      else if (key === "o" && current >= 0) { event.preventDefault(); rows[current].querySelector("a").click(); }
    });
  }
  document.body.dataset.reviewReady = "1";  // tests wait for the handlers
})();
