// Hedge suggestions in the workspace: pending suggestions are drawn as ghost
// spans (hatched, dotted box, "?" tag: readable without colour). Click one or
// step with ] and [; Enter or A accepts it as a HEDGE span in your layer (the
// server creates the span, with the subtype of the suggestion's kind), X
// rejects it. Both are undoable (Ctrl+Z, the Undo button) and both are in the
// history. The panel lists the current suggestion and, per rule, a button
// accepting all of that rule's confident suggestions in this document.
//
// Offsets from the API are code points; ghosts carry UTF-16 offsets (s16/e16)
// for the DOM, converted here at the boundary like every other span.

import { $, isTyping } from "./dom.js";
import { describeJob, followJob } from "./job_progress.js";

// api, documentId   the suggestions' endpoints
// index             the text's OffsetIndex (code points to UTF-16)
// store             the layer's Store: accepted spans are adopted into it, and
//                   decisions go on its undo stack
// textView, textEl  where ghosts are drawn and clicked
// enabled           the user edits their own annotator layer (else no panel)
// status(state, text), notice(text)   what to tell the user
// ghostSelected()   a suggestion was selected (the page drops its span selection)
export class Hedges {
  constructor({ api, documentId, index, store, textView, textEl, enabled, status, notice, ghostSelected }) {
    Object.assign(this, { api, documentId, index, store, textView, textEl, enabled, status, notice, ghostSelected });
    this.items = new Map(); // cid ("h<id>") -> ghost span
    this.selected = null;
    this.confident = 0.8;
    this.panel = null;
    this.total = 0; // suggestions of this document, pending or decided (for the run button's words)
  }

  async load() {
    if (!this.enabled) return;
    this.buildPanel();
    try {
      await this.refresh();
    } catch (err) {
      this.notice(`Could not load the hedge suggestions: ${err.message}`);
    }
  }

  // (Re)read the document's suggestions and draw the pending ones as ghosts.
  async refresh() {
    const data = await this.api.get(`documents/${this.documentId}/hedges/`);
    this.items.clear();
    for (const row of data.suggestions) if (row.state === null) this._add(row);
    this.total = data.suggestions.length;
    if (this.selected && !this.items.has(this.selected)) this.selected = null;
    this.textView.render();
    this.renderPanel();
  }

  // Suggest this document again as a job, show its progress, then draw what it found.
  async run() {
    const { button, bar, message } = this.runControls;
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    message.textContent = "Queuing…";
    const show = (job) => {
      bar.value = job.progress;
      message.textContent = describeJob(job);
      this.runControls.box.dataset.state = job.state;
    };
    try {
      const job = await this.api.post(`documents/${this.documentId}/hedges/`);
      const done = await followJob((path) => this.api.get(path), job, show);
      if (done.state === "succeeded") {
        await this.refresh();
        message.textContent = `${describeJob(done)}. ${this.items.size} pending here.`;
      }
    } catch (err) {
      this.runControls.box.dataset.state = "failed";
      message.textContent = `Not run: ${err.message}`;
    } finally {
      button.disabled = false;
      this.renderRunButton();
    }
  }

  ghosts() { return this.items.values(); }

  _add(row) {
    const index = this.index;
    const ghost = {
      cid: `h${row.id}`, id: row.id, ghost: true, start: row.start, end: row.end,
      s16: index.toUtf16(row.start), e16: index.toUtf16(row.end),
      kind: row.kind, rule: row.rule, confidence: row.confidence, quote: row.quote, label: null,
    };
    this.items.set(ghost.cid, ghost);
    return ghost;
  }

  _redraw(ghost) { this.textView.update([[ghost.s16, ghost.e16]]); }

  sorted() { return [...this.items.values()].sort((a, b) => a.s16 - b.s16 || a.e16 - b.e16); }

  select(cid, { scroll = false } = {}) {
    this.selected = cid != null && this.items.has(cid) ? cid : null;
    const ghost = this.selected ? this.items.get(this.selected) : null;
    this.textView.setHighlight("gsel", ghost ? [ghost] : []);
    if (ghost) {
      this.ghostSelected();
      if (scroll) this.textView.scrollToSpan(ghost);
    }
    this.renderPanel();
  }

