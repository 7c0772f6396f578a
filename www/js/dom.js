// DOM helpers. Every piece of text reaches the page through textContent or Text nodes:
// data from the URL, the network or storage is never parsed as HTML.

/**
 * Creates `<tag>` with attributes and children. `text` sets textContent, `class` the class
 * name, `on<event>` adds a listener; strings among the children become Text nodes.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** The element with this id; a missing one is a bug in index.html. */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el;
}

/** A two-column table of `[name, value]` rows; a value may be a string or a Node. */
export function table(rows, caption) {
  return h('table', { class: 'kv' },
    caption ? h('caption', { text: caption }) : null,
    h('tbody', {}, rows.map(([name, value, attrs]) =>
      h('tr', attrs || {}, h('th', { scope: 'row', text: name }), h('td', {}, value instanceof Node ? value : String(value))))));
}

/** Pretty-printed JSON in a <pre>. */
export function jsonBlock(value, attrs = {}) {
  return h('pre', { class: 'json', ...attrs, text: JSON.stringify(value, null, 2) });
}

/** A placeholder line for an empty panel. */
export function empty(text) {
  return h('p', { class: 'empty', text });
}

/**
 * A token shortened for display: enough to tell two apart, not enough to use one.
 * Tokens are never written to the console.
 */
export function shorten(token) {
  if (typeof token !== 'string') return token;
  if (token.length <= 16) return `${token.slice(0, 4)}… (${token.length} chars)`;
  return `${token.slice(0, 10)}…${token.slice(-6)} (${token.length} chars)`;
}

/** Local time of day, HH:MM:SS. */
export function clock(ms = Date.now()) {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Reads a JSON value from a Storage, or `fallback` when absent or unreadable. */
export function readStored(storage, key, fallback) {
  try {
    const raw = storage.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

/** Writes a JSON value to a Storage; a full or blocked storage only loses the value. */
export function writeStored(storage, key, value) {
  try {
    if (value === null || value === undefined) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
  } catch {
    // Private browsing or a full quota: the playground still works, it just forgets.
  }
}
