// Click (or Enter on) a column header to sort the score table by it; again to reverse.
// Without JavaScript the table keeps the server's order (the "Rank by" choice).
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function cellValue(row, index, type) {
  const cell = row.cells[index];
  const raw = cell?.dataset.value ?? cell?.textContent ?? "";
  if (type === "num") {
    const n = Number.parseFloat(raw);
    return Number.isNaN(n) ? null : n;
  }
  return raw.trim();
}

function sortBy(table, th) {
  const index = [...th.parentElement.children].indexOf(th);
  const type = th.dataset.sort;
  const ascending = th.getAttribute("aria-sort") !== "ascending";
  for (const other of th.parentElement.children) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const rows = [...body.rows];
  rows.sort((a, b) => {
    const x = cellValue(a, index, type);
    const y = cellValue(b, index, type);
    if (x === null && y === null) return 0;
    if (x === null) return 1; // unknown values last either way
    if (y === null) return -1;
    const order = type === "num" ? x - y : collator.compare(x, y);
    return ascending ? order : -order;
  });
  body.append(...rows);
}

for (const table of document.querySelectorAll("table.sortable")) {
  for (const th of table.querySelectorAll("th[data-sort]")) {
    th.tabIndex = 0;
    th.addEventListener("click", () => sortBy(table, th));
    th.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        sortBy(table, th);
      }
    });
  }
}
