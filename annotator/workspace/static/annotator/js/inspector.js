// The side-panel card for the selected span: label, subtype, note, links,
// speaker attribution, delete; and the prompts of the link flow. Built with
// DOM nodes and textContent only: quotes and notes are user text.

import { excerpt } from "./argument.js";
import { h } from "./dom.js";
import { relationsFrom } from "./kinds.js";

const TYPES = [
  ["supports", "Supports"],
  ["attacks", "Attacks"],
  ["qualifies", "Qualifies"],
];
const INCOMING = { supports: "supported by", attacks: "attacked by", qualifies: "qualified by" };
const KINDS = [["person", "Person"], ["government", "Government"], ["organisation", "Organisation"], ["outlet", "Outlet"], ["anonymous", "Anonymous"]];

export function chip(label, subtype) {
  const c = h("span", { class: "chip" }, label ? label.code : "?");
  if (label) c.style.setProperty("--label", label.color);
  if (subtype) c.append(h("span", { class: "chip-sub" }, ` · ${subtype.name}`));
  return c;
}

// The first span-to-span relation the source's kind may start (a hedge qualifies).
function defaultType(sourceKind) {
  const allowed = relationsFrom(sourceKind);
  const first = TYPES.find(([type]) => allowed.includes(type));
  return first ? first[0] : "supports";
}

// el: the card's body. store: the layer's Store (spans, relations, speakers
// and their writes). labels: the active labels; labelById: every label.
// state(): {selected, linking, readOnly} of the workspace now. actions: the
// workspace's link flow (startLink, finishLink, cancelLink), select(cid, opts),
// notice(text) and focusText().
export class Inspector {
  constructor(el, { store, labels, labelById, state, actions }) {
    this.el = el;
    this.store = store;
    this.labels = labels;
    this.labelById = labelById;
    this.state = state;
    this.actions = actions;
    this.subtypeFor = null;
  }

  // Focus stays in the text (digits pick the subtype from anywhere), so a
  // keyboard user can go on selecting; the prompt is announced politely.
  askSubtype(cid) {
    this.subtypeFor = cid;
    this.render();
  }

  focus() {
    const target = this.el.querySelector("[data-autofocus]") || this.el.querySelector("button, select, textarea, input");
    if (target) target.focus();
  }

  handleDigit(n) {
    const { linking, selected } = this.state();
    if (linking && linking.targetCid != null) {
      const type = TYPES[n - 1];
      if (type) { this.actions.finishLink(type[0]); return true; }
      return false;
    }
    if (this.subtypeFor != null && this.subtypeFor === selected) {
      const span = this.store.spans.get(this.subtypeFor);
      const label = span && this.labelById.get(span.label);
      const subtypes = label ? label.subtypes.filter((s) => s.is_active !== false) : [];
      if (subtypes[n - 1]) { this.setSubtype(span, subtypes[n - 1].id); return true; }
    }
    return false;
  }

  setSubtype(span, subtypeId) {
    if (span.subtype !== subtypeId) this.store.updateSpan(span.cid, { subtype: subtypeId });
    this.subtypeFor = null;
    this.render();
    this.actions.focusText();
  }

