/**
 * The doctor's check of the DingTalk scripts a login's pages load (DECISIONS #20): each script whose
 * hash app.json pins (`dingtalk.scriptIntegrity`) is fetched from the script base and compared, so a
 * mirror that changed its bytes, or stopped sending CORS, is found before every browser refuses the
 * script. Nothing pinned: skipped, saying how to pin. Not a DingTalk API call: outside the budget.
 */
import type { AppHandle } from '../../runtime';
import { DINGTALK_SCRIPT_NAMES, dingtalkScripts } from '../page-scripts';
import { fetchScriptHash } from '../script-pins';
import { dingTalkSettingsOf } from '../settings';
import type { DoctorCheck } from './types';

export async function scriptPinsCheck(app: AppHandle): Promise<DoctorCheck> {
  const base = { id: 'scriptIntegrity', title: "DingTalk's browser scripts match their pinned hashes" };
  const settings = dingTalkSettingsOf(app);
  const pinned = DINGTALK_SCRIPT_NAMES.filter((name) => settings.scriptIntegrity[name] !== undefined);
  if (pinned.length === 0) {
    return {
      ...base, status: 'skipped', detail: 'No hash is pinned (app.json dingtalk.scriptIntegrity): the pages load the scripts guarded by the CSP\'s exact URLs only.',
      fix: 'Run `jit script-hashes --write` on a machine that reaches the script base to pin them.',
    };
  }
  const urls = dingtalkScripts(settings.scriptBase);
  const origin = app.settings.publicUrl ? new URL(app.settings.publicUrl).origin : undefined;
  const reports = await Promise.all(pinned.map((name) => fetchScriptHash(name, urls[name], settings.scriptIntegrity[name], origin)));
  const problems = reports.flatMap((r) => [
    ...(r.pin === 'differs' ? [`${r.url} now hashes to ${r.integrity}, not the pinned ${r.pinned}: browsers refuse it`] : []),
    ...r.problems.map((p) => `${r.url}: ${p}`),
  ]);
  if (problems.length === 0) {
    return { ...base, status: 'ok', detail: `${reports.map((r) => r.url).join(' and ')} match their pinned hashes and are served with CORS.`, fix: null };
  }
  return {
    ...base, status: 'problem', detail: problems.join('; '),
    fix: 'A versioned script should never change: find out why (a tampered or updated mirror?) before pinning again with `jit script-hashes --write`; a mirror must send Access-Control-Allow-Origin.',
  };
}
