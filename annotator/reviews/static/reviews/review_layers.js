// The review page's layers (one annotator's, or gold, side by side): which one
// A, R and 1-9 act on, and keeping their scroll positions in step.
//   body   the element holding the comparison (re-rendered after each action)

export class ReviewLayers {
  constructor(body) {
    this.body = body;
    this.selected = 0; // index into all()
    this.syncing = false;
  }

  all() { return Array.from(this.body.querySelectorAll(".layer")); }

  indexOf(layer) { return this.all().indexOf(layer); }

  select(i, { focus = true } = {}) {
    const all = this.all();
    if (!all[i]) return;
    this.selected = i;
    all.forEach((l, n) => l.classList.toggle("selected", n === i));
    if (focus) all[i].focus({ preventScroll: true });
  }

  current() { return this.all()[this.selected]; }

  // The first layer still waiting for a decision (or stay where we are).
  selectWaiting() {
    const waiting = this.all().findIndex((l) => l.querySelector("form.approve-form"));
    this.select(waiting >= 0 ? waiting : this.selected, { focus: false });
  }

  // The layers show the same text: keep their scroll positions in step.
  bindScrollSync() {
    const boxes = this.all().map((l) => l.querySelector(".text"));
    boxes.forEach((box) => box.addEventListener("scroll", () => {
      if (this.syncing) return;
      this.syncing = true;
      const ratio = box.scrollTop / Math.max(1, box.scrollHeight - box.clientHeight);
      for (const other of boxes) if (other !== box) other.scrollTop = ratio * (other.scrollHeight - other.clientHeight);
      requestAnimationFrame(() => { this.syncing = false; });
    }, { passive: true }));
  }

  // Swap in re-rendered HTML, keeping each layer's scroll position, which
  // details were open and the selected layer.
  replace(html) {
    const scrolls = this.all().map((l) => l.querySelector(".text").scrollTop);
    const open = Array.from(this.body.querySelectorAll("details")).map((d) => d.open);
    this.body.innerHTML = html;
    this.all().forEach((l, i) => { if (scrolls[i] !== undefined) l.querySelector(".text").scrollTop = scrolls[i]; });
    const details = Array.from(this.body.querySelectorAll("details"));
    if (details.length === open.length) details.forEach((d, i) => { d.open = open[i]; });
    this.bindScrollSync();
    this.select(Math.min(this.selected, this.all().length - 1), { focus: false });
  }
}
