// The layer being edited: spans and relations keyed by a client id (cid) that
// survives the round trip to the server, plus the save queue and undo stack.
//
// Every change is applied locally first (painted at once), then saved through
// the API in order, one request at a time, so a relation never reaches the
// server before the span it points to. Offsets here are code points
// (`start`/`end`, as stored) and UTF-16 (`s16`/`e16`, for the DOM).

import { ApiError, newIdempotencyKey } from "./api.js";

const MAX_BACKOFF_MS = 30000;

export class Store extends EventTarget {
  constructor({ api, index, documentId, layer, readOnly }) {
    super();
    this.api = api;
    this.index = index;
    this.documentId = documentId;
    this.layer = layer;
    this.readOnly = readOnly;
    this.spans = new Map();
    this.relations = new Map();
    this.speakers = new Map();
    this.spanCid = new Map(); // server id -> cid
    this.nextCid = 1;
    this.undoStack = [];
    this.queue = new SaveQueue(this);
  }

  // data: the API's workspace payload (speakers, annotations, relations).
  load(data) {
    for (const sp of data.speakers || []) this.speakers.set(sp.id, sp);
    for (const a of data.annotations || []) {
      const span = this._span({ ...a });
      this.spanCid.set(a.id, span.cid);
    }
    for (const r of data.relations || []) {
      const rel = {
        cid: this.nextCid++, id: r.id, type: r.type, note: r.note || "", version: r.version,
        sourceCid: this.spanCid.get(r.source), targetCid: r.target == null ? null : this.spanCid.get(r.target),
        speaker: r.speaker, status: r.status,
      };
      if (rel.sourceCid != null) this.relations.set(rel.cid, rel);
    }
  }

  _span(a) {
    const span = {
      cid: this.nextCid++, id: a.id ?? null, start: a.start, end: a.end,
      s16: this.index.toUtf16(a.start), e16: this.index.toUtf16(a.end),
      label: a.label, subtype: a.subtype ?? null, note: a.note || "", version: a.version ?? 1,
      quote: a.quote ?? null, status: a.status || "pending",
    };
    span.quote = this.index.text.slice(span.s16, span.e16);
    this.spans.set(span.cid, span);
    return span;
  }

  // A span the server created (an accepted hedge suggestion): drawn and editable like any
  // other, with nothing to save. Returns the span already shown when it was there before.
  adopt(a) {
    const known = this.spanCid.get(a.id);
    if (known != null && this.spans.has(known)) return { span: this.spans.get(known), adopted: false };
    const span = this._span({ ...a });
    this.spanCid.set(a.id, span.cid);
    this._changed([[span.s16, span.e16]]);
    return { span, adopted: true };
  }

  // Forget a span the server deleted itself (an undone suggestion), without queueing a delete.
  drop(cid) {
    const span = this.spans.get(cid);
    if (!span) return;
    this.spans.delete(cid);
    if (span.id != null) this.spanCid.delete(span.id);
    for (const rel of this.relationsOf(cid)) this.relations.delete(rel.cid);
    this._changed([[span.s16, span.e16]]);
  }