  step(direction) {
    const list = this.sorted();
    if (!list.length) return;
    let i = list.findIndex((g) => g.cid === this.selected);
    i = i === -1 ? (direction > 0 ? 0 : list.length - 1) : (i + direction + list.length) % list.length;
    this.select(list[i].cid, { scroll: true });
  }

  // The suggestion after ``ghost`` in reading order (to keep a one-key flow going).
  _next(ghost) {
    const list = this.sorted();
    return list.find((g) => g.s16 > ghost.s16 || (g.s16 === ghost.s16 && g.e16 > ghost.e16)) || list[0] || null;
  }

  async decide(cid, state) {
    const ghost = this.items.get(cid);
    if (!ghost) return;
    const next = this._next(ghost);
    this.items.delete(cid);
    this._redraw(ghost);
    this.select(next && next.cid !== cid ? next.cid : null);
    this.status("saving", state === "accepted" ? "Accepting…" : "Rejecting…");
    let result;
    try {
      result = await this.api.request("PUT", `hedges/${ghost.id}/decision/`, { state });
    } catch (err) {
      this.items.set(cid, ghost);
      this._redraw(ghost);
      this.status("saved");
      this.notice(`Not saved: ${err.message}`);
      return;
    }
    this.status("saved");
    const adopted = state === "accepted" ? this._adopt(result.annotation) : null;
    const verb = state === "accepted" ? "Accept" : "Reject";
    this.store.recordUndo(`${verb} suggestion “${ghost.quote}”`, () => this.undo([{ ghost, adopted }]));
    this.renderPanel();
  }

  _adopt(annotation) {
    if (!annotation) return null;
    const { span, adopted } = this.store.adopt(annotation);
    return adopted ? span.cid : null; // a span you had made before accepting stays on undo
  }

  async acceptRule(rule) {
    this.status("saving", "Accepting…");
    let result;
    try {
      result = await this.api.post(`documents/${this.documentId}/hedges/accept-rule/`, { rule, min_confidence: this.confident });
    } catch (err) {
      this.status("saved");
      this.notice(`Not saved: ${err.message}`);
      return;
    }
    this.status("saved");
    const done = [];
    for (const decision of result.accepted) {
      const ghost = this.items.get(`h${decision.suggestion}`);
      if (!ghost) continue;
      this.items.delete(ghost.cid);
      this._redraw(ghost);
      done.push({ ghost, adopted: this._adopt(decision.annotation) });
    }
    if (this.selected && !this.items.has(this.selected)) this.select(null);
    if (done.length) this.store.recordUndo(`Accept ${done.length} suggestions of ${rule}`, () => this.undo(done));
    this.renderPanel();
  }

  // Undo decisions: the server forgets them (deleting spans accepting created); the ghosts return.
  async undo(entries) {
    this.status("saving", "Undoing…");
    for (const { ghost, adopted } of entries) {
      try {
        await this.api.delete(`hedges/${ghost.id}/decision/`);
      } catch (err) {
        this.notice(`Could not undo: ${err.message}`);
        continue;
      }
      if (adopted != null) this.store.drop(adopted);
      this.items.set(ghost.cid, ghost);
      this._redraw(ghost);
    }
    this.status("saved");
    if (entries.length === 1) this.select(entries[0].ghost.cid, { scroll: true });
    this.renderPanel();
  }

  // --- input ---------------------------------------------------------------

  bind() {
    if (!this.enabled) return;
    this.textEl.addEventListener("mouseup", (e) => {
      if (this.textView.selectionRange()) return;
      const seg = e.target.closest && e.target.closest(".seg");
      const cids = seg ? seg._cids || [] : [];
      const real = cids.some((c) => this.store.spans.has(c));
      const ghost = cids.find((c) => this.items.has(c));
      this.select(ghost && !real ? ghost : null);
    });
    // Capture phase: when a suggestion is selected these keys act on it, before the label keys.
    document.addEventListener("keydown", (e) => {
      const t = e.target;
      if (isTyping(t) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "]" || e.key === "[") { e.preventDefault(); e.stopImmediatePropagation(); this.step(e.key === "]" ? 1 : -1); return; }
      if (this.selected == null || (t && t.tagName === "BUTTON")) return;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      if (key === "Enter" || key === "a") { e.preventDefault(); e.stopImmediatePropagation(); this.decide(this.selected, "accepted"); }
      else if (key === "x") { e.preventDefault(); e.stopImmediatePropagation(); this.decide(this.selected, "rejected"); }
      else if (key === "Escape") this.select(null);
    }, true);
  }

