/**
 * One-time login codes:
 * - workbench (免登) codes: `requestAuthCode` in the DingTalk client -> `topapi/v2/user/getuserinfo`.
 *   Documented: 5 minutes, single use (docs/dingtalk-facts.md §4b). Bound to the corp whose app redeems it.
 * - QR / OAuth authCodes: login page -> `/v1.0/oauth2/userAccessToken`. Only "single use" is
 *   documented; the lifetime is not (docs/dingtalk-facts.md §3c, §11.1 [uncertain]). We choose 5 minutes,
 *   like the workbench code, so a client that waits too long fails here as it might in production.
 */
import { randomBytes } from 'node:crypto';
import type { SimClock } from './clock';

export const WORKBENCH_CODE_LIFETIME_MS = 5 * 60 * 1000;
export const QR_CODE_LIFETIME_MS = 5 * 60 * 1000;

interface WorkbenchCode {
  corpId: string;
  userid: string;
  expiresAt: number;
}

interface QrCode {
  appKey: string;
  unionid: string;
  corpId?: string;
  expiresAt: number;
}

const PRUNE_THRESHOLD = 20_000;

export class CodeStore {
  private readonly workbench = new Map<string, WorkbenchCode>();
  private readonly qr = new Map<string, QrCode>();

  constructor(private readonly clock: SimClock) {}

  mintWorkbench(corpId: string, userid: string): string {
    prune(this.workbench, this.clock.now());
    const code = newCode();
    this.workbench.set(code, { corpId, userid, expiresAt: this.clock.now() + WORKBENCH_CODE_LIFETIME_MS });
    return code;
  }

  /** The member the code was minted for, consuming it; undefined if unknown, used, expired or minted
   *  for another corp (a wrong-corp attempt does not burn the code). */
  consumeWorkbench(code: string, corpId: string): { userid: string } | undefined {
    const entry = this.workbench.get(code);
    if (!entry || entry.corpId !== corpId) return undefined;
    this.workbench.delete(code);
    return entry.expiresAt > this.clock.now() ? { userid: entry.userid } : undefined;
  }

  mintQr(appKey: string, unionid: string, corpId?: string): string {
    prune(this.qr, this.clock.now());
    const code = newCode();
    this.qr.set(code, { appKey, unionid, corpId, expiresAt: this.clock.now() + QR_CODE_LIFETIME_MS });
    return code;
  }

  /** Consumes a QR authCode issued to this app; undefined if unknown, used, expired or another app's. */
  consumeQr(code: string, appKey: string): { unionid: string; corpId?: string } | undefined {
    const entry = this.qr.get(code);
    if (!entry || entry.appKey !== appKey) return undefined;
    this.qr.delete(code);
    return entry.expiresAt > this.clock.now() ? { unionid: entry.unionid, corpId: entry.corpId } : undefined;
  }
}

function prune(codes: Map<string, { expiresAt: number }>, now: number): void {
  if (codes.size < PRUNE_THRESHOLD) return;
  for (const [code, entry] of codes) if (entry.expiresAt <= now) codes.delete(code);
}

function newCode(): string {
  return randomBytes(16).toString('hex');
}
