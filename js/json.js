// JSON for the Rust flow machine: the browser's own JSON.parse reads the text, and the value
// is handed over as tokens the Rust side reads without a JSON parser of its own
// (`Json::from_tokens` in src/protocol/json.rs, which documents the tokens). No decision is
// made here: Rust bounds the nesting and reads every field.

const SEPARATOR = '\u001f';
const bits = new DataView(new ArrayBuffer(8));

/**
 * Appends the tokens of `value` to `out`; below `depth` levels only `x` (too deep).
 * @param {unknown} value
 * @param {string[]} out
 * @param {number} depth
 */
function flatten(value, out, depth) {
  if (value === null) {
    out.push('n');
  } else if (typeof value === 'boolean') {
    out.push(value ? 't' : 'f');
  } else if (typeof value === 'number') {
    bits.setFloat64(0, value);
    out.push('d' + bits.getBigUint64(0).toString(16));
  } else if (typeof value === 'string') {
    out.push('s' + value.replace(/[\u001e\u001f]/g, '\ufffd'));
  } else if (depth < 1) {
    out.push('x');
  } else if (Array.isArray(value)) {
    out.push('a' + value.length);
    for (const item of value) flatten(item, out, depth - 1);
  } else {
    const members = Object.entries(/** @type {object} */ (value));
    out.push('o' + members.length);
    for (const [name, member] of members) {
      flatten(name, out, depth);
      flatten(member, out, depth - 1);
    }
  }
}

/**
 * `text` parsed with `JSON.parse`, as tokens nested at most `depth` levels; empty when it
 * is not JSON (JSON has at least one token).
 * @param {string} text
 * @param {number} depth
 * @returns {string}
 */
export function jsonTokens(text, depth) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return '';
  }
  /** @type {string[]} */
  const out = [];
  flatten(value, out, depth);
  return out.join(SEPARATOR);
}
