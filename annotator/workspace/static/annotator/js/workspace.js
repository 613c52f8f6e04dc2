// The annotation workspace: wires the text view, the store (save queue,
// undo), the side panels and the argument map to the page.

import { Api, newIdempotencyKey } from "./api.js";
import { OffsetIndex, snapToWords, clampToCharacters } from "./offsets.js";
import { Store } from "./store.js";
import { TextView, labelPattern, swatchCss } from "./render.js";
import { renderMap } from "./map.js";
import { Inspector } from "./inspector.js";
import { renderRelations } from "./relations.js";
import { drawLinks } from "./overlay.js";
import * as input from "./input.js";
import * as layers from "./layers.js";
import { Hedges } from "./hedges.js";

const $ = (id) => document.getElementById(id);

class Workspace {
  constructor(root) {
    this.root = root;
    this.api = new Api(root.dataset.api);
    this.documentId = Number(root.dataset.document);
    this.userId = Number(root.dataset.user);
    this.selected = null; // cid of the selected span
    this.linking = null; // {sourceCid}
    this.pending = null; // last text selection [s16, e16, alt]
    this.mode = "text"; // "text", "map" or "both" (see setMode)
  }

  async start() {
    const params = new URLSearchParams(location.search);
    const query = new URLSearchParams();
    if (params.get("annotator")) query.set("annotator", params.get("annotator"));
    if (params.get("layer")) query.set("layer", params.get("layer"));
    let data;
    try {
      data = await this.api.get(`documents/${this.documentId}/workspace/${query.toString() ? "?" + query : ""}`);
    } catch (err) {
      this.setStatus("failed", `Could not open the document: ${err.message}`);
      return;
    }
    this.data = data;
    this.labels = data.labels.filter((l) => l.is_active !== false);
    this.allLabels = data.labels;
    this.labelById = new Map(data.labels.map((l) => [l.id, l]));
    this.index = new OffsetIndex(data.document.text);
    this.store = new Store({
      api: this.api, index: this.index, documentId: this.documentId,
      layer: data.layer.layer, readOnly: data.layer.read_only,
    });
    this.store.load(data);
    this.textEl = $("ws-text");
    this.textView = new TextView(this.textEl, {
      text: data.document.text, labels: data.labels, spans: () => this.visibleSpans(),
      ariaLabel: `Text of “${data.document.title || "document"}”. Select text, then press a label key.`,
    });
    this.textView.render();
    this.inspector = new Inspector($("ws-inspector-body"), {
      store: this.store, labels: this.labels, labelById: this.labelById,
      state: () => ({ selected: this.selected, linking: this.linking, readOnly: this.readOnly }),
      actions: {
        startLink: () => this.startLink(), finishLink: (type) => this.finishLink(type), cancelLink: () => this.cancelLink(),
        select: (cid, options) => this.select(cid, options), notice: (text) => this.notice(text),
        focusText: () => this.textEl.focus({ preventScroll: true }),
      },
    });
    this.buildToolbar();
    this.buildLegend();
    this.buildLayerPickers();
    this.bindStore();
    this.bindText();
    this.bindKeys();
    this.bindChrome();
    this.showState();
    this.renderRelations();
    this.inspector.render();
    this.setStatus("saved");
    if (window.matchMedia("(min-width: 1700px)").matches) this.setMode("both");
    this.openLinkedSpan();
    this.hedges = new Hedges(this);
    this.hedges.bind();
    await this.hedges.load();
    window.assayReadyAt = performance.now();
    this.root.dataset.ready = "true";
    window.assayWorkspace = this; // for the browser tests and the benchmark
  }

  get readOnly() { return this.store.readOnly; }

  // The layer's spans, and the pending hedge suggestions drawn as ghosts beside them.
  visibleSpans() {
    if (!this.hedges || !this.hedges.items.size) return this.store.spans.values();
    return [...this.store.spans.values(), ...this.hedges.ghosts()];
  }

  // Links from elsewhere (the credibility drill-down, review pages) end in
  // #span-<server id>: select that span and bring it into view.
  openLinkedSpan() {
    const match = /^#span-(\d+)$/.exec(location.hash);
    if (!match) return;
    const cid = this.store.spanCid.get(Number(match[1]));
    if (cid == null) {
      this.notice(`Span #${match[1]} is not in this layer (it may have been deleted, or belong to another layer).`);
      return;
    }
    this.select(cid, { scroll: true });
  }