  _emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail })); }
  _changed(ranges) { this._emit("spans", { ranges }); this._emit("relations", {}); }

  relationsOf(cid) {
    const out = [];
    for (const rel of this.relations.values()) if (rel.sourceCid === cid || rel.targetCid === cid) out.push(rel);
    return out;
  }

  // --- changes (each records its inverse for undo unless replaying one) ---

  createSpan({ start, end, label, subtype = null, note = "" }, { record = true, cid } = {}) {
    const span = this._span({ start, end, label, subtype, note });
    if (cid != null) { this.spans.delete(span.cid); span.cid = cid; this.spans.set(cid, span); }
    this.queue.push({ type: "span.create", cid: span.cid });
    if (record) this.recordUndo(`Add ${start}–${end}`, () => this.deleteSpan(span.cid, { record: false }));
    this._changed([[span.s16, span.e16]]);
    return span;
  }

  updateSpan(cid, fields, { record = true } = {}) {
    const span = this.spans.get(cid);
    if (!span) return;
    const before = {};
    for (const key of Object.keys(fields)) before[key] = span[key];
    const oldRange = [span.s16, span.e16];
    Object.assign(span, fields);
    if ("start" in fields || "end" in fields) {
      span.s16 = this.index.toUtf16(span.start); span.e16 = this.index.toUtf16(span.end);
      span.quote = this.index.text.slice(span.s16, span.e16);
    }
    this.queue.push({ type: "span.update", cid, fields: { ...fields }, before });
    if (record) this.recordUndo("Edit span", () => this.updateSpan(cid, before, { record: false }));
    this._changed([oldRange, [span.s16, span.e16]]);
  }

  deleteSpan(cid, { record = true } = {}) {
    const span = this.spans.get(cid);
    if (!span) return;
    const rels = this.relationsOf(cid);
    this.spans.delete(cid);
    for (const rel of rels) this.relations.delete(rel.cid); // the server cascades
    // The op keeps the live object: a create still in flight fills in its id.
    this.queue.push({ type: "span.delete", cid, span });
    if (record) {
      this.recordUndo("Delete span", () => {
        const again = this.createSpan(span, { record: false, cid });
        for (const rel of rels) this.createRelation({ ...rel }, { record: false, cid: rel.cid });
        return again;
      });
    }
    this._changed([[span.s16, span.e16]]);
  }

  createRelation({ type, sourceCid, targetCid = null, speaker = null, speakerName = "", speakerKind = "person", note = "" },
    { record = true, cid } = {}) {
    const rel = { cid: cid ?? this.nextCid++, id: null, type, sourceCid, targetCid, speaker, speakerName, speakerKind, note, version: 1 };
    this.relations.set(rel.cid, rel);
    this.queue.push({ type: "rel.create", cid: rel.cid });
    if (record) this.recordUndo("Link", () => this.deleteRelation(rel.cid, { record: false }));
    this._emit("relations", { cid: rel.cid });
    return rel;
  }

  deleteRelation(cid, { record = true } = {}) {
    const rel = this.relations.get(cid);
    if (!rel) return;
    this.relations.delete(cid);
    this.queue.push({ type: "rel.delete", cid, rel });
    if (record) this.recordUndo("Unlink", () => this.createRelation({ ...rel }, { record: false, cid }));
    this._emit("relations", { cid });
  }

  recordUndo(label, undo) {
    this.undoStack.push({ label, undo });
    if (this.undoStack.length > 200) this.undoStack.shift();
    this._emit("undo", {});
  }

  undo() {
    const entry = this.undoStack.pop();
    if (entry) entry.undo();
    this._emit("undo", {});
    return entry;
  }

  // Drop a span (and its links) that no longer exists on the server.
  forget(cid) {
    const span = this.spans.get(cid);
    if (!span) return;
    this.spans.delete(cid);
    for (const rel of this.relationsOf(cid)) this.relations.delete(rel.cid);
    this._changed([[span.s16, span.e16]]);
  }

  // Drop a local change the server refused for good (shown to the user).
  revert(op) {
    if (op.type === "span.create") {
      const span = this.spans.get(op.cid);
      if (span) {
        this.spans.delete(op.cid);
        for (const rel of this.relationsOf(op.cid)) this.relations.delete(rel.cid);
        this._changed([[span.s16, span.e16]]);
      }
    } else if (op.type === "span.update") {
      const span = this.spans.get(op.cid);
      if (span) {
        const range = [span.s16, span.e16];
        Object.assign(span, op.before);
        span.s16 = this.index.toUtf16(span.start); span.e16 = this.index.toUtf16(span.end);
        this._changed([range, [span.s16, span.e16]]);
      }
    } else if (op.type === "span.delete") {
      this.spans.set(op.cid, op.span);
      this._changed([[op.span.s16, op.span.e16]]);
    } else if (op.type === "rel.create") {
      this.relations.delete(op.cid); this._emit("relations", {});
    } else if (op.type === "rel.delete") {
      this.relations.set(op.cid, op.rel); this._emit("relations", {});
    }
  }
}

// Saves ops in order. Network and server errors retry with exponential
// backoff and never drop the op; a 409 pauses the queue until the user picks
// (reload, or keep theirs); other refusals are reverted locally and shown.
export class SaveQueue {
  constructor(store) {
    this.store = store;
    this.ops = [];
    this.busy = false;
    this.attempt = 0;
    this.timer = null;
    this.retryAt = 0;
    this.conflict = null;
    this.lastError = null;
  }

  get pending() { return this.ops.length; }
  get state() {
    if (this.conflict) return "conflict";
    if (this.timer) return "failed";
    if (this.ops.length) return "saving";
    return "saved";
  }

  // Each queued change carries its own Idempotency-Key: every retry of it sends the same one.
  push(op) { op.key = newIdempotencyKey(); this.ops.push(op); this._status(); this._kick(); }

  _status() { this.store._emit("save", { state: this.state, pending: this.ops.length, retryAt: this.retryAt, error: this.lastError }); }

  _kick() { if (!this.busy && !this.timer && !this.conflict) this._run(); }

