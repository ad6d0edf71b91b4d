/**
 * Fetching DingTalk's browser scripts to hash them (docs/serving.md, "Pinning DingTalk's scripts"):
 * what `jit script-hashes` prints and `jit doctor` compares with app.json's pins. The hash is of the
 * bytes received, taken with the pin's own algorithm (a sha512 pin is compared as sha512), and the
 * answer's Access-Control-Allow-Origin is read too: a browser checks integrity only on a CORS answer,
 * so a mirror without it fails every pinned page even with the right bytes.
 */
import { sriHash, type SriAlgorithm } from '../runtime';
import { DINGTALK_SCRIPT_PATHS, type DingTalkScript } from './page-scripts';

const FETCH_TIMEOUT_MS = 30_000;

export interface ScriptHashReport {
  name: DingTalkScript;
  url: string;
  /** The SRI hash of the bytes received (the pin's algorithm, else sha384); absent when the fetch failed. */
  integrity?: string;
  /** What app.json pins for this script, if anything. */
  pinned?: string;
  /** pinned and equal / pinned and different / nothing pinned / not fetched. */
  pin: 'matches' | 'differs' | 'none' | 'unknown';
  /** The Access-Control-Allow-Origin the server sent (null: none). */
  allowOrigin: string | null;
  /** What is wrong, in plain words with the fix; empty when all is well. */
  problems: string[];
}

/** Fetches one script, hashes it and compares it with its pin. `origin`: the app's public origin, sent as Origin. */
export async function fetchScriptHash(name: DingTalkScript, url: string, pinned: string | undefined, origin: string | undefined): Promise<ScriptHashReport> {
  const report: ScriptHashReport = { name, url, pin: 'unknown', allowOrigin: null, problems: [], ...(pinned ? { pinned } : {}) };
  let response: Response;
  try {
    response = await fetch(url, { headers: origin ? { origin } : {}, redirect: 'follow', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    report.problems.push(`could not fetch it (${cause?.code ?? cause?.message ?? (err as Error).message}): check that this machine reaches ${new URL(url).origin}, or pass --base <your mirror>`);
    return report;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status !== 200) {
    report.problems.push(`the server answered HTTP ${response.status}: the script base must serve ${DINGTALK_SCRIPT_PATHS[name]} (a mirror keeps the CDN's paths)`);
    return report;
  }
  report.integrity = sriHash(bytes, pinned ? (pinned.slice(0, pinned.indexOf('-')) as SriAlgorithm) : 'sha384');
  report.pin = !pinned ? 'none' : pinned === report.integrity ? 'matches' : 'differs';
  report.allowOrigin = response.headers.get('access-control-allow-origin');
  if (report.allowOrigin !== '*' && (!origin || report.allowOrigin !== origin)) {
    const wanted = origin ? `"*" or ${origin}` : '"*"';
    report.problems.push(
      `the server sends ${report.allowOrigin === null ? 'no Access-Control-Allow-Origin' : `Access-Control-Allow-Origin: ${report.allowOrigin}`}: browsers refuse a script with an integrity hash unless it does (${wanted}); configure the mirror to send it${origin ? '' : ' (checked without an Origin; set app.json publicUrl to check with yours)'}`,
    );
  }
  return report;
}