  // --- chrome -----------------------------------------------------------

  buildToolbar() {
    const box = $("ws-labels");
    box.textContent = "";
    for (const label of this.labels) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "label-button";
      button.dataset.label = label.id;
      button.style.setProperty("--label", label.color);
      const key = (label.shortcut || "").toUpperCase();
      button.setAttribute("aria-label", `Label the selection as ${label.name}${key ? ` (shortcut ${key})` : ""}`);
      if (key) button.setAttribute("aria-keyshortcuts", key);
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      button.append(swatch, document.createTextNode(label.name));
      if (key) { const kbd = document.createElement("kbd"); kbd.textContent = key; button.append(" ", kbd); }
      // Keep the text selection when the button is pressed with the mouse.
      button.addEventListener("mousedown", (e) => e.preventDefault());
      button.addEventListener("click", (e) => this.labelSelection(label, { exact: e.altKey }));
      box.appendChild(button);
    }
    $("ws-help-labels").textContent = this.labels.map((l) => (l.shortcut || "").toUpperCase()).filter(Boolean).join(" ");
    this.updateToolbar();
  }

  updateToolbar() {
    const ro = this.readOnly;
    for (const b of $("ws-labels").querySelectorAll("button")) b.disabled = ro;
    $("ws-link").disabled = ro || this.selected == null;
    $("ws-undo").disabled = ro || this.store.undoStack.length === 0;
    $("ws-nosnap").disabled = ro;
    this.root.classList.toggle("read-only", ro);
  }

  buildLegend() {
    const legend = $("ws-legend");
    legend.textContent = "";
    this.allLabels.forEach((label, i) => {
      const item = document.createElement("span");
      item.className = "legend-item";
      const sample = document.createElement("span");
      sample.className = "legend-sample";
      sample.style.cssText = swatchCss(labelPattern(i), label.color);
      sample.textContent = (label.shortcut || label.code[0]).toUpperCase();
      item.append(sample, document.createTextNode(` ${label.name} · ${labelPattern(i)}`));
      legend.appendChild(item);
    });
  }

  buildLayerPickers() {
    layers.buildLayerPickers({ data: this.data, userId: this.userId, onCompare: (value, title) => this.showCompare(value, title) });
  }

  async showCompare(value, title) {
    let view;
    try {
      view = await layers.showCompare({
        api: this.api, documentId: this.documentId, index: this.index,
        text: this.data.document.text, labels: this.data.labels,
      }, value, title);
    } catch (err) {
      this.notice(`Could not load that layer: ${err.message}`);
      return;
    }
    this.compareView = view;
    this.root.classList.toggle("comparing", view != null);
    if (!view) return;
    if (this.mode === "both") this.setMode("text"); // two layers take the width the map had
    this.syncCompare();
  }

  syncCompare() { layers.syncCompare(this.textView, this.compareView, $("ws-scroll")); }

  showState() {
    layers.showState({ layer: this.data.layer, userId: this.userId, readOnly: this.readOnly });
    this.updateToolbar();
  }

  setStatus(state, text) {
    const el = $("ws-status");
    el.dataset.state = state;
    const queue = this.store ? this.store.queue : null;
    if (text) el.textContent = text;
    else if (state === "saved") el.textContent = this.readOnly ? "Read-only" : "All changes saved";
    else if (state === "saving") el.textContent = `Saving… (${queue.pending})`;
    else if (state === "failed") {
      const secs = Math.max(0, Math.round((queue.retryAt - Date.now()) / 1000));
      el.textContent = `Not saved: ${queue.lastError || "error"} Retrying in ${secs} s (${queue.pending} unsaved)`;
    } else if (state === "conflict") el.textContent = "Not saved: conflict";
    $("ws-retry").hidden = state !== "failed";
  }

  notice(text) {
    $("ws-notice-text").textContent = text;
    $("ws-notice").hidden = false;
  }

  // --- store events ------------------------------------------------------

  bindStore() {
    const store = this.store;
    store.addEventListener("spans", (e) => {
      this.textView.update(e.detail.ranges);
      if (this.selected != null && !store.spans.has(this.selected)) this.select(null);
    });
    store.addEventListener("relations", () => this.refreshPanels());
    store.addEventListener("undo", () => this.updateToolbar());
    store.addEventListener("save", (e) => {
      this.setStatus(e.detail.state);
      clearInterval(this.countdown);
      if (e.detail.state === "failed") this.countdown = setInterval(() => this.setStatus(store.queue.state), 1000);
    });
    store.addEventListener("rejected", (e) => this.notice(`Not saved: ${e.detail.message}`));
    store.addEventListener("conflict", (e) => {
      const { message, current } = e.detail;
      let text = message;
      if (current && current.label) {
        const label = this.labelById.get(current.label);
        text += ` Now stored: ${label ? label.name : "span"} “${(current.quote || "").slice(0, 80)}”${current.note ? ` with note “${current.note.slice(0, 80)}”` : ""}.`;
      }
      text += " Reload to see their version (your change is then discarded), or keep your change on top of theirs.";
      $("ws-conflict-text").textContent = text;
      $("ws-conflict").hidden = false;
      $("ws-conflict-reload").focus();
    });
    window.addEventListener("beforeunload", (e) => {
      if (this.leaving) return;
      if (store.queue.pending || store.queue.conflict) { e.preventDefault(); e.returnValue = ""; }
    });
  }

  refreshPanels() {
    // Panels are rebuilt when the page is idle, batched: a burst of changes
    // costs one rebuild, and never delays painting the text or a save.
    if (this.panelTimer) return;
    const run = () => {
      this.panelTimer = null;
      this.renderRelations();
      if (this.mode !== "text") this.renderMap();
      this.inspector.render();
      this.drawLinks();
    };
    this.panelTimer = window.requestIdleCallback ? requestIdleCallback(run, { timeout: 400 }) : setTimeout(run, 50);
  }

  renderRelations() {
    renderRelations($("ws-relations"), {
      store: this.store, labels: this.allLabels, labelById: this.labelById,
      onPick: (cid) => this.select(cid, { scroll: true }),
    });
  }

  renderMap() {
    renderMap($("ws-map"), {
      spans: this.store.spans, relations: this.store.relations, labels: this.allLabels, speakers: this.store.speakers,
      onPick: (cid) => { if (this.mode === "map") this.setMode("text"); this.select(cid, { scroll: true }); },
    });
  }

  // "text", "map" or "both" (text and map side by side: the default on wide screens).
  setMode(view) {
    this.mode = view;
    $("ws-tab-text").setAttribute("aria-selected", String(view === "text"));
    $("ws-tab-map").setAttribute("aria-selected", String(view === "map"));
    $("ws-tab-both").setAttribute("aria-selected", String(view === "both"));
    $("ws-text-view").hidden = view === "map";
    $("ws-map").hidden = view === "text";
    this.root.classList.toggle("ws-both", view === "both");
    if (view !== "text") this.renderMap();
    this.drawLinksSoon();
  }

  // --- selection and spans ----------------------------------------------

  spansAt(seg) { return (seg._cids || []).map((cid) => this.store.spans.get(cid)).filter(Boolean); }

  select(cid, { scroll = false, focus = false } = {}) {
    this.selected = cid;
    if (cid != null && this.hedges && this.hedges.selected != null) this.hedges.select(null);
    const span = cid == null ? null : this.store.spans.get(cid);
    this.textView.setHighlight("sel", span ? [span] : []);
    const related = span ? this.relatedSpans(cid) : [];
    this.textView.setHighlight("rel", related);
    if (span && scroll) this.textView.scrollToSpan(span);
    this.inspector.render();
    this.updateToolbar();
    this.drawLinks();
    if (focus) this.inspector.focus();
    // Other cards (annotator/propositions' panel) follow the selection.
    this.root.dispatchEvent(new CustomEvent("assay:select", { detail: { cid } }));
  }

  relatedSpans(cid) {
    const out = [];
    for (const rel of this.store.relationsOf(cid)) {
      const other = rel.sourceCid === cid ? rel.targetCid : rel.sourceCid;
      const span = other == null ? null : this.store.spans.get(other);
      if (span) out.push(span);
    }
    return out;
  }

  drawLinks() {
    const cid = this.mode === "text" ? this.selected : null; // arrows only over the text alone
    drawLinks($("ws-overlay"), $("ws-scroll"), { cid, store: this.store, textView: this.textView });
  }

  currentRange() { return this.textView.selectionRange(); }

  labelSelection(label, { exact = false } = {}) {
    if (this.readOnly) { this.notice("This layer is read-only."); return null; }
    let range = this.currentRange() || (this.pending && [this.pending[0], this.pending[1]]);
    if (!range) { this.notice("Select some text first, then choose a label."); return null; }
    const noSnap = exact || $("ws-nosnap").checked || (this.pending && this.pending[2]);
    let [s, e] = noSnap ? clampToCharacters(this.index, range[0], range[1]) : snapToWords(this.index.text, range[0], range[1]);
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
    if ((label.subtypes || []).some((st) => st.is_active !== false)) this.inspector.askSubtype(span.cid);
    return span;
  }

  startLink() {
    if (this.readOnly || this.selected == null) return;
    this.linking = { sourceCid: this.selected, targetCid: null };
    this.root.classList.add("linking");
    this.inspector.render();
  }

  pickTarget(cid) {
    if (!this.linking) return;
    if (cid === this.linking.sourceCid) { this.notice("A span cannot link to itself; pick another span."); return; }
    this.linking.targetCid = cid;
    this.textView.setHighlight("rel", [this.store.spans.get(cid)]);
    this.inspector.render();
    this.inspector.focus();
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
    this.root.classList.remove("linking");
    this.inspector.render();
  }

  stepSpan(direction) {
    const spans = [...this.store.spans.values()].sort((a, b) => a.s16 - b.s16 || a.e16 - b.e16);
    if (!spans.length) return;
    let i = spans.findIndex((s) => s.cid === this.selected);
    i = i === -1 ? (direction > 0 ? 0 : spans.length - 1) : (i + direction + spans.length) % spans.length;
    if (this.linking && this.linking.targetCid == null) {
      this.linkCursor = spans[i].cid;
      this.selected = spans[i].cid;
      this.textView.setHighlight("rel", [spans[i]]);
      this.textView.scrollToSpan(spans[i]);
      return;
    }
    this.select(spans[i].cid, { scroll: true });
  }

  // --- input: what each mouse and key intent means here (input.js) ---------

  bindText() {
    input.bindText({
      textEl: this.textEl, scroller: $("ws-scroll"), textView: this.textView,
      on: {
        select: (range, alt) => { this.pending = [range[0], range[1], alt]; },
        // A collapsed selection (a click) forgets the previous one: a label key
        // must never label text the user is no longer looking at.
        selectionChange: (range) => { this.pending = range ? [range[0], range[1], this.pending ? this.pending[2] : false] : null; },
        clickSegment: (seg) => this.clickSpans(seg ? this.spansAt(seg) : []),
        hoverSegment: (seg) => this.hoverSpans(seg ? this.spansAt(seg) : []),
        scroll: () => {
          if (this.selected != null) this.drawLinksSoon();
          if (this.compareView) this.syncCompare();
        },
        resize: () => this.drawLinksSoon(),
      },
    });
  }

  // Repeated clicks on overlapping spans cycle through them, innermost first;
  // while linking, a click picks the target.
  clickSpans(spans) {
    if (!spans.length) return;
    spans.sort((a, b) => (a.e16 - a.s16) - (b.e16 - b.s16));
    if (this.linking && this.linking.targetCid == null) { this.pickTarget(spans[0].cid); return; }
    const at = spans.findIndex((s) => s.cid === this.selected);
    this.select(spans[(at + 1) % spans.length].cid);
  }

  hoverSpans(spans) {
    const cid = spans.length ? spans.sort((a, b) => (a.e16 - a.s16) - (b.e16 - b.s16))[0].cid : null;
    if (cid === this.hovered) return;
    this.hovered = cid;
    this.textEl.classList.toggle("hovering", cid != null);
    this.textView.setHighlight("hov", cid == null ? [] : [this.store.spans.get(cid), ...this.relatedSpans(cid)]);
  }

  bindKeys() {
    const selected = () => this.selected != null;
    input.bindKeys({
      undo: () => { if (!this.readOnly) this.store.undo(); return true; },
      escape: () => {
        if (this.linking) this.cancelLink();
        else if (this.inspector.subtypeFor != null) this.inspector.askSubtype(null);
        else { window.getSelection().removeAllRanges(); this.select(null); }
        return true;
      },
      digit: (n) => this.inspector.handleDigit(n),
      enter: (target) => {
        if (this.linking && this.linking.targetCid == null && this.linkCursor != null) { this.pickTarget(this.linkCursor); return true; }
        if (target && target.tagName === "BUTTON") return false;
        if (selected() && (target === this.textEl || target === document.body)) { this.inspector.focus(); return true; }
        return false;
      },
      step: (direction) => { this.stepSpan(direction); return true; },
      link: () => { if (!selected()) return false; this.startLink(); return true; },
      remove: () => {
        if (!selected() || this.readOnly) return false;
        this.store.deleteSpan(this.selected);
        return true;
      },
      label: (code, exact) => {
        const label = this.labels.find((l) => l.shortcut && l.shortcut.toLowerCase() === code);
        if (!label || !(this.textView.selectionRange() || this.pending)) return false;
        this.labelSelection(label, { exact });
        return true;
      },
    });
  }

  drawLinksSoon() {
    if (this.linkFrame) return;
    this.linkFrame = requestAnimationFrame(() => { this.linkFrame = null; this.drawLinks(); });
  }

  bindChrome() {
    input.bindToolbar(document.querySelector(".ws-toolbar"));
    $("ws-retry").addEventListener("click", () => this.store.queue.retryNow());
    $("ws-undo").addEventListener("click", () => this.store.undo());
    $("ws-link").addEventListener("click", () => this.startLink());
    $("ws-tab-text").addEventListener("click", () => this.setMode("text"));
    $("ws-tab-map").addEventListener("click", () => this.setMode("map"));
    $("ws-tab-both").addEventListener("click", () => this.setMode("both"));
    $("ws-notice-close").addEventListener("click", () => { $("ws-notice").hidden = true; });
    $("ws-conflict-reload").addEventListener("click", () => { this.leaving = true; location.reload(); });
    $("ws-conflict-mine").addEventListener("click", () => {
      $("ws-conflict").hidden = true;
      this.store.queue.resolveConflict("mine");
    });
    $("ws-submit").addEventListener("click", () => {
      $("ws-submit").hidden = true;
      $("ws-submit-confirm").hidden = false;
      $("ws-submit-yes").focus();
    });
    $("ws-submit-no").addEventListener("click", () => {
      $("ws-submit-confirm").hidden = true;
      $("ws-submit").hidden = false;
    });
    $("ws-submit-yes").addEventListener("click", () => this.submit());
  }

  async submit() {
    const button = $("ws-submit-yes");
    button.disabled = true;
    // Everything must be saved first: submit what the reviewer will see.
    while (this.store.queue.pending) {
      if (this.store.queue.conflict) { this.notice("Resolve the conflict before submitting."); button.disabled = false; return; }
      this.setStatus("saving", "Saving before submitting…");
      await new Promise((r) => setTimeout(r, 100));
    }
    // One Idempotency-Key per submission, kept across its retries (and a second click after a
    // failure): a submit that committed but whose answer was lost is replayed, not refused as
    // "already submitted".
    this.submitKey ||= newIdempotencyKey();
    try {
      let result;
      for (let attempt = 0; ; attempt++) {
        try {
          result = await this.api.post(`documents/${this.documentId}/submit/`, {}, { idempotencyKey: this.submitKey });
          break;
        } catch (err) {
          if (!err.transient || attempt >= 2) throw err;
          await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
        }
      }
      this.submitKey = null;
      this.data.layer.assignment = result.assignment;
      this.store.readOnly = true;
      this.data.layer.read_only = true;
      $("ws-submit-confirm").hidden = true;
      this.select(null);
      this.showState();
      this.setStatus("saved");
    } catch (err) {
      if (!err.transient) this.submitKey = null; // refused: the next click is a new request
      this.notice(`Could not submit: ${err.message}`);
    } finally {
      button.disabled = false;
    }
  }
}

const root = document.getElementById("ws");
if (root) new Workspace(root).start();