  render() {
    const { selected, linking, readOnly } = this.state();
    const { store, actions } = this;
    const active = document.activeElement;
    // Do not rebuild under the user's fingers while they type a note or a name.
    if (this.el.contains(active) && (active.tagName === "TEXTAREA" || active.tagName === "INPUT") && this.renderedFor === selected && !linking) return;
    this.renderedFor = selected;
    this.el.textContent = "";
    if (linking) { this.el.append(this.linkPrompt(linking)); return; }
    const span = selected == null ? null : store.spans.get(selected);
    if (!span) {
      this.el.append(h("p", { class: "hint" }, readOnly
        ? "Read-only. Click a span, or press N and P, to see its details."
        : "Select text and press a label key (or a toolbar button). Click a span to edit it."));
      return;
    }
    const label = this.labelById.get(span.label);
    const subtype = label && label.subtypes.find((s) => s.id === span.subtype);
    const ro = readOnly;
    this.el.append(
      h("p", { class: "insp-head" }, chip(label, subtype), h("span", { class: "insp-offsets", title: `characters ${span.start}–${span.end} of the text (as the API and exports count them)` }, wordCount(span.quote))),
      h("blockquote", { class: "insp-quote", "data-testid": "quote" }, excerpt(span.quote, 400)),
    );
    if (ro) {
      if (span.note) this.el.append(h("p", { class: "insp-note" }, h("strong", {}, "Note: "), span.note));
    } else {
      const select = h("select", { "aria-label": "Label", id: "insp-label", onchange: () => store.updateSpan(span.cid, { label: Number(select.value), subtype: null }) });
      for (const l of this.labels) select.add(new Option(l.name, l.id, false, l.id === span.label));
      this.el.append(h("div", { class: "insp-row" }, h("label", { for: "insp-label" }, "Label"), select));
      const subtypes = label ? label.subtypes.filter((s) => s.is_active !== false) : [];
      if (subtypes.length) {
        const asking = this.subtypeFor === span.cid;
        const group = h("div", { class: `insp-subtypes${asking ? " asking" : ""}`, role: "group", "aria-label": "Subtype" });
        if (asking) group.append(h("p", { class: "prompt", role: "status" }, `Pick a subtype: press 1–${subtypes.length}, or Esc to skip.`));
        subtypes.forEach((st, i) => {
          group.append(h("button", {
            type: "button", class: "subtype", "aria-pressed": String(span.subtype === st.id),
            "data-autofocus": asking && i === 0 ? true : null, onclick: () => this.setSubtype(span, st.id),
          }, h("kbd", {}, String(i + 1)), ` ${st.name}`));
        });
        if (span.subtype != null) group.append(h("button", { type: "button", class: "subtype none", onclick: () => this.setSubtype(span, null) }, "No subtype"));
        this.el.append(group);
      }
      const note = h("textarea", { id: "insp-note", rows: "2", "aria-label": "Note", placeholder: "Note (saved when you leave the field)" });
      note.value = span.note;
      note.addEventListener("change", () => store.updateSpan(span.cid, { note: note.value }));
      this.el.append(note);
      this.el.append(h("div", { class: "insp-actions" },
        h("button", { type: "button", onclick: () => actions.startLink(), "aria-keyshortcuts": "L" }, "Link to… ", h("kbd", {}, "L")),
        h("button", { type: "button", class: "danger", onclick: () => store.deleteSpan(span.cid), "aria-keyshortcuts": "Delete" }, "Delete ", h("kbd", {}, "Del")),
      ));
      this.el.append(this.speakerForm(span));
    }
    this.el.append(this.linksOf(span, ro));
  }

  speakerForm(span) {
    const { store, actions } = this;
    const listId = "insp-speakers";
    const list = h("datalist", { id: listId });
    for (const sp of store.speakers.values()) list.append(h("option", { value: sp.name }));
    const name = h("input", { id: "insp-speaker", list: listId, "aria-label": "Speaker name", placeholder: "Who says it? e.g. Ministry of Defence", autocomplete: "off" });
    const kind = h("select", { "aria-label": "Speaker kind" });
    for (const [value, text] of KINDS) kind.add(new Option(text, value));
    name.addEventListener("input", () => {
      const known = [...store.speakers.values()].find((s) => s.name.toLowerCase() === name.value.trim().toLowerCase());
      if (known) kind.value = known.kind;
    });
    const submit = (e) => {
      e.preventDefault();
      const value = name.value.trim();
      if (!value) { name.focus(); return; }
      const known = [...store.speakers.values()].find((s) => s.name.toLowerCase() === value.toLowerCase() && s.kind === kind.value);
      const duplicate = [...store.relations.values()].some((r) => r.sourceCid === span.cid && r.type === "attributed_to" && known && r.speaker === known.id);
      if (duplicate) { actions.notice(`Already attributed to ${known.name}.`); return; }
      store.createRelation({ type: "attributed_to", sourceCid: span.cid, speaker: known ? known.id : null, speakerName: value, speakerKind: kind.value });
      name.value = "";
    };
    return h("form", { class: "insp-speaker", onsubmit: submit, "aria-label": "Attribute to a speaker" },
      h("label", { for: "insp-speaker" }, "Attributed to"), list,
      h("div", { class: "insp-row" }, name, kind, h("button", { type: "submit" }, "Attribute")));
  }

