/**
 * Parse stage: reads JSON files once, keeps them (by path, mtime and size) for the next reload, and
 * answers "where is this JSON pointer?" with a 1-based line and column.
 *
 * Files are parsed with JSON.parse, which is fast; the json-source-map pass that finds positions
 * runs only for a file that has a problem to report, so a clean load costs no more than a glob and
 * JSON.parse of every file.
 */
import * as fs from 'fs';

// json-source-map ships no types; this is the part of its API the loader uses.
interface SourceMapPosition {
  line: number;
  column: number;
  pos: number;
}
interface SourceMapEntry {
  key?: SourceMapPosition;
  value: SourceMapPosition;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonSourceMap: { parse(text: string): { data: unknown; pointers: Record<string, SourceMapEntry> } } = require('json-source-map');

export interface Position {
  line: number;
  col: number;
}

export type ReadResult =
  | { status: 'ok'; data: unknown }
  | { status: 'missing' }
  | { status: 'syntax'; message: string; position: Position };

interface CachedFile {
  /** mtime and size when read: the file is read again only when either changes. */
  stamp: string;
  /** The load run that last saw the file; entries no run saw are dropped. */
  run: number;
  text: string;
  result: ReadResult;
  pointers?: Record<string, SourceMapEntry>;
  lineStarts?: number[];
}

/** Parsed JSON files by absolute path, kept across loads of one app (hot reload reads only what changed). */
export class SourceFiles {
  private readonly files = new Map<string, CachedFile>();
  private run = 0;

  /**
   * `drafts`: file contents (by absolute path) to read instead of what is on disk, or besides it:
   * the console checks an element form's draft with the loader this way, writing nothing.
   */
  constructor(private readonly drafts: ReadonlyMap<string, string> = new Map()) {}

  /** The draft files' paths (discovery adds the draft e.json files that are not on disk yet). */
  draftPaths(): string[] {
    return [...this.drafts.keys()];
  }

  /** Starts a load run; files not read during it are forgotten by `endRun`. */
  beginRun(): void {
    this.run++;
  }

  endRun(): void {
    for (const [file, entry] of this.files) if (entry.run !== this.run) this.files.delete(file);
  }

  read(file: string): ReadResult {
    const cached = this.files.get(file);
    if (cached && !this.drafts.has(file)) {
      if (cached.run === this.run) return cached.result;
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (stat && stampOf(stat) === cached.stamp) {
        cached.run = this.run;
        return cached.result;
      }
    }
    const draft = this.drafts.get(file);
    const loaded = draft === undefined ? readWithStamp(file) : { text: draft, stamp: 'draft' };
    if (!loaded) {
      this.files.delete(file);
      return { status: 'missing' };
    }
    const entry: CachedFile = { stamp: loaded.stamp, run: this.run, text: loaded.text, result: { status: 'missing' } };
    try {
      entry.result = { status: 'ok', data: JSON.parse(stripBom(loaded.text)) };
    } catch (err) {
      entry.result = { status: 'syntax', ...describeSyntaxError((err as Error).message, entry) };
    }
    this.files.set(file, entry);
    return entry.result;
  }

  /**
   * Line and column of the value (or key) at `pointer` in a file read before. A pointer that does
   * not exist in the file (a missing property) resolves to its nearest existing parent.
   */
  position(file: string, pointer: string, part: 'key' | 'value' = 'value'): Position {
    const entry = this.files.get(file);
    if (!entry || entry.result.status !== 'ok') return { line: 1, col: 1 };
    entry.pointers ??= jsonSourceMap.parse(stripBom(entry.text)).pointers;
    let current = pointer;
    for (;;) {
      const mapped = entry.pointers[current];
      if (mapped) {
        const at = (part === 'key' && current === pointer && mapped.key) || mapped.value;
        return positionAt(entry, at.pos + bomLength(entry.text));
      }
      if (current === '') return { line: 1, col: 1 };
      current = current.slice(0, current.lastIndexOf('/'));
    }
  }
}

function stampOf(stat: fs.Stats): string {
  return `${stat.mtimeMs}:${stat.size}`;
}

/** open + fstat + read + close: the stamp comes with the read at no extra system call. */
function readWithStamp(file: string): { text: string; stamp: string } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return undefined;
    return { text: fs.readFileSync(fd, 'utf8'), stamp: stampOf(stat) };
  } finally {
    fs.closeSync(fd);
  }
}

/** JSON.parse's message without its "at position N" tail, and that position as line and column. */
function describeSyntaxError(message: string, entry: CachedFile): { message: string; position: Position } {
  const match = /at position (\d+)/.exec(message);
  const offset = match ? Number(match[1]) + bomLength(entry.text) : entry.text.length;
  const plain = message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'The file ends too early');
  return { message: plain, position: positionAt(entry, offset) };
}

function positionAt(entry: CachedFile, offset: number): Position {
  const starts = (entry.lineStarts ??= lineStartsOf(entry.text));
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, col: offset - starts[low] + 1 };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function bomLength(text: string): number {
  return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}
