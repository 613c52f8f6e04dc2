// What the page tells the user about saving: the status pill and its Retry
// button, the notice bar, the conflict dialog (two tabs edited one span) and
// the question before leaving with unsaved work. Knows the page's elements and
// the save queue's figures, not the workspace.

import { $ } from "./dom.js";

export class StatusBar {
  constructor() {
    this.queue = null; // the Store's SaveQueue, once the layer is loaded
    this.readOnly = () => false;
    this.leaving = false;
    $("ws-notice-close").addEventListener("click", () => { $("ws-notice").hidden = true; });
  }

  // state: "saved", "saving", "failed", "conflict"; text: words instead of the usual ones.
  set(state, text) {
    const el = $("ws-status");
    const queue = this.queue;
    el.dataset.state = state;
    if (text) el.textContent = text;
    else if (state === "saved") el.textContent = this.readOnly() ? "Read-only" : "All changes saved";
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

  // Follow a Store's save queue: its state, refusals and conflicts.
  // labelName(id): a label's name, for saying what is stored now.
  follow(store, { readOnly, labelName }) {
    this.queue = store.queue;
    this.readOnly = readOnly;
    store.addEventListener("save", (e) => {
      this.set(e.detail.state);
      clearInterval(this.countdown);
      if (e.detail.state === "failed") this.countdown = setInterval(() => this.set(store.queue.state), 1000);
    });
    store.addEventListener("rejected", (e) => this.notice(`Not saved: ${e.detail.message}`));
    store.addEventListener("conflict", (e) => this.showConflict(e.detail, labelName));
    $("ws-retry").addEventListener("click", () => store.queue.retryNow());
    $("ws-conflict-reload").addEventListener("click", () => { this.leaving = true; location.reload(); });
    $("ws-conflict-mine").addEventListener("click", () => {
      $("ws-conflict").hidden = true;
      store.queue.resolveConflict("mine");
    });
    window.addEventListener("beforeunload", (e) => {
      if (this.leaving) return;
      if (store.queue.pending || store.queue.conflict) { e.preventDefault(); e.returnValue = ""; }
    });
  }

  showConflict({ message, current }, labelName) {
    let text = message;
    if (current && current.label) {
      const name = labelName(current.label);
      text += ` Now stored: ${name || "span"} “${(current.quote || "").slice(0, 80)}”${current.note ? ` with note “${current.note.slice(0, 80)}”` : ""}.`;
    }
    text += " Reload to see their version (your change is then discarded), or keep your change on top of theirs.";
    $("ws-conflict-text").textContent = text;
    $("ws-conflict").hidden = false;
    $("ws-conflict-reload").focus();
  }
}