  linksOf(span, ro) {
    const { store, actions } = this;
    const rels = store.relationsOf(span.cid);
    const box = h("div", { class: "insp-links" }, h("h3", {}, `Links (${rels.length})`));
    if (!rels.length) { box.append(h("p", { class: "hint" }, ro ? "No links." : "No links yet: press L to link this span.")); return box; }
    const ul = h("ul", {});
    for (const rel of rels) {
      const outgoing = rel.sourceCid === span.cid;
      const otherCid = outgoing ? rel.targetCid : rel.sourceCid;
      const other = otherCid == null ? null : store.spans.get(otherCid);
      let what;
      if (rel.type === "attributed_to" && outgoing) {
        const speaker = store.speakers.get(rel.speaker);
        what = h("span", {}, "said by ", h("strong", {}, speaker ? speaker.name : rel.speakerName));
      } else if (other) {
        const l = this.labelById.get(other.label);
        const verb = outgoing ? rel.type.replace("_", " ") : INCOMING[rel.type] || rel.type;
        what = h("button", { type: "button", class: "linklike", onclick: () => actions.select(other.cid, { scroll: true }) },
          `${verb} `, chip(l), ` “${excerpt(other.quote, 60)}”`);
      } else continue;
      const li = h("li", { class: `rel rel-${rel.type}` }, what);
      if (!ro) li.append(h("button", { type: "button", class: "small", "aria-label": "Remove this link", onclick: () => store.deleteRelation(rel.cid) }, "×"));
      ul.append(li);
    }
    box.append(ul);
    return box;
  }

  linkPrompt(linking) {
    const { store, actions } = this;
    const source = store.spans.get(linking.sourceCid);
    const target = linking.targetCid == null ? null : store.spans.get(linking.targetCid);
    const sl = source && this.labelById.get(source.label);
    const box = h("div", { class: "link-prompt" });
    box.append(h("p", {}, "Link from ", chip(sl), ` “${excerpt(source ? source.quote : "", 60)}”`));
    if (!target) {
      box.append(h("p", { class: "prompt" }, "Now click the target span in the text — or press N / P to move between spans and Enter to pick. Esc cancels."));
    } else {
      const tl = this.labelById.get(target.label);
      box.append(h("p", {}, "to ", chip(tl), ` “${excerpt(target.quote, 60)}”`));
      const preferred = defaultType(sl && sl.kind);
      const group = h("div", { class: "link-types", role: "group", "aria-label": "Relation type" });
      TYPES.forEach(([type, text], i) => {
        group.append(h("button", { type: "button", class: type === preferred ? "primary" : "", "data-autofocus": type === preferred ? true : null,
          onclick: () => actions.finishLink(type) }, h("kbd", {}, String(i + 1)), ` ${text}`));
      });
      box.append(h("p", { class: "prompt" }, "Relation type:"), group);
    }
    box.append(h("button", { type: "button", onclick: () => actions.cancelLink() }, "Cancel ", h("kbd", {}, "Esc")));
    return box;
  }
}

// How long a span is, in the reader's terms (offsets stay in the tooltip for those who export).
function wordCount(quote) {
  const n = (quote || "").trim().split(/\s+/u).filter(Boolean).length;
  return `${n} word${n === 1 ? "" : "s"}`;
}