  // --- panel ---------------------------------------------------------------

  buildPanel() {
    const side = document.querySelector(".ws-side");
    const section = document.createElement("section");
    section.className = "ws-card ws-hedges";
    section.id = "ws-hedges";
    section.setAttribute("aria-labelledby", "ws-hedges-title");
    const title = document.createElement("h2");
    title.id = "ws-hedges-title";
    title.textContent = "Hedge suggestions";
    const body = document.createElement("div");
    body.id = "ws-hedges-body";
    const box = document.createElement("div");
    box.className = "hedge-run";
    box.id = "ws-hedges-run";
    const button = this._button("Suggest hedges", () => this.run());
    button.id = "ws-hedges-run-button";
    const bar = document.createElement("progress");
    bar.id = "ws-hedges-progress";
    bar.max = 100;
    bar.value = 0;
    bar.hidden = true;
    bar.setAttribute("aria-label", "Hedge suggestion progress");
    const message = document.createElement("span");
    message.id = "ws-hedges-job";
    message.setAttribute("role", "status");
    message.setAttribute("aria-live", "polite");
    box.append(button, " ", bar, " ", message);
    this.runControls = { box, button, bar, message };
    section.append(title, body, box);
    side.insertBefore(section, side.children[1] || null);
    this.panel = body;
    const legend = $("ws-legend");
    if (legend) {
      const item = document.createElement("span");
      item.className = "legend-item";
      const sample = document.createElement("span");
      sample.className = "seg ghost";
      sample.dataset.ghost = "?";
      sample.textContent = "cue";
      item.append(sample, document.createTextNode(" Suggested hedge · dotted box"));
      legend.appendChild(item);
    }
  }

  renderRunButton() {
    if (!this.runControls) return;
    const button = this.runControls.button;
    button.textContent = this.total ? "Re-run suggestions for this document" : "Suggest hedges";
    button.setAttribute("aria-label", this.total ? "Re-run hedge suggestions for this document" : "Suggest hedges in this document");
  }

  renderPanel() {
    this.renderRunButton();
    const body = this.panel;
    if (!body) return;
    body.textContent = "";
    const count = document.createElement("p");
    count.className = "hint";
    count.id = "ws-hedges-count";
    count.textContent = this.items.size
      ? `${this.items.size} pending. ] and [ step through them; Enter or A accepts, X rejects, Ctrl+Z undoes.`
      : "No pending suggestions.";
    body.appendChild(count);
    const ghost = this.selected ? this.items.get(this.selected) : null;
    if (ghost) {
      const current = document.createElement("div");
      current.className = "hedge-current";
      const quote = document.createElement("strong");
      quote.textContent = `“${ghost.quote}”`;
      current.append(quote, document.createTextNode(` ${ghost.kind} · ${ghost.rule} · confidence ${ghost.confidence.toFixed(2)} `));
      const accept = this._button("Accept (A)", () => this.decide(ghost.cid, "accepted"));
      const reject = this._button("Reject (X)", () => this.decide(ghost.cid, "rejected"));
      current.append(accept, " ", reject);
      body.appendChild(current);
    }
    const byRule = new Map();
    for (const g of this.items.values()) {
      if (g.confidence < this.confident) continue;
      byRule.set(g.rule, (byRule.get(g.rule) || 0) + 1);
    }
    if (byRule.size) {
      const list = document.createElement("ul");
      list.className = "hedge-rules";
      list.setAttribute("aria-label", "Accept all confident suggestions of one rule");
      for (const [rule, n] of [...byRule].sort()) {
        const item = document.createElement("li");
        const name = document.createElement("code");
        name.textContent = rule;
        item.append(name, this._button(`Accept all ${n}`, () => this.acceptRule(rule), `Accept all ${n} confident suggestions of ${rule} in this document`));
        list.appendChild(item);
      }
      body.appendChild(list);
    }
  }

  _button(text, onClick, label) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small";
    button.textContent = text;
    if (label) button.setAttribute("aria-label", label);
    button.addEventListener("click", onClick);
    return button;
  }
}
