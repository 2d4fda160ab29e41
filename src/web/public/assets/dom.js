// Building DOM from data. Text always goes in as text nodes, never as HTML, so a display name
// like "<img onerror=…>" from an identity provider stays a harmless string.

/** element('a', { href: '/x', class: 'link' }, 'text', otherNode) */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A <time> element for an ISO timestamp, or a dash for none. */
export function timeElement(iso, emptyText = '—') {
  if (!iso) return document.createTextNode(emptyText);
  return element('time', { datetime: iso }, dateTimeFormat.format(new Date(iso)));
}

export function badge(text, kind, title) {
  return element('span', { class: `badge badge--${kind}`, title }, text);
}
