// The label kinds as the server defines them (annotator/projects/kinds.py), read from the
// page's data (json_script "label-kinds"), so the browser never keeps its own list.

const node = document.getElementById("label-kinds");
const KINDS = new Map((node ? JSON.parse(node.textContent) : []).map((k) => [k.code, k]));

// What a kind counts as in the figures: "claim", "evidence", "opinion", "hedge" or null.
export function countsAs(kind) {
  const entry = KINDS.get(kind);
  return entry ? entry.counts_as : null;
}

// The relation types a span of this kind may start, in the registry's order.
export function relationsFrom(kind) {
  const entry = KINDS.get(kind);
  return entry ? entry.starts : [];
}

// Whether spans of this kind state propositions (they count as claim or evidence).
export function statesPropositions(kind) {
  const entry = KINDS.get(kind);
  return entry ? entry.states : false;
}
