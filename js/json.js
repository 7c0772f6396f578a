// JSON for the Rust flow machine: the browser's own JSON.parse reads the text, and the value
// is handed over as tokens the Rust side reads without a JSON parser of its own
// (`Json::from_tokens` in src/protocol/json.rs, which documents the tokens). No decision is
// made here: Rust bounds the nesting and reads every field.

const SEPARATOR = '\u001f';
const bits = new DataView(new ArrayBuffer(8));

/**
 * The tokens of `value`, separated; below `depth` levels only `x` (too deep).
 * @param {unknown} value
 * @param {number} depth
 * @returns {string}
 */
function flatten(value, depth) {
  if (value === null) return 'n';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') {
    bits.setFloat64(0, value);
    return 'd' + bits.getBigUint64(0).toString(16);
  }
  if (typeof value === 'string') return 's' + value.replace(/[\u001e\u001f]/g, '\ufffd');
  if (depth < 1) return 'x';
  if (Array.isArray(value)) {
    let out = 'a' + value.length;
    for (const item of value) out += SEPARATOR + flatten(item, depth - 1);
    return out;
  }
  const members = Object.entries(/** @type {object} */ (value));
  let out = 'o' + members.length;
  for (const [name, member] of members) out += SEPARATOR + flatten(name, depth) + SEPARATOR + flatten(member, depth - 1);
  return out;
}

/**
 * `text` parsed with `JSON.parse`, as tokens nested at most `depth` levels; empty when it
 * is not JSON (JSON has at least one token).
 * @param {string} text
 * @param {number} depth
 * @returns {string}
 */
export function jsonTokens(text, depth) {
  try {
    return flatten(JSON.parse(text), depth);
  } catch {
    return '';
  }
}
