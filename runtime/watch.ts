/**
 * Hot reload: chokidar watches the app folders and every change, after a short debounce, queues one
 * `app.reload()`. Reloads run one at a time; changes that arrive during a reload coalesce into one
 * more reload after it. The app keeps the last good definition of an element whose files are
 * broken, so a save with a typo never takes the element down; the diagnostic is logged with its
 * file:line:col and the fix applies on the next save.
 */
import { EventEmitter } from 'events';
import * as path from 'path';
import { watch, type FSWatcher } from 'chokidar';
import { formatDiagnostic, type Diagnostic } from './diagnostics';
import type { Logger } from './logger';

/** What one reload changed, as `app.reload()` reports it. */
export interface ReloadResult {
  added: string[];
  changed: string[];
  removed: string[];
  diagnostics: readonly Diagnostic[];
}

/** The part of an app the watcher drives. */
export interface ReloadableApp {
  readonly dir: string;
  readonly logger: Logger;
  reload(): Promise<ReloadResult>;
}

export interface WatchOptions {
  /** Folders to watch; default the app folder. Add the folders of apps it extends to watch them too. */
  paths?: string[];
  /** Quiet time after the last change before reloading (default 50 ms). */
  debounceMs?: number;
  logger?: Logger;
}

export interface ReloadEvent {
  result: ReloadResult;
  /** The changed files that triggered this reload (absolute paths). */
  files: string[];
  /** Time the reload took. */
  ms: number;
}

export interface AppWatcher {
  /** Resolves once the initial scan is done and changes are being watched. */
  readonly ready: Promise<void>;
  /** Resolves when no reload is waiting or running. */
  idle(): Promise<void>;
  /** 'reload' (ReloadEvent) after each reload; 'reload-error' (Error) when a reload throws. */
  on(event: 'reload', listener: (event: ReloadEvent) => void): this;
  on(event: 'reload-error', listener: (err: unknown) => void): this;
  off(event: 'reload' | 'reload-error', listener: (...args: never[]) => void): this;
  close(): Promise<void>;
}

/** Paths that never hold element definitions: the app's database folder, dependencies, VCS data. */
const IGNORED = /(^|[\\/])(\.jit|node_modules|\.git)([\\/]|$)/;

export function watchApp(app: ReloadableApp, options: WatchOptions = {}): AppWatcher {
  const logger = options.logger ?? app.logger;
  const debounceMs = options.debounceMs ?? 50;
  const roots = (options.paths ?? [app.dir]).map((p) => path.resolve(p));
  const emitter = new EventEmitter();
  const watcher: FSWatcher = watch(roots, {
    ignoreInitial: true,
    ignored: (file: string) => IGNORED.test(path.relative(rootOf(roots, file), file)),
  });

  let pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;
  const idleWaiters: Array<() => void> = [];

  const settleIdle = () => {
    if (timer || running) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const runQueue = async () => {
    // Serial: one reload at a time; whatever changed meanwhile is picked up by the next turn.
    while (pending.size > 0 && !closed) {
      const files = [...pending];
      pending = new Set();
      const started = performance.now();
      try {
        const result = await app.reload();
        const ms = Math.round((performance.now() - started) * 10) / 10;
        report(logger, app.dir, result, files, ms);
        emitter.emit('reload', { result, files, ms } satisfies ReloadEvent);
      } catch (err) {
        logger.error('reload failed; the previous version stays live', { err, files: files.map((f) => path.relative(app.dir, f)) });
        emitter.emit('reload-error', err);
      }
    }
  };

  const flush = () => {
    timer = null;
    if (running || closed) return;
    running = runQueue().finally(() => {
      running = null;
      // Changes that arrived during the reload have their own timer or are pending: run them.
      if (pending.size > 0 && !timer && !closed) flush();
      else settleIdle();
    });
  };

  watcher.on('all', (_event, file) => {
    if (closed || typeof file !== 'string') return;
    pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  });
  watcher.on('error', (err: unknown) => logger.warn('file watcher error', { err }));

  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  const handle: AppWatcher = {
    ready,
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      }),
    on(event: string, listener: (...args: never[]) => void) {
      emitter.on(event, listener as (...args: unknown[]) => void);
      return handle;
    },
    off(event: string, listener: (...args: never[]) => void) {
      emitter.off(event, listener as (...args: unknown[]) => void);
      return handle;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await watcher.close();
      if (running) await running;
      settleIdle();
    },
  };
  return handle;
}

function rootOf(roots: string[], file: string): string {
  return roots.find((root) => file === root || file.startsWith(root + path.sep)) ?? path.dirname(file);
}

function report(logger: Logger, base: string, result: ReloadResult, files: string[], ms: number): void {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  logger.info('reloaded', {
    added: result.added,
    changed: result.changed,
    removed: result.removed,
    errors: errors.length,
    files: files.map((f) => path.relative(base, f) || f),
    ms,
  });
  for (const diagnostic of result.diagnostics) {
    const line = formatDiagnostic(diagnostic, base);
    const fields = { diagnostic: line, fullName: diagnostic.fullName };
    // An element that was good before keeps serving its last good version until this is fixed.
    if (diagnostic.severity === 'error') logger.warn(`reload: ${line}`, fields);
    else logger.info(`reload: ${line}`, fields);
  }
}
