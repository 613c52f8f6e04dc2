// The workspace's "Proposition" card: when a claim or evidence span is selected, the
// propositions it may restate (best first), linkable with the keyboard.
//
// R: move to the suggestions; ↑ ↓ between them; Enter links the span to the focused one
// (or creates a new proposition worded as the span). Links go to the span's layer
// through /api/v1/proposition-links/; undo is on the project's Propositions page.
//
// The workspace hands this card a small port when it is ready ("assay:ready" on its root):
// selectedSpan() -> {id, quote, kind} or null, readOnly(), textSelected(), notice(text);
// and says when the selection changes ("assay:select").

import { Api } from "../annotator/js/api.js";
import { isTyping } from "../annotator/js/dom.js";
import { statesPropositions } from "../annotator/js/kinds.js";

class PropositionPanel {
  constructor(root, card, port) {
    this.port = port;
    this.card = card;
    this.body = card.querySelector("#ws-propositions-body");
    this.api = new Api(root.dataset.api);
    this.base = card.dataset.propositionsUrl;
    this.request = 0;
    root.addEventListener("assay:select", () => this.refresh());
    document.addEventListener("keydown", (e) => this.onKey(e));
    this.body.addEventListener("keydown", (e) => this.onListKey(e));
    this.refresh();
  }

  selectedSpan() {
    const span = this.port.selectedSpan();
    return span && statesPropositions(span.kind) ? span : null;
  }

  hint(text) {
    this.body.textContent = "";
    const p = document.createElement("p");
    p.className = "hint";
    p.textContent = text;
    this.body.append(p);
  }

  async refresh() {
    const span = this.selectedSpan();
    const ticket = ++this.request;
    if (!span) { this.hint("Select a claim or evidence span to see the propositions it may restate."); return; }
    if (span.id == null) { this.hint("Saving the span…"); setTimeout(() => ticket === this.request && this.refresh(), 300); return; }
    this.hint("Looking for propositions it may restate…");
    let data;
    try {
      data = await this.api.get(`proposition-suggestions/?span=${span.id}`);
    } catch (err) {
      if (ticket === this.request) this.hint(`Could not load suggestions: ${err.message}`);
      return;
    }
    if (ticket !== this.request) return;
    this.render(span, data);
  }

  render(span, data) {
    this.body.textContent = "";
    this.current = { span, data };
    if (data.linked_to != null) {
      const p = document.createElement("p");
      p.className = "linked";
      p.append("States ");
      const a = document.createElement("a");
      a.href = `${this.base}p/${data.linked_to}/`;
      a.textContent = `proposition #${data.linked_to}`;
      p.append(a, ".");
      if (!this.port.readOnly()) {
        const unlink = document.createElement("button");
        unlink.type = "button";
        unlink.className = "small unlink";
        unlink.textContent = "Unlink";
        unlink.addEventListener("click", () => this.unlink(data));
        p.append(" ", unlink);
      }
      this.body.append(p);
    }
    const list = document.createElement("ul");
    list.className = "ws-suggestions";
    list.setAttribute("aria-label", "Propositions this span may restate");
    for (const p of data.propositions) {
      if (p.id === data.linked_to) continue;
      list.append(this.option(`Link to #${p.id}: ${p.text}`, `${Math.round(p.score * 100)}% similar · ${p.spans} span${p.spans === 1 ? "" : "s"}`,
        () => this.link(span, p.id)));
    }
    if (!this.port.readOnly()) {
      list.append(this.option("New proposition worded as this span", "", () => this.create(span)));
    }
    this.body.append(list);
    const keys = document.createElement("p");
    keys.className = "hint";
    keys.innerHTML = "<kbd>R</kbd> to choose, <kbd>↑</kbd> <kbd>↓</kbd> to move, <kbd>Enter</kbd> to link.";
    this.body.append(keys);
  }

  option(text, detail, action) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "suggestion";
    button.textContent = text;
    button.disabled = this.port.readOnly();
    if (detail) {
      const small = document.createElement("span");
      small.className = "muted";
      small.textContent = ` (${detail})`;
      button.append(small);
    }
    button.addEventListener("click", action);
    li.append(button);
    return li;
  }

  buttons() { return [...this.body.querySelectorAll("button.suggestion:not([disabled])")]; }

  onKey(e) {
    const t = e.target;
    if (isTyping(t) || e.ctrlKey || e.metaKey || e.altKey || e.key.toLowerCase() !== "r") return;
    if (this.port.textSelected()) return; // a label key on a text selection wins
    if (!this.selectedSpan()) return;
    const first = this.buttons()[0];
    if (first) { e.preventDefault(); e.stopImmediatePropagation(); first.focus(); }
  }

  onListKey(e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const buttons = this.buttons();
    const at = buttons.indexOf(document.activeElement);
    if (at === -1) return;
    e.preventDefault();
    buttons[(at + (e.key === "ArrowDown" ? 1 : -1) + buttons.length) % buttons.length].focus();
  }

  async link(span, propositionId) {
    try {
      await this.api.post("proposition-links/", { proposition: propositionId, spans: [span.id] });
    } catch (err) { this.port.notice(`Not linked: ${err.message}`); return; }
    await this.refresh();
    this.focusLinked();
  }

  async unlink(data) {
    try {
      await this.api.delete(`proposition-links/${data.link}/?version=${data.link_version}`);
    } catch (err) { this.port.notice(`Not unlinked: ${err.message}`); return; }
    await this.refresh();
  }

  async create(span) {
    try {
      await this.api.post("propositions/", { project: Number(this.card.dataset.project), text: span.quote, spans: [span.id] });
    } catch (err) { this.port.notice(`Not created: ${err.message}`); return; }
    await this.refresh();
    this.focusLinked();
  }

  focusLinked() {
    const a = this.body.querySelector(".linked a");
    if (a) a.focus();
  }
}

const root = document.getElementById("ws");
const card = document.getElementById("ws-propositions");
// The port is also left on the root, in case this module runs after the workspace is ready.
if (root && card) {
  if (root.assayPort) new PropositionPanel(root, card, root.assayPort);
  else root.addEventListener("assay:ready", (e) => new PropositionPanel(root, card, e.detail), { once: true });
}
