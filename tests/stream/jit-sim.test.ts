/** `jit sim` serves Stream mode: a client connects to it, and an org change through its admin API arrives as an event. */
import { Command } from 'commander';
import { registerSimCommand } from '../../cli/commands/sim';
import { DingTalkStreamClient, type StreamEvent } from '../../dingtalk/stream';
import { connectSimulator } from '../../sim';
import { CORP_A, appA, waitFor } from './helpers';

afterEach(() => jest.restoreAllMocks());

it('pushes the contact event of a member change made through the admin API to a connected client', async () => {
  let out = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const program = new Command('jit').exitOverride();
  registerSimCommand(program);
  const run = program.parseAsync(['node', 'jit', 'sim', '--port', '0']);
  await waitFor(() => out.includes('Press Ctrl+C'), 'jit sim to start');
  expect(out).toContain('Stream mode (live events): POST');
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];

  const events: StreamEvent[] = [];
  const client = new DingTalkStreamClient({
    credentials: { appKey: appA.appKey, appSecret: appA.appSecret },
    apiUrl: url,
    keepAliveMs: 0,
    onEvent: (event) => void events.push(event),
  });
  try {
    client.start();
    await waitFor(() => client.status.connected, 'the client to connect');
    const token = /Authorization: Bearer (\S+)/.exec(out)![1]; // the admin token `jit sim` prints
    const admin = await connectSimulator(url, { token });
    await admin.updateMember(CORP_A, 'lisi', { title: '架构师' });
    await waitFor(() => events.length === 1, 'the event');
    expect(events[0]).toMatchObject({ eventType: 'user_modify_org', corpId: CORP_A, data: { userId: ['lisi'] } });
    await waitFor(async () => (await admin.stream.counters()).acked === 1, 'the ack');
  } finally {
    await client.stop();
    process.emit('SIGTERM');
    await run;
  }
});
