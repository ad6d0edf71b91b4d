/**
 * The progress bar of `jit org sync`: a one-line bar drawn on a
 * terminal (stderr by default, so stdout stays clean for --json). Hand-written: a carriage return
 * and an erase-line escape redraw the line in place. Silent when the stream is not a TTY (a pipe, a
 * log file, CI), where a redrawn line would only be noise.
 */

import type { SyncPhase, SyncProgress } from '../elements/corps/sync/progress';

export type { SyncPhase, SyncProgress };

export interface ProgressBar {
  update(progress: SyncProgress): void;
  /** Erases the line (call before printing the summary). */
  done(): void;
}

/** Redraws at most this often; phase changes are drawn at once. */
const REDRAW_INTERVAL_MS = 80;
const BAR_WIDTH = 24;

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let lastDraw = 0;
  let lastPhase: SyncPhase | undefined;
  let drawn = false;
  return {
    update(progress) {
      const now = Date.now();
      if (progress.phase === lastPhase && now - lastDraw < REDRAW_INTERVAL_MS) return;
      lastDraw = now;
      lastPhase = progress.phase;
      // Never wider than the terminal (a wrapped line cannot be redrawn); some report 0 columns.
      const width = stream.columns && stream.columns > 20 ? stream.columns - 1 : 79;
      stream.write(`\r\x1b[2K${progressLine(progress).slice(0, width)}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** The line drawn for a progress event (exported for tests). */
export function progressLine(p: SyncProgress): string {
  const departments = `departments ${p.departmentsListed}/${p.departments}`;
  switch (p.phase) {
    case 'departments':
      return `org sync: reading departments ${p.departments}`;
    case 'members':
      return `org sync: ${departments}  members ${p.members}`;
    case 'apply':
      return `org sync: ${departments}  members ${bar(p.applied, p.total)} ${p.applied}/${p.total}`;
    case 'leavers':
      return `org sync: ${departments}  members ${p.total}  checking leavers`;
    case 'done':
      return `org sync: done`;
  }
}

function bar(done: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}
