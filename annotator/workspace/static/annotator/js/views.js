// The Text / Argument map / Both tabs and what they show beside the text: the
// argument map, the "Claims and their links" panel and the arrows drawn over
// the text from the selected span.
//   root        the workspace element (styled for "both")
//   store       the layer's spans, relations and speakers
//   textView    where each span is drawn
//   labels      every label (labelById: by id)
//   selected()  the selected span's cid, or null
//   pick(cid)   a span was chosen in the map or the panel
//   refreshed() the panels were rebuilt after a change (the side card follows)

import { $ } from "./dom.js";
import { renderMap } from "./map.js";
import { renderRelations } from "./relations.js";
import { drawLinks } from "./overlay.js";

export class Views {
  constructor({ root, store, textView, labels, labelById, selected, pick, refreshed }) {
    Object.assign(this, { root, store, textView, labels, labelById, selected, pick, refreshed });
    this.mode = "text"; // "text", "map" or "both"
    for (const mode of ["text", "map", "both"]) $(`ws-tab-${mode}`).addEventListener("click", () => this.setMode(mode));
  }

  // "both" (text and map side by side) is the default on wide screens.
  setMode(mode) {
    this.mode = mode;
    $("ws-tab-text").setAttribute("aria-selected", String(mode === "text"));
    $("ws-tab-map").setAttribute("aria-selected", String(mode === "map"));
    $("ws-tab-both").setAttribute("aria-selected", String(mode === "both"));
    $("ws-text-view").hidden = mode === "map";
    $("ws-map").hidden = mode === "text";
    this.root.classList.toggle("ws-both", mode === "both");
    if (mode !== "text") this.renderMap();
    this.drawLinksSoon();
  }

  // Panels are rebuilt when the page is idle, batched: a burst of changes
  // costs one rebuild, and never delays painting the text or a save.
  refresh() {
    if (this.panelTimer) return;
    const run = () => {
      this.panelTimer = null;
      this.renderRelations();
      if (this.mode !== "text") this.renderMap();
      this.refreshed();
      this.drawLinks();
    };
    this.panelTimer = window.requestIdleCallback ? requestIdleCallback(run, { timeout: 400 }) : setTimeout(run, 50);
  }

  renderRelations() {
    renderRelations($("ws-relations"), { store: this.store, labels: this.labels, labelById: this.labelById, onPick: this.pick });
  }

  renderMap() {
    const { store } = this;
    renderMap($("ws-map"), {
      spans: store.spans, relations: store.relations, labels: this.labels, speakers: store.speakers,
      onPick: (cid) => { if (this.mode === "map") this.setMode("text"); this.pick(cid); },
    });
  }

  drawLinks() {
    const cid = this.mode === "text" ? this.selected() : null; // arrows only over the text alone
    drawLinks($("ws-overlay"), $("ws-scroll"), { cid, store: this.store, textView: this.textView });
  }

  drawLinksSoon() {
    if (this.linkFrame) return;
    this.linkFrame = requestAnimationFrame(() => { this.linkFrame = null; this.drawLinks(); });
  }
}