  retryNow() { if (this.timer) { clearTimeout(this.timer); this.timer = null; } this._kick(); }

  // Resolve a conflict: "reload" leaves the queue paused (the page reloads);
  // "mine" re-sends the refused change on top of the current server version.
  resolveConflict(choice) {
    const conflict = this.conflict;
    if (!conflict) return;
    if (choice === "mine") {
      const current = conflict.current || {};
      const item = conflict.op.type.startsWith("span") ? this.store.spans.get(conflict.op.cid) || conflict.op.span
        : this.store.relations.get(conflict.op.cid) || conflict.op.rel;
      if (item && current.version) item.version = current.version;
      this.conflict = null;
      this._status();
      this._kick();
    }
  }

  async _run() {
    this.busy = true;
    while (this.ops.length && !this.conflict) {
      const op = this.ops[0];
      try {
        await this._send(op);
        this.ops.shift();
        this.attempt = 0;
        this.lastError = null;
        this.retryAt = 0;
      } catch (err) {
        if (!(err instanceof ApiError)) { console.error(err); }
        if (err instanceof ApiError && err.conflict) {
          this.conflict = { op, message: err.message, current: err.body.current || null };
          this.store._emit("conflict", this.conflict);
          break;
        }
        if (!(err instanceof ApiError) || err.transient) {
          this.lastError = err.message;
          const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempt);
          this.attempt += 1;
          this.retryAt = Date.now() + delay;
          this.timer = setTimeout(() => { this.timer = null; this._kick(); }, delay);
          break;
        }
        // Refused for good (validation, permission): undo it locally and say why.
        this.ops.shift();
        this.lastError = null;
        if (err.status === 404 && op.type === "span.update") {
          this.store.forget(op.cid);
          this.store._emit("rejected", { op, message: "This span was deleted elsewhere, so it is removed here too.", errors: {} });
          continue;
        }
        this.store.revert(op);
        this.store._emit("rejected", { op, message: err.message, errors: err.body.errors || {} });
      }
    }
    this.busy = false;
    this._status();
  }

  async _send(op) {
    const store = this.store;
    const api = store.api;
    if (op.type === "span.create") {
      const span = store.spans.get(op.cid);
      if (!span || span.id != null) return; // deleted before it was saved, or already saved
      const saved = await api.post("annotations/", {
        document: store.documentId, start: span.start, end: span.end, label: span.label,
        subtype: span.subtype, note: span.note, quote: span.quote, layer: store.layer,
      }, { idempotencyKey: op.key });
      span.id = saved.id; span.version = saved.version;
      store.spanCid.set(saved.id, span.cid);
    } else if (op.type === "span.update") {
      const span = store.spans.get(op.cid);
      if (!span || span.id == null) return;
      const body = { version: span.version };
      for (const key of Object.keys(op.fields)) if (["start", "end", "label", "subtype", "note"].includes(key)) body[key] = span[key];
      const saved = await api.patch(`annotations/${span.id}/`, body);
      span.version = saved.version;
    } else if (op.type === "span.delete") {
      const span = op.span;
      if (span.id == null) return;
      try {
        await api.delete(`annotations/${span.id}/?version=${span.version}`);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 404) throw err; // already gone is fine
      }
      store.spanCid.delete(span.id);
      span.id = null; // an undo recreates it
    } else if (op.type === "rel.create") {
      const rel = store.relations.get(op.cid);
      if (!rel || rel.id != null) return;
      const source = store.spans.get(rel.sourceCid);
      const target = rel.targetCid == null ? null : store.spans.get(rel.targetCid);
      if (!source || source.id == null || (rel.targetCid != null && (!target || target.id == null))) {
        store.relations.delete(op.cid); // an end was removed before this was saved
        store._emit("relations", {});
        return;
      }
      if (rel.type === "attributed_to" && rel.speaker == null) {
        const speaker = await api.post("speakers/", { name: rel.speakerName, kind: rel.speakerKind },
          { idempotencyKey: `${op.key}-speaker` });
        store.speakers.set(speaker.id, speaker);
        rel.speaker = speaker.id;
      }
      const body = { source: source.id, type: rel.type, note: rel.note };
      if (target) body.target = target.id;
      if (rel.speaker != null) body.speaker = rel.speaker;
      const saved = await api.post("relations/", body, { idempotencyKey: op.key });
      rel.id = saved.id; rel.version = saved.version;
    } else if (op.type === "rel.delete") {
      const rel = op.rel;
      if (rel.id == null) return;
      try {
        await api.delete(`relations/${rel.id}/?version=${rel.version}`);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 404) throw err;
      }
      rel.id = null;
    }
  }
}
