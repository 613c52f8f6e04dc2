// The annotation workspace's composition root: loads the layer, builds each
// part with only what it needs (elements, data, callbacks) and wires their
// events together. What each part receives and emits: docs/workspace.md,
// "Modules". No other module is handed this object.

import { Api } from "./api.js";
import { $ } from "./dom.js";
import { OffsetIndex } from "./offsets.js";
import { Store } from "./store.js";
import { TextView } from "./render.js";
import { Inspector } from "./inspector.js";
import * as input from "./input.js";
import * as layers from "./layers.js";
import { Hedges } from "./hedges.js";
import { Selection } from "./selection.js";
import { Labeller } from "./labeller.js";
import { StatusBar } from "./status.js";
import { bindSubmit } from "./submit.js";
import { buildLabelButtons, buildLegend, updateToolbar } from "./toolbar.js";
import { Views } from "./views.js";

class Workspace {
  constructor(root) {
    this.root = root;
    this.api = new Api(root.dataset.api);
    this.documentId = Number(root.dataset.document);
    this.userId = Number(root.dataset.user);
    this.status = new StatusBar();
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
      this.status.set("failed", `Could not open the document: ${err.message}`);
      return;
    }
    this.data = data;
    this.labels = data.labels.filter((l) => l.is_active !== false);
    this.labelById = new Map(data.labels.map((l) => [l.id, l]));
    this.index = new OffsetIndex(data.document.text);
    const store = this.store = new Store({
      api: this.api, index: this.index, documentId: this.documentId,
      layer: data.layer.layer, readOnly: data.layer.read_only,
    });
    store.load(data);
    const readOnly = () => store.readOnly;
    const notice = (text) => this.status.notice(text);
    this.textEl = $("ws-text");
    this.textView = new TextView(this.textEl, {
      text: data.document.text, labels: data.labels, spans: () => this.visibleSpans(),
      ariaLabel: `Text of “${data.document.title || "document"}”. Select text, then press a label key.`,
    });
    this.textView.render();
    const selection = this.selection = new Selection({ store, textView: this.textView, readOnly, notice });
    this.inspector = new Inspector($("ws-inspector-body"), {
      store, labels: this.labels, labelById: this.labelById,
      state: () => ({ selected: selection.selected, linking: selection.linking, readOnly: store.readOnly }),
      actions: {
        startLink: () => selection.startLink(), finishLink: (type) => selection.finishLink(type),
        cancelLink: () => selection.cancelLink(), select: (cid, options) => selection.select(cid, options),
        notice, focusText: () => this.textEl.focus({ preventScroll: true }),
      },
    });
    this.labeller = new Labeller({
      index: this.index, store, textView: this.textView, readOnly, notice,
      exact: () => $("ws-nosnap").checked,
      select: (cid) => selection.select(cid),
      created: (span, label) => {
        if ((label.subtypes || []).some((st) => st.is_active !== false)) this.inspector.askSubtype(span.cid);
      },
    });
    this.views = new Views({
      root: this.root, store, textView: this.textView, labels: data.labels, labelById: this.labelById,
      selected: () => selection.selected, pick: (cid) => selection.select(cid, { scroll: true }),
      refreshed: () => this.inspector.render(),
    });
    this.hedges = new Hedges({
      api: this.api, documentId: this.documentId, index: this.index, store, textView: this.textView, textEl: this.textEl,
      enabled: data.layer.layer === "annotator" && !data.layer.read_only && data.layer.annotator && data.layer.annotator.id === this.userId,
      status: (state, text) => this.status.set(state, text), notice,
      ghostSelected: () => { if (selection.selected != null) selection.select(null); },
    });
    buildLabelButtons(this.labels, (label, options) => this.labeller.label(label, options));
    buildLegend(data.labels);
    layers.buildLayerPickers({ data, userId: this.userId, onCompare: (value, title) => this.showCompare(value, title) });
    this.status.follow(store, { readOnly, labelName: (id) => this.labelById.get(id)?.name });
    this.bindStore();
    this.bindSelection();
    this.bindText();
    this.bindKeys();
    this.bindChrome();
    this.showState();
    this.views.renderRelations();
    this.inspector.render();
    this.status.set("saved");
    if (window.matchMedia("(min-width: 1700px)").matches) this.views.setMode("both");
    this.openLinkedSpan();
    this.hedges.bind();
    await this.hedges.load();
    window.assayReadyAt = performance.now();
    this.root.dataset.ready = "true";
    this.announceReady();
    window.assayWorkspace = this; // for the browser tests and the benchmark only
  }

  // The handles other cards on the page (annotator/propositions' panel) get:
  // the selected span, read-only or not, whether text is selected, a notice.
  announceReady() {
    const port = {
      selectedSpan: () => {
        const span = this.selection.selected == null ? null : this.store.spans.get(this.selection.selected);
        if (!span) return null;
        const label = this.labelById.get(span.label);
        return { id: span.id, quote: span.quote, kind: label ? label.kind : null };
      },
      readOnly: () => this.store.readOnly,
      textSelected: () => Boolean(this.textView.selectionRange()),
      notice: (text) => this.status.notice(text),
    };
    this.root.assayPort = port;
    this.root.dispatchEvent(new CustomEvent("assay:ready", { detail: port }));
  }

  // For the browser tests and the benchmark (window.assayWorkspace).
  get selected() { return this.selection.selected; }
  setMode(mode) { this.views.setMode(mode); }
  labelSelection(label, options) { return this.labeller.label(label, options); }

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
      this.status.notice(`Span #${match[1]} is not in this layer (it may have been deleted, or belong to another layer).`);
      return;
    }
    this.selection.select(cid, { scroll: true });
  }

  updateToolbar() {
    updateToolbar(this.root, { readOnly: this.store.readOnly, hasSelection: this.selection.selected != null, canUndo: this.store.undoStack.length > 0 });
  }

  async showCompare(value, title) {
    let view;
    try {
      view = await layers.showCompare({
        api: this.api, documentId: this.documentId, index: this.index,
        text: this.data.document.text, labels: this.data.labels,
      }, value, title);
    } catch (err) {
      this.status.notice(`Could not load that layer: ${err.message}`);
      return;
    }
    this.compareView = view;
    this.root.classList.toggle("comparing", view != null);
    if (!view) return;
    if (this.views.mode === "both") this.views.setMode("text"); // two layers take the width the map had
    this.syncCompare();
  }

  syncCompare() { layers.syncCompare(this.textView, this.compareView, $("ws-scroll")); }

  showState() {
    layers.showState({ layer: this.data.layer, userId: this.userId, readOnly: this.store.readOnly });
    this.updateToolbar();
  }

  bindStore() {
    const store = this.store;
    store.addEventListener("spans", (e) => {
      this.textView.update(e.detail.ranges);
      if (this.selection.selected != null && !store.spans.has(this.selection.selected)) this.selection.select(null);
    });
    store.addEventListener("relations", () => this.views.refresh());
    store.addEventListener("undo", () => this.updateToolbar());
  }

  bindSelection() {
    const selection = this.selection;
    selection.addEventListener("select", (e) => {
      const { cid, focus } = e.detail;
      if (cid != null && this.hedges.selected != null) this.hedges.select(null);
      this.inspector.render();
      this.updateToolbar();
      this.views.drawLinks();
      if (focus) this.inspector.focus();
      // Other cards (annotator/propositions' panel) follow the selection.
      this.root.dispatchEvent(new CustomEvent("assay:select", { detail: { cid } }));
    });
    selection.addEventListener("linking", (e) => {
      this.root.classList.toggle("linking", e.detail.linking != null);
      this.inspector.render();
      if (e.detail.focus) this.inspector.focus();
    });
    selection.addEventListener("hover", (e) => this.textEl.classList.toggle("hovering", e.detail.cid != null));
  }

  // What each mouse and key intent of input.js means here.
  bindText() {
    const { labeller, selection } = this;
    input.bindText({
      textEl: this.textEl, scroller: $("ws-scroll"), textView: this.textView,
      on: {
        select: (range, alt) => labeller.remember(range, alt),
        selectionChange: (range) => labeller.selectionChanged(range),
        clickSegment: (seg) => selection.click(seg),
        hoverSegment: (seg) => selection.hover(seg),
        scroll: () => {
          if (selection.selected != null) this.views.drawLinksSoon();
          if (this.compareView) this.syncCompare();
        },
        resize: () => this.views.drawLinksSoon(),
      },
    });
  }

  bindKeys() {
    const { store, selection, inspector, labeller } = this;
    const selected = () => selection.selected != null;
    input.bindKeys({
      undo: () => { if (!store.readOnly) store.undo(); return true; },
      escape: () => {
        if (selection.linking) selection.cancelLink();
        else if (inspector.subtypeFor != null) inspector.askSubtype(null);
        else { window.getSelection().removeAllRanges(); selection.select(null); }
        return true;
      },
      digit: (n) => inspector.handleDigit(n),
      enter: (target) => {
        if (selection.pickCursor()) return true;
        if (target && target.tagName === "BUTTON") return false;
        if (selected() && (target === this.textEl || target === document.body)) { inspector.focus(); return true; }
        return false;
      },
      step: (direction) => { selection.step(direction); return true; },
      link: () => { if (!selected()) return false; selection.startLink(); return true; },
      remove: () => {
        if (!selected() || store.readOnly) return false;
        store.deleteSpan(selection.selected);
        return true;
      },
      label: (code, exact) => {
        const label = this.labels.find((l) => l.shortcut && l.shortcut.toLowerCase() === code);
        if (!label || !labeller.hasSelection()) return false;
        labeller.label(label, { exact });
        return true;
      },
    });
  }

  bindChrome() {
    input.bindToolbar(document.querySelector(".ws-toolbar"));
    $("ws-undo").addEventListener("click", () => this.store.undo());
    $("ws-link").addEventListener("click", () => this.selection.startLink());
    bindSubmit({
      api: this.api, documentId: this.documentId, queue: this.store.queue,
      status: (state, text) => this.status.set(state, text), notice: (text) => this.status.notice(text),
      submitted: (result) => {
        this.data.layer.assignment = result.assignment;
        this.store.readOnly = true;
        this.data.layer.read_only = true;
        this.selection.select(null);
        this.showState();
        this.status.set("saved");
      },
    });
  }
}

const root = document.getElementById("ws");
if (root) new Workspace(root).start();
