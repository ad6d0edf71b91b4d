/**
 * The "who scans the QR code" page shared by the embedded QR frame and the full-page
 * `/oauth2/auth` flow: a fake QR code and one button per person, members of the app's corp first,
 * then everyone else under "Not in this organisation" (to provoke NOT_CORP_MEMBER / CORP_MISMATCH).
 * Plain HTML forms, inline style, no external resources.
 */
import { createHash } from 'node:crypto';
import { escapeHtml, jsonForScript } from './http-io';

export interface ChooserPerson {
  unionid: string;
  name: string;
  /** e.g. "Other Corp" or "no organisation". */
  note?: string;
}

export interface ChooserPageOptions {
  appName: string;
  corpName: string;
  /** Where the chosen person is posted (form field `unionid`). */
  action: string;
  /** Login parameters carried through as hidden fields. */
  hidden: Record<string, string>;
  members: ChooserPerson[];
  others: ChooserPerson[];
  /** Full-page flow only: a Cancel button (form field `cancel`). */
  cancellable: boolean;
}

/** Big generated orgs would make an unusable page; the admin routes reach everyone. */
const MAX_LISTED = 200;

export function renderChooserPage(options: ChooserPageOptions): string {
  const hidden = Object.entries(options.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const cancel = options.cancellable ? '<p><button type="submit" name="cancel" value="1" class="cancel">Cancel</button></p>' : '';
  return page(
    `Log in to ${options.appName}`,
    `<main>
  <h1>DingTalk login <span class="tag">simulated</span></h1>
  <p>${escapeHtml(options.appName)} · ${escapeHtml(options.corpName)}</p>
  ${fakeQr(options.hidden.state ?? options.appName)}
  <form method="post" action="${escapeHtml(options.action)}">${hidden}
    <h2 id="members-heading">Scan as a member of ${escapeHtml(options.corpName)}</h2>
    ${personList(options.members, 'members-heading')}
    <h2 id="others-heading">Not in this organisation</h2>
    ${personList(options.others, 'others-heading')}
    ${cancel}
  </form>
</main>`,
  );
}

/** A page that reports to the embedding window and says so on screen. */
export function renderMessagePage(title: string, text: string, message: unknown, targetOrigin: string): string {
  return page(
    title,
    `<main><h1>${escapeHtml(title)}</h1><p role="status">${escapeHtml(text)}</p></main>
<script>parent.postMessage(${jsonForScript(message)}, ${jsonForScript(targetOrigin)});</script>`,
  );
}

export function renderErrorPage(title: string, text: string): string {
  return page(title, `<main><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(text)}</p></main>`);
}

function personList(people: ChooserPerson[], labelledBy: string): string {
  if (people.length === 0) return '<p>Nobody.</p>';
  const items = people
    .slice(0, MAX_LISTED)
    .map(
      (p) =>
        `<li><button type="submit" name="unionid" value="${escapeHtml(p.unionid)}">Scan as ${escapeHtml(p.name)}</button>${p.note ? ` <span class="note">${escapeHtml(p.note)}</span>` : ''}</li>`,
    )
    .join('');
  const more = people.length > MAX_LISTED ? `<p>…and ${people.length - MAX_LISTED} more (mint codes with POST /__sim/codes/qr).</p>` : '';
  return `<ul aria-labelledby="${labelledBy}">${items}</ul>${more}`;
}

/** A deterministic 21x21 pattern that looks like a QR code; it encodes nothing. */
function fakeQr(seed: string): string {
  const bits = createHash('sha256').update(seed).digest();
  const cells: string[] = [];
  const finder = (x: number, y: number) => (x < 7 && y < 7) || (x > 13 && y < 7) || (x < 7 && y > 13);
  for (let y = 0; y < 21; y++)
    for (let x = 0; x < 21; x++) {
      let on: boolean;
      if (finder(x, y)) {
        const fx = x > 13 ? x - 14 : x;
        const fy = y > 13 ? y - 14 : y;
        on = fx === 0 || fx === 6 || fy === 0 || fy === 6 || (fx >= 2 && fx <= 4 && fy >= 2 && fy <= 4);
      } else {
        const i = y * 21 + x;
        on = ((bits[i % 32] >> (i % 8)) & 1) === 1;
      }
      if (on) cells.push(`<rect x="${x}" y="${y}" width="1" height="1"/>`);
    }
  return `<svg class="qr" viewBox="-1 -1 23 23" width="72" height="72" role="img" aria-label="QR code (simulated: choose a person below instead of scanning)"><rect x="-1" y="-1" width="23" height="23" fill="#fff"/><g fill="#111">${cells.join('')}</g></svg>`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;padding:12px;color:#1f2329;background:#fff}
h1{font-size:16px;margin:0 0 4px}h2{font-size:13px;margin:12px 0 4px;color:#646a73}
.tag{font-size:11px;background:#fff3cd;border-radius:3px;padding:1px 4px;font-weight:normal}
/* The frame is DingTalk's 300px square: a small QR floats aside so the people to scan as show first. */
.qr{float:right;margin:0 0 6px 8px;border:1px solid #dee0e3}
ul{list-style:none;margin:0;padding:0}li{margin:3px 0}
button{font:inherit;padding:4px 10px;border:1px solid #3370ff;border-radius:4px;background:#fff;color:#3370ff;cursor:pointer}
button:hover{background:#f0f4ff}button:focus-visible{outline:2px solid #3370ff;outline-offset:2px}
button.cancel{border-color:#8f959e;color:#1f2329}.note{color:#8f959e;font-size:12px}
</style></head><body>
${body}
</body></html>`;
}
