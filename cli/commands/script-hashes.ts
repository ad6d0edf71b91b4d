/**
 * `jit script-hashes [--app <dir>] [--base <url>] [--write] [--json]`: fetches DingTalk's two browser
 * scripts from the script base (app.json `dingtalk.scriptBase`, or --base), prints the SRI hash
 * (sha384) of the bytes received and the app.json snippet that pins them (`dingtalk.scriptIntegrity`),
 * and compares them with the hashes already pinned. `--write` puts them (and --base) into app.json.
 *
 * For an operator on a machine that reaches the script base: the hashes must be of the bytes the
 * browsers will receive, never guessed (a wrong hash blocks the script in every browser). It also
 * checks what a pinned script needs besides its hash: a browser checks integrity only on a CORS
 * response, so the server must send Access-Control-Allow-Origin.
 *
 * Exit 0 when every script was fetched, is readable cross-origin and matches its pin (or has none);
 * 1 otherwise (with --write, a changed hash is written and is not a failure).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { DINGTALK_SCRIPT_NAMES, dingtalkScripts, type ScriptIntegrity } from '../../dingtalk/page-scripts';
import { JitError } from '../../runtime/errors';
import { dingTalkSettingsOf, type DingTalkSettings } from '../../dingtalk/settings';
import { fetchScriptHash, type ScriptHashReport } from '../../dingtalk/script-pins';

export type { ScriptHashReport };
import { loadRunnableDefinitions, withAppOption, type AppOption } from '../app-option';
import { setTopLevelKey } from '../json-edit';
import { EXIT_USER_ERROR, printJson, printLine } from '../output';

export interface ScriptHashesResult {
  scriptBase: string;
  scripts: ScriptHashReport[];
  /** The app.json `dingtalk` value that pins the hashes just taken. */
  snippet: { dingtalk: Pick<DingTalkSettings, 'scriptBase' | 'scriptIntegrity'> };
  /** Whether app.json was written (--write). */
  written: boolean;
}

export function registerScriptHashesCommand(program: Command): void {
  withAppOption(program.command('script-hashes'))
    .description("Hash DingTalk's browser scripts at the script base and print the app.json lines that pin them (subresource integrity)")
    .option('--base <url>', 'fetch from this script base instead of app.json dingtalk.scriptBase (written too, with --write)')
    .option('--write', 'put the hashes (and --base) into app.json dingtalk.scriptIntegrity')
    .option('--json', 'print the result as JSON')
    .action(async (options: AppOption & { base?: string; write?: boolean; json?: boolean }) => {
      const result = await scriptHashes(options.app, options);
      if (options.json) printJson(result);
      else for (const line of formatResult(result, options.app)) printLine(line);
      const failed = result.scripts.some((s) => s.problems.length > 0 || (s.pin === 'differs' && !result.written));
      if (failed) process.exitCode = EXIT_USER_ERROR;
    });
}

/** Fetches and hashes both scripts; with `write`, pins them in app.json when every script is usable. */
export async function scriptHashes(appDir: string, options: { base?: string; write?: boolean } = {}): Promise<ScriptHashesResult> {
  const loaded = loadRunnableDefinitions(appDir);
  const settings = loaded.app.settings;
  const scriptBase = (options.base ?? dingTalkSettingsOf(loaded.app).scriptBase).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(scriptBase)) throw new JitError('BAD_REQUEST', `--base must be an http(s) URL such as https://cdn.example.com (got ${JSON.stringify(scriptBase)})`);
  // A base given on the command line is a different place: app.json's pins are for its own base.
  const pins: ScriptIntegrity = options.base !== undefined && scriptBase !== dingTalkSettingsOf(loaded.app).scriptBase.replace(/\/+$/, '') ? {} : dingTalkSettingsOf(loaded.app).scriptIntegrity;
  const urls = dingtalkScripts(scriptBase);
  const origin = settings.publicUrl;
  const scripts = await Promise.all(DINGTALK_SCRIPT_NAMES.map((name) => fetchScriptHash(name, urls[name], pins[name], origin)));
  const integrity: ScriptIntegrity = {};
  for (const s of scripts) if (s.integrity) integrity[s.name] = s.integrity;
  const snippet = { dingtalk: { scriptBase, scriptIntegrity: integrity } };
  let written = false;
  if (options.write && scripts.every((s) => s.integrity && s.problems.length === 0)) {
    const file = path.join(loaded.app.dir, 'app.json');
    const text = fs.readFileSync(file, 'utf8');
    const current = (JSON.parse(text) as { dingtalk?: Record<string, unknown> }).dingtalk ?? {};
    const next = { ...current, ...(options.base !== undefined ? { scriptBase } : {}), scriptIntegrity: integrity };
    fs.writeFileSync(file, setTopLevelKey(text, 'dingtalk', next));
    written = true;
  }
  return { scriptBase, scripts, snippet, written };
}

function formatResult(result: ScriptHashesResult, appDir: string): string[] {
  const lines = [`DingTalk's scripts at ${result.scriptBase} (sha384 of the bytes received):`];
  for (const s of result.scripts) {
    lines.push(`  ${s.name}  ${s.url}`);
    if (s.integrity) lines.push(`    ${s.integrity}  ${pinWords(s)}`);
    for (const problem of s.problems) lines.push(`    PROBLEM: ${problem}`);
  }
  if (result.scripts.some((s) => s.pin === 'differs')) {
    lines.push(
      '',
      'A pinned hash differs from the script served now: browsers refuse that script until the pin changes. The files are versioned and should never change; find out why (a tampered or updated mirror?) before pinning the new hash.',
    );
  }
  if (result.written) {
    lines.push('', `Written to ${path.join(path.resolve(appDir), 'app.json')} (dingtalk.scriptIntegrity). Restart jit serve to apply.`);
  } else if (result.scripts.every((s) => s.integrity)) {
    lines.push('', 'To pin them, put this in app.json (or run again with --write):', ...JSON.stringify(result.snippet, null, 2).slice(2, -2).split('\n'));
  }
  if (!/^https:|^http:\/\/(127\.|localhost[:/]|\[::1\])/.test(result.scriptBase + '/')) {
    lines.push('', 'Note: fetched over plain http: pin only hashes you have checked, a tampered answer would be pinned as it is.');
  }
  return lines;
}

function pinWords(s: ScriptHashReport): string {
  if (s.pin === 'matches') return '(pinned in app.json: matches)';
  if (s.pin === 'differs') return `(DIFFERS from app.json's ${s.pinned})`;
  return '(not pinned)';
}
