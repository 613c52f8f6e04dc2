// The argument structure of a layer, shared by the side panel and the map:
// each claim with what supports, attacks and qualifies it and who said it.

import { countsAs } from "./kinds.js";

export function argumentOf({ spans, relations, labels, speakers }) {
  const kindOf = new Map(labels.map((l) => [l.id, l.kind]));
  const ordered = [...spans.values()].sort((a, b) => a.s16 - b.s16 || a.e16 - b.e16);
  const groups = new Map();
  for (const span of ordered) {
    if (countsAs(kindOf.get(span.label)) === "claim") {
      groups.set(span.cid, { claim: span, supports: [], attacks: [], qualifies: [], speakers: [], outgoing: [] });
    }
  }
  const other = [];
  const linked = new Set();
  for (const rel of relations.values()) {
    const source = spans.get(rel.sourceCid);
    if (!source) continue;
    linked.add(rel.sourceCid);
    if (rel.targetCid != null) linked.add(rel.targetCid);
    if (rel.type === "attributed_to") {
      const speaker = speakers.get(rel.speaker);
      const name = speaker ? speaker.name : rel.speakerName || "Speaker";
      const group = groups.get(rel.sourceCid);
      if (group) group.speakers.push({ rel, name, kind: speaker ? speaker.kind : rel.speakerKind });
      else other.push({ rel, source, target: null, name });
      continue;
    }
    const target = spans.get(rel.targetCid);
    if (!target) continue;
    const group = groups.get(rel.targetCid);
    if (group && group[rel.type]) group[rel.type].push({ rel, span: source });
    else other.push({ rel, source, target });
    const sourceGroup = groups.get(rel.sourceCid);
    if (sourceGroup) sourceGroup.outgoing.push({ rel, span: target });
  }
  const claims = [...groups.values()];
  for (const group of claims) group.unsupported = group.supports.length === 0;
  const unlinked = ordered.filter((s) => !linked.has(s.cid) && countsAs(kindOf.get(s.label)) !== "claim");
  return { claims, other, unlinked };
}

export function excerpt(text, max = 90) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? flat.slice(0, max - 1) + "…" : flat;
}
