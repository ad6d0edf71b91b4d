/**
 * Removing or setting one top-level key in a JSON file's text without reformatting the rest (the file
 * is the app author's: their layout and key order stay). A removed key's line goes with it, and the
 * comma that separated it from its neighbour; a set key keeps its place, or is added last.
 */
// json-source-map ships no types; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonSourceMap: { parse(text: string): { data: unknown; pointers: Record<string, { key?: { pos: number }; value: { pos: number }; valueEnd: { pos: number } }> } } = require('json-source-map');

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** The text without top-level `key` (and its value), or the text unchanged when it has no such key. */
export function removeTopLevelKey(text: string, key: string): string {
  const entry = jsonSourceMap.parse(text).pointers[`/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`];
  if (!entry?.key) return text;
  let start = entry.key.pos;
  let end = entry.valueEnd.pos;
  let after = end;
  while (isBlank(text[after])) after++;
  if (text[after] === ',') {
    // Not the last key: take the comma after it, and the whole line when the key had one to itself.
    end = after + 1;
    let lineStart = start;
    while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) lineStart--;
    let lineEnd = end;
    while (text[lineEnd] === ' ' || text[lineEnd] === '\t') lineEnd++;
    if ((lineStart === 0 || text[lineStart - 1] === '\n') && (text[lineEnd] === '\n' || text[lineEnd] === '\r')) {
      start = lineStart;
      end = text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? lineEnd + 2 : lineEnd + 1;
    }
  } else {
    // The last key: take the comma before it (and the blank run between).
    let before = start - 1;
    while (before >= 0 && isBlank(text[before])) before--;
    if (text[before] === ',') start = before;
  }
  return text.slice(0, start) + text.slice(end);
}

/**
 * The text with top-level `key` set to `value` (pretty-printed in the file's own indentation): its
 * old value replaced where it stands, or the key added after the last one. The root must be an object.
 */
export function setTopLevelKey(text: string, key: string, value: unknown): string {
  const { pointers } = jsonSourceMap.parse(text);
  const unit = indentUnitOf(text);
  const entry = pointers[`/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`];
  if (entry?.key) {
    const lineStart = text.lastIndexOf('\n', entry.key.pos) + 1;
    const leading = text.slice(lineStart, entry.key.pos);
    const indent = /^[ \t]*$/.test(leading) ? leading : unit;
    return text.slice(0, entry.value.pos) + JSON.stringify(value, null, unit).replace(/\n/g, `\n${indent}`) + text.slice(entry.valueEnd.pos);
  }
  const close = pointers[''].valueEnd.pos - 1; // the root's closing brace
  let last = close - 1;
  while (isBlank(text[last])) last--;
  const added = `${text[last] === '{' ? '' : ','}\n${unit}${JSON.stringify(key)}: ${JSON.stringify(value, null, unit).replace(/\n/g, `\n${unit}`)}\n`;
  return text.slice(0, last + 1) + added + text.slice(close);
}

/** The indentation of the file's first indented line (two spaces when it has none). */
function indentUnitOf(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
}
