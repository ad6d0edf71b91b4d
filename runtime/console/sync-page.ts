/**
 * The console's organisation sync (组织架构同步): each corp with its schedule and past runs (the
 * `sync.finished` audit rows, and the last run the corp's status reports), a dry run that shows what
 * a sync would change (who would be added, updated, disabled) before "apply" runs the real sync, and
 * "run now". The page script polls the job (sync-jobs.ts) and draws the diff.
 */
import type { AppHandle } from '../app-types';
import { fill } from '../i18n/words';
import type { PageLanguage } from '../http/page-language';
import { escapeHtml } from '../http/pages/html';
import { consoleCorp, corpDefinitions, type CorpStatusView } from './corps';
import { formatTime, table } from './layout';

const PAST_RUNS = 20;

export async function renderSyncPage(app: AppHandle, page: PageLanguage): Promise<string> {
  const w = page.words;
  const corps = corpDefinitions(app);
  if (corps.length === 0) return `<p class="jit-muted">${escapeHtml(w['sync.noCorps'])}</p>`;
  const sections = await Promise.all(
    corps.map(async (definition) => {
      const corp = consoleCorp(app, definition.fullName);
      let status: CorpStatusView | null = null;
      if (corp) status = await corp.getStatus({ limit: 1 }).catch(() => null);
      const runs = await app.audit.list({ type: 'sync.finished', instance: definition.fullName, limit: PAST_RUNS });
      const rows = runs.events.map((e) => [escapeHtml(formatTime(e.time)), escapeHtml(e.outcome), `<code class="jit-details">${escapeHtml(countsText(e.details))}</code>`]);
      if (rows.length === 0 && status?.lastRun) {
        const run = status.lastRun;
        rows.push([escapeHtml(formatTime(run.finishedAt ?? run.startedAt)), escapeHtml(run.outcome + (run.message ? `: ${run.message}` : '')), `<code class="jit-details">${escapeHtml(countsText(run.counts))}</code>`]);
      }
      const schedule = status?.intervalMinutes ? fill(w['sync.every'], { minutes: status.intervalMinutes }) : w['sync.onDemand'];
      const id = `corp-${definition.fullName.replace(/[^A-Za-z0-9_-]/g, '-')}`;
      const usable = !!corp && status?.isActive !== false;
      return `<section class="jit-card jit-corp" id="${escapeHtml(definition.fullName)}" aria-labelledby="${id}-title" data-corp="${escapeHtml(definition.fullName)}">
<h2 id="${id}-title">${escapeHtml(definition.title)} <code>${escapeHtml(definition.fullName)}</code></h2>
<dl class="jit-facts">
<dt>${escapeHtml(w['overview.orgId'])}</dt><dd>${escapeHtml(status?.orgId ?? '—')}</dd>
<dt>${escapeHtml(w['sync.schedule'])}</dt><dd>${escapeHtml(schedule)}</dd>
<dt>${escapeHtml(w['console.status'])}</dt><dd>${escapeHtml(!definition.valid ? w['console.invalid'] : status?.isActive === false ? w['console.inactive'] : w['console.active'])}</dd>
</dl>
<p class="jit-actions">
  <button type="button" class="jit-button" data-action="sync" data-dry-run="true" data-corp="${escapeHtml(definition.fullName)}"${usable ? '' : ' disabled'}>${escapeHtml(w['sync.dryRun'])}</button>
  <button type="button" class="jit-button jit-secondary" data-action="sync" data-dry-run="false" data-corp="${escapeHtml(definition.fullName)}"${usable ? '' : ' disabled'}>${escapeHtml(w['sync.runNow'])}</button>
</p>
<div class="jit-sync-result" data-role="sync-result" aria-live="polite"></div>
<h3>${escapeHtml(w['sync.pastRuns'])}</h3>
${table([w['console.time'], w['sync.outcome'], w['sync.counts']], rows, w['sync.noRuns'], 'data-role="sync-runs"')}
</section>`;
    }),
  );
  return `<p class="jit-muted">${escapeHtml(w['sync.intro'])}</p>\n${sections.join('\n')}`;
}

function countsText(value: unknown): string {
  if (!value || typeof value !== 'object') return '';
  const flat: string[] = [];
  const walk = (prefix: string, node: unknown) => {
    if (node && typeof node === 'object' && !Array.isArray(node)) {
      for (const [key, inner] of Object.entries(node as Record<string, unknown>)) walk(prefix ? `${prefix}.${key}` : key, inner);
    } else if (typeof node === 'number' || typeof node === 'string' || typeof node === 'boolean') flat.push(`${prefix}=${String(node)}`);
  };
  walk('', value);
  return flat.join(' ');
}
