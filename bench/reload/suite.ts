/**
 * Hot-reload suite: `jit serve --watch` on a small app; 20 times, the instance's e.json gets a new
 * title and the clock runs until GET /login (which lists each login instance's title) serves it.
 * Baseline, in the same run: what the change costs without hot reload, i.e. stopping the host and
 * starting it again until it serves the edited title.
 */
import * as fs from 'fs';
import * as path from 'path';
import { figure, goal } from '../lib/figures';
import { median, nowMs, percentile, round } from '../lib/stats';
import { runSuiteInChild, type SuiteContext, type SuiteOutput } from '../lib/suite';
import { startHost, type HostProcess } from '../login/host-process';
import { LOGIN_INSTANCE, prepareLoginApp } from '../login/login-app';

const EDITS = 20;
const RESTARTS = 3;
const POLL_INTERVAL_MS = 5;
const VISIBLE_TIMEOUT_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function eJsonFile(appDir: string): string {
  return path.join(appDir, ...LOGIN_INSTANCE.split('.'), 'e.json');
}

/** Saves e.json with a new title, as an editor does (one write of the whole file). */
function saveTitle(appDir: string, title: string): void {
  fs.writeFileSync(eJsonFile(appDir), JSON.stringify({ title, type: 'auths.loginTypes.DDInnerType' }, null, 2) + '\n');
}

/** Polls GET /login until its HTML contains `text`; returns the time it was first seen. */
async function waitUntilServed(url: string, text: string, deadline: number): Promise<number> {
  for (;;) {
    try {
      const res = await fetch(`${url}/login`, { headers: { accept: 'text/html' } });
      const html = await res.text();
      if (html.includes(text)) return nowMs();
    } catch {
      // the host may be between processes (restart baseline)
    }
    if (nowMs() > deadline) throw new Error(`"${text}" was not served within ${VISIBLE_TIMEOUT_MS} ms`);
    await sleep(POLL_INTERVAL_MS);
  }
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const app = prepareLoginApp('reload-app');
  const reloadMs: number[] = [];
  const restartMs: number[] = [];
  let host: HostProcess | undefined = await startHost({ appDir: app.dir, watch: true });
  try {
    // The first served page compiles templates and warms caches; not an edit.
    await waitUntilServed(host.url, 'DingTalk login (benchmark)', nowMs() + VISIBLE_TIMEOUT_MS);
    for (let i = 1; i <= EDITS; i++) {
      const title = `Reload edit ${i} ${Date.now().toString(36)}`;
      const start = nowMs();
      saveTitle(app.dir, title);
      const seen = await waitUntilServed(host.url, title, start + VISIBLE_TIMEOUT_MS);
      reloadMs.push(seen - start);
      // Let the watcher settle so edits are separate saves, not one burst it may coalesce.
      await sleep(150 + (i % 4) * 25);
    }
    ctx.progress(`hot reload: p50 ${median(reloadMs).toFixed(0)} ms over ${EDITS} edits`);

    for (let i = 1; i <= RESTARTS; i++) {
      const title = `Restart edit ${i} ${Date.now().toString(36)}`;
      const start = nowMs();
      saveTitle(app.dir, title);
      await host.stop();
      host = undefined;
      host = await startHost({ appDir: app.dir, watch: true });
      const seen = await waitUntilServed(host.url, title, start + VISIBLE_TIMEOUT_MS);
      restartMs.push(seen - start);
    }
    ctx.progress(`restart baseline: median ${median(restartMs).toFixed(0)} ms over ${RESTARTS} restarts`);
  } finally {
    await host?.stop();
  }

  const baseline = { label: 'restart jit serve', value: round(median(restartMs), 1), unit: 'ms' };
  return {
    title: 'Hot reload',
    figures: [
      figure({
        id: 'reload.p50',
        label: `Save e.json -> change served, p50 of ${EDITS} edits`,
        value: round(percentile(reloadMs, 50), 1),
        unit: 'ms',
        baseline,
        goal: goal('value', '<', 250, '< 250 ms'),
      }),
      figure({
        id: 'reload.p95',
        label: `Save e.json -> change served, p95 of ${EDITS} edits`,
        value: round(percentile(reloadMs, 95), 1),
        unit: 'ms',
        baseline,
      }),
    ],
    raw: { edits: EDITS, restarts: RESTARTS, pollIntervalMs: POLL_INTERVAL_MS, reloadMs: reloadMs.map((v) => round(v, 1)), restartMs: restartMs.map((v) => round(v, 1)) },
    method: [
      '`jit serve <app> --watch` runs in its own process on an app with one DDInnerType instance; the suite rewrites the instance\'s e.json with a new title and polls GET /login (which shows each login instance\'s title) every 5 ms until the new title is served.',
      `${EDITS} edits, 150-225 ms apart so each is a separate save; the time runs from just before the write to the first response showing the change.`,
      `Baseline: the same edit without hot reload, i.e. stop \`jit serve\` and start it again until it serves the change (median of ${RESTARTS}).`,
    ],
  };
}

if (require.main === module) runSuiteInChild('reload', run);
