/**
 * Issue #20 item 3: where verification codes go. Outside `jit serve --sim` and tests the
 * development sender (codes in the log) does not exist: without `verification.sender` the phone
 * proof is refused with an error naming the setting, and no code reaches the log. With the setting,
 * codes go to the app's own module or to a webhook (a real HTTP server here), never to the log.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { BindRequiredResult } from '../../runtime';
import { CORP_A } from '../helpers/demo-org';
import { openLoginApp, type LoginApp } from '../helpers/login-app';
import { ticketOf } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';

const FIXTURE = path.resolve(__dirname, '../fixtures/login/bind-existing');

const sim = useSimulator();

type SenderApp = LoginApp;

/** The bindExisting fixture, copied, with `verification.sender` in its app.json and extra files beside it. */
async function openApp(sender: unknown, options: { developmentSender?: boolean; files?: Record<string, string> } = {}): Promise<SenderApp> {
  const t = await openLoginApp({
    sim,
    app: FIXTURE,
    settings: { $schema: undefined, verification: sender === undefined ? undefined : { sender } },
    files: options.files,
    database: 'sqlite',
    codes: 'app',
    load: { developmentSender: options.developmentSender },
  });
  await t.app.users.create({ username: 'sender.local', phone: '13700000042', password: 'sender pass' });
  return t;
}

async function bindRequired(t: SenderApp, userid: string): Promise<BindRequiredResult> {
  await t.app.db.run((m) => m.clear('failure_counters'));
  return ticketOf(await t.svc.loginByWorkbench(CORP_A.corpId, sim.mintWorkbenchCode(CORP_A.corpId, userid)));
}

const complete = (t: SenderApp, ticket: BindRequiredResult, proof: unknown) => t.svc.completeBinding(ticket.bindTicket, proof as never, { clientKey: ticket.clientKey });
const hasCodeIn = (logs: string[]) => logs.some((line) => /"code":"\d{6}"/.test(line));

async function eventually<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('outside --sim and tests, with no verification.sender, the phone proof is refused naming the setting; nothing reaches the log', async () => {
  const t = await openApp(undefined, { developmentSender: false });
  try {
    const ticket = await bindRequired(t, 'zhangsan');
    const refused = await complete(t, ticket, { phone: '13700000042' }).catch((e) => e);
    expect(refused).toMatchObject({ code: 'CONFIG_INVALID', details: { setting: 'verification.sender' } });
    expect(refused.message).toContain('verification.sender');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hasCodeIn(t.rawLogs)).toBe(false);
    expect(t.rawLogs.some((line) => line.includes('DEVELOPMENT'))).toBe(false);
    // The password proof is unaffected, and the refusal spent nothing.
    expect(await complete(t, ticket, { username: 'sender.local', password: 'sender pass' })).toMatchObject({ status: 'LOGGED_IN' });
  } finally {
    await t.close();
  }
});

test('under --sim and in tests (developmentSender) the development sender writes the code to the log, saying loudly what it is', async () => {
  const t = await openApp(undefined, { developmentSender: true });
  try {
    const ticket = await bindRequired(t, 'lisi');
    expect(await complete(t, ticket, { phone: '13700000042' })).toMatchObject({ status: 'CODE_SENT' });
    await eventually(() => t.rawLogs, hasCodeIn);
    const announced = t.rawLogs.map((line) => JSON.parse(line)).filter((record) => /DEVELOPMENT/.test(record.msg));
    expect(announced.length).toBeGreaterThanOrEqual(2);
    expect(announced.every((record) => record.level === 'warn')).toBe(true);
  } finally {
    await t.close();
  }
});

test('verification.sender names a module of the app: codes go there, not to the log', async () => {
  const t = await openApp('./sms-sender.js', {
    developmentSender: true, // the setting wins over the development sender
    files: {
      'sms-sender.js': `const fs = require('fs'); const path = require('path');
exports.send = async (phone, code, context) => { fs.appendFileSync(path.join(__dirname, 'sent.jsonl'), JSON.stringify({ phone, code, instance: context.instance }) + '\\n'); };\n`,
    },
  });
  try {
    const ticket = await bindRequired(t, 'wangwu');
    expect(await complete(t, ticket, { phone: '13700000042' })).toMatchObject({ status: 'CODE_SENT' });
    const file = path.join(t.dir, 'sent.jsonl');
    const text = await eventually(() => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''), (value) => value !== '');
    const sent = JSON.parse(text.trim());
    expect(sent).toMatchObject({ phone: '13700000042', code: expect.stringMatching(/^\d{6}$/), instance: 'auths.loginTypes.acmeLogin' });
    expect(hasCodeIn(t.rawLogs)).toBe(false);
    expect(await complete(t, ticket, { phone: '13700000042', verificationCode: sent.code })).toMatchObject({ status: 'LOGGED_IN', user: { username: 'sender.local' } });
  } finally {
    await t.close();
  }
});

test('a module outside the app folder, or one without send(), refuses the phone proof with CONFIG_INVALID', async () => {
  const outside = await openApp('../elsewhere.js');
  const broken = await openApp('./not-a-sender.js', { files: { 'not-a-sender.js': 'exports.other = 1;\n' } });
  try {
    for (const [t, words] of [[outside, 'inside the app folder'], [broken, 'must export send']] as const) {
      const ticket = await bindRequired(t, 'zhaoliu');
      const refused = await complete(t, ticket, { phone: '13700000042' }).catch((e) => e);
      expect(refused).toMatchObject({ code: 'CONFIG_INVALID' });
      expect(refused.message).toContain(words);
    }
  } finally {
    await outside.close();
    await broken.close();
  }
});

test('verification.sender {webhook}: each code is POSTed as JSON to the URL', async () => {
  const received: Array<Record<string, unknown>> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms?token=webhook-secret`;
  const t = await openApp({ webhook: url });
  try {
    const ticket = await bindRequired(t, 'chenjing');
    expect(await complete(t, ticket, { phone: '137 0000 0042' })).toMatchObject({ status: 'CODE_SENT' });
    await eventually(() => received, (list) => list.length > 0);
    expect(received).toEqual([{ method: 'POST', type: 'application/json', body: { phone: '137 0000 0042', code: expect.stringMatching(/^\d{6}$/), instance: 'auths.loginTypes.acmeLogin' } }]);
    expect(hasCodeIn(t.rawLogs)).toBe(false);
    expect(t.rawLogs.join('\n')).not.toContain('webhook-secret');
  } finally {
    await t.close();
    server.close();
  }
});
