/**
 * Removing one top-level key from a JSON file's text without reformatting the rest (the file is the
 * app author's: their layout and key order stay). The key's line goes with it, and the comma that
 * separated it from its neighbour.
 */
// json-source-map ships no types; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonSourceMap: { parse(text: string): { data: unknown; pointers: Record<string, { key?: { pos: number }; valueEnd: { pos: number } }> } } = require('json-source-map');

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
