// Small DOM helpers shared by the workspace, the review page and the cards
// that sit beside them (one copy each, not one per page).

export const $ = (id) => document.getElementById(id);

// An element with attributes and children: on<event> attributes become
// listeners, `class` the class name, true an empty attribute; null, undefined
// and false attributes and null children are left out. Text children are
// Text nodes, never markup.
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else if (v === true) node.setAttribute(k, "");
    else if (v !== false && v != null) node.setAttribute(k, v);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

// True while the user types into a field: page shortcuts keep out of the way.
export function isTyping(target) {
  if (!target) return false;
  return target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || Boolean(target.isContentEditable);
}
