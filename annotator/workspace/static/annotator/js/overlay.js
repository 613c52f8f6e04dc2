// Arrows in the text between the selected span and the spans it is linked to.

const NS = "http://www.w3.org/2000/svg";
const COLOR = { supports: "#15803d", attacks: "#b91c1c", qualifies: "#0369a1", attributed_to: "#57606a" };

// cid: the selected span (null: draw nothing); store: the layer's spans and
// relations; textView: where each span's segments are.
export function drawLinks(svg, scroller, { cid, store, textView }) {
  svg.textContent = "";
  if (cid == null) return;
  const span = store.spans.get(cid);
  if (!span) return;
  const box = scroller.getBoundingClientRect();
  svg.setAttribute("width", scroller.scrollWidth);
  svg.setAttribute("height", scroller.scrollHeight);
  const anchor = (s) => {
    const seg = textView.segmentsOf(s)[0];
    if (!seg) return null;
    const r = seg.getClientRects()[0] || seg.getBoundingClientRect();
    return { x: r.left - box.left + scroller.scrollLeft + Math.min(r.width / 2, 40), y: r.top - box.top + scroller.scrollTop };
  };
  const from = anchor(span);
  if (!from) return;
  for (const rel of store.relationsOf(cid)) {
    const otherCid = rel.sourceCid === cid ? rel.targetCid : rel.sourceCid;
    const other = otherCid == null ? null : store.spans.get(otherCid);
    if (!other) continue;
    const to = anchor(other);
    if (!to) continue;
    const [a, b] = rel.sourceCid === cid ? [from, to] : [to, from];
    const lift = Math.min(60, 12 + Math.abs(a.y - b.y) / 4 + Math.abs(a.x - b.x) / 8);
    const path = document.createElementNS(NS, "path");
    path.setAttribute("d", `M${a.x},${a.y} C${a.x},${a.y - lift} ${b.x},${b.y - lift} ${b.x},${b.y}`);
    path.setAttribute("class", `link link-${rel.type}`);
    path.setAttribute("stroke", COLOR[rel.type]);
    svg.append(path);
    const dot = document.createElementNS(NS, "circle");
    dot.setAttribute("cx", b.x); dot.setAttribute("cy", b.y); dot.setAttribute("r", "3.5");
    dot.setAttribute("fill", COLOR[rel.type]);
    svg.append(dot);
  }
}
