// The review queue: J/K move through the documents, Enter or O opens the current one.
// (The comparison page has its own module, review_document.js.)
import { isTyping } from "../annotator/js/dom.js";

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
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    const key = event.key.toLowerCase();
    if (key === "j") { event.preventDefault(); move(1); }
    else if (key === "k") { event.preventDefault(); move(-1); }
    else if (key === "o" && current >= 0) { event.preventDefault(); rows[current].querySelector("a").click(); }
  });
}
document.body.dataset.reviewReady = "1"; // tests wait for the handlers
