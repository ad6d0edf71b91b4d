/**
 * The console's overview: each login instance and each organisation with its state (active,
 * diagnostics, doctor checks, live events, last sync), then every diagnostic of the app as
 * `file:line:col CODE message`, the way `jit validate` prints them.
 */
import type { AppHandle } from '../app-types';
import type { ElementDefinition } from '../definitions';
import { formatDiagnostic, type Diagnostic } from '../diagnostics';
import { fill } from '../i18n/words';
import type { PageLanguage } from '../http/page-language';
import { escapeHtml } from '../http/pages/html';
import { LOGIN_TYPES_META } from '../http/pages/login-instances';
import { consoleCorp, corpDefinitions, liveEventsOf, type CorpStatusView, type LiveEventsView } from './corps';
import { lastDoctorRun } from './doctor-status';
import { formatTime, table } from './layout';

export async function renderOverview(app: AppHandle, page: PageLanguage): Promise<string> {
  const w = page.words;
  const logins = app.findElements({ type: LOGIN_TYPES_META, level: 'instance', validOnly: false });
  const loginRows = await Promise.all(
    logins.map(async (d) => [
      `<a href="/admin/config#${escapeHtml(d.fullName)}">${escapeHtml(d.title)}</a><br><code>${escapeHtml(d.fullName)}</code>`,
      `<code>${escapeHtml(d.type)}</code>`,
      stateOf(d, page),
      diagnosticsCell(app, d.diagnostics, page),
      await doctorCell(app, d.fullName, page),
    ]),
  );
  const corps = corpDefinitions(app);
  const corpRows = await Promise.all(corps.map((d) => corpRow(app, d, page)));
  const appProblems = app.diagnostics;
  return `<section aria-labelledby="logins-title" data-role="overview-logins">
<h2 id="logins-title">${escapeHtml(w['overview.logins'])}</h2>
${table([w['console.name'], w['console.type'], w['console.status'], w['overview.diagnostics'], w['overview.doctor']], loginRows, w['console.none'])}
</section>
<section aria-labelledby="corps-title" data-role="overview-corps">
<h2 id="corps-title">${escapeHtml(w['overview.corps'])}</h2>
${table([w['console.name'], w['overview.orgId'], w['console.status'], w['overview.liveEvents'], w['overview.lastSync'], w['overview.diagnostics'], w['overview.doctor']], corpRows, w['overview.noCorps'])}
</section>
<section aria-labelledby="diagnostics-title" data-role="overview-diagnostics">
<h2 id="diagnostics-title">${escapeHtml(w['overview.appDiagnostics'])}</h2>
${appProblems.length ? `<ul class="jit-diagnostics">${appProblems.map((d) => diagnosticItem(app, d)).join('\n')}</ul>` : `<p class="jit-muted">${escapeHtml(w['overview.noProblems'])}</p>`}
</section>`;
}

async function corpRow(app: AppHandle, definition: ElementDefinition, page: PageLanguage): Promise<string[]> {
  const w = page.words;
  const corp = consoleCorp(app, definition.fullName);
  let status: CorpStatusView | null = null;
  if (corp) {
    try {
      status = await corp.getStatus({ limit: 1 });
    } catch (err) {
      app.logger.warn('console: corp status failed', { corp: definition.fullName, err });
    }
  }
  const events = corp ? liveEventsOf(corp, status) : null;
  const eventsText = events ? liveEventsText(events, page) : '—';
  const run = status?.lastRun;
  return [
    `<a href="/admin/sync#${escapeHtml(definition.fullName)}">${escapeHtml(definition.title)}</a><br><code>${escapeHtml(definition.fullName)}</code>`,
    status?.orgId ? `<code>${escapeHtml(status.orgId)}</code>` : '—',
    stateOf(definition, page, status?.isActive),
    `<span data-role="live-events">${escapeHtml(eventsText)}</span>`,
    run ? `${escapeHtml(formatTime(run.finishedAt ?? run.startedAt))} <span class="jit-muted">${escapeHtml(run.outcome)}</span>` : escapeHtml(w['console.never']),
    diagnosticsCell(app, definition.diagnostics, page),
    await doctorCell(app, definition.fullName, page),
  ];
}

function stateOf(definition: ElementDefinition, page: PageLanguage, active?: boolean): string {
  const w = page.words;
  if (!definition.valid) return `<span class="jit-badge jit-bad">${escapeHtml(w['console.invalid'])}</span>`;
  const isActive = active ?? (definition.config as { isActive?: unknown } | undefined)?.isActive !== false;
  return isActive ? `<span class="jit-badge jit-good">${escapeHtml(w['console.active'])}</span>` : `<span class="jit-badge">${escapeHtml(w['console.inactive'])}</span>`;
}

function diagnosticsCell(app: AppHandle, diagnostics: readonly Diagnostic[], page: PageLanguage): string {
  if (diagnostics.length === 0) return `<span class="jit-muted">${escapeHtml(page.words['overview.noProblems'])}</span>`;
  return `<details><summary>${escapeHtml(fill(page.words['overview.problems'], { count: diagnostics.length }))}</summary><ul class="jit-diagnostics">${diagnostics.map((d) => diagnosticItem(app, d)).join('')}</ul></details>`;
}

async function doctorCell(app: AppHandle, fullName: string, page: PageLanguage): Promise<string> {
  const run = await lastDoctorRun(app, fullName);
  if (!run) return `<span class="jit-muted" data-role="doctor">${escapeHtml(page.words['overview.doctorNotRun'])}</span>`;
  const words = run.passed ? page.words['overview.doctorPassed'] : page.words['overview.doctorFailed'];
  return `<span data-role="doctor">${escapeHtml(fill(words, { time: formatTime(run.at) }))}</span>`;
}

function diagnosticItem(app: AppHandle, diagnostic: Diagnostic): string {
  return `<li class="jit-${diagnostic.severity}"><code>${escapeHtml(formatDiagnostic(diagnostic, app.dir))}</code></li>`;
}

function liveEventsText(events: LiveEventsView, page: PageLanguage): string {
  const w = page.words;
  switch (events.state) {
    case 'off':
      return w['overview.liveEventsOff'];
    case 'unknown':
      return w['overview.liveEventsUnknown'];
    case 'connected':
    case 'disconnected': {
      const state = events.state === 'connected'
        ? fill(w['overview.liveEventsConnected'], { time: formatTime(events.since) })
        : events.since ? fill(w['overview.liveEventsDown'], { time: formatTime(events.since) }) : w['overview.liveEventsNever'];
      const counts = events.applied === null ? '' : ` · ${fill(w['overview.liveEventsCounts'], { applied: events.applied, notApplied: events.notApplied ?? 0 })}`;
      return state + counts;
    }
  }
}
