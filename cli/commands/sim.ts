/**
 * `jit sim [--port 9100] [--org <file>] [--latency <ms>] [--qps <n|off>] [--page-origin <origin>...]`:
 * the DingTalk simulator on its own, for running an app against it from another process. Prints the
 * base URL, the env lines that point the runtime at it, the admin token its admin routes take
 * (JIT_SIM_ADMIN_TOKEN fixes it), and who one can log in as; stops cleanly on SIGINT/SIGTERM.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { ADMIN_TOKEN_ENV, loadOrgFile, startSimulator } from '../../sim';
import type { SimOrg, SimulatorHandle } from '../../sim/types';
import { EXIT_USER_ERROR, printError, printLine } from '../output';

/** Beyond this many members per corp the listing is cut short (generated orgs are huge). */
const LISTED_MEMBERS = 20;

interface SimOptions {
  port: number;
  host: string;
  org?: string;
  latency: number;
  qps: number | 'off';
  pageOrigin: string[];
}

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run the DingTalk simulator (oapi, api and login hosts on one local URL)')
    .option('--port <port>', 'port to listen on (0 = any free port)', parsePort, 9100)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--org <file>', 'org JSON file (default: the built-in demo org)')
    .option('--latency <ms>', 'delay added to every DingTalk API call', parseLatency, 0)
    .option('--qps <n|off>', 'calls per second each app may make to each API, as DingTalk allows (60: the paid tier)', parseQps, 20)
    .option('--page-origin <origin>', 'a non-loopback origin whose pages may use the dingtalk.js stand-in (repeatable)', collect, [])
    .action(async (options: SimOptions) => {
      const org = options.org ? loadOrgFile(options.org) : undefined;
      let sim: SimulatorHandle;
      try {
        sim = await startSimulator({
          port: options.port,
          host: options.host,
          org,
          latencyMs: options.latency,
          qps: options.qps,
          pageOrigins: options.pageOrigin,
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
        printError(`error: cannot listen on ${options.host}:${options.port} (${code}); pick another port with --port`);
        process.exitCode = EXIT_USER_ERROR;
        return;
      }
      printBanner(sim);
      if (options.latency > 0) printLine(`Every DingTalk API call is delayed by ${options.latency} ms.`);
      printLine(options.qps === 'off' ? 'No QPS limit (--qps off).' : `Each app may call each API ${options.qps} times a second; calls over that are refused, as DingTalk does.`);
      await untilSignal();
      await sim.close();
      printLine('DingTalk simulator stopped.');
    });
}

function printBanner(sim: SimulatorHandle): void {
  printLine(`DingTalk simulator listening on ${sim.url}`);
  printLine('');
  printLine('Point the runtime at it:');
  printLine(`  DINGTALK_OAPI_URL=${sim.oapiUrl}`);
  printLine(`  DINGTALK_API_URL=${sim.apiUrl}`);
  printLine(`  DINGTALK_LOGIN_URL=${sim.loginUrl}`);
  printLine('');
  printLine(`Front-end stand-ins: ${sim.url}/standins/ddlogin.js (DTFrameLogin), ${sim.url}/standins/dingtalk.js (dd)`);
  printLine(`Admin routes: ${sim.url}/__sim/org, /__sim/counters, POST /__sim/codes/workbench, POST /__sim/codes/qr`);
  printLine(`  They take the admin token: Authorization: Bearer ${sim.adminToken}`);
  printLine(`  (connectSimulator(url, { token }), or ${ADMIN_TOKEN_ENV}=<token> in both processes)`);
  printLine(`Stream mode (live events): POST ${sim.apiUrl}/v1.0/gateway/connections/open; org changes through POST /__sim/members/* and /__sim/departments/* push contact events; /__sim/stream/* to inspect`);
  printLine('');
  for (const line of describeOrg(sim.org)) printLine(line);
  printLine('');
  printLine('Press Ctrl+C to stop.');
}

/** Who one can scan as, per corp, plus the outsiders. Never prints a secret. */
export function describeOrg(org: SimOrg): string[] {
  const lines: string[] = [];
  for (const corp of org.corps) {
    const apps = corp.apps.map((a) => `appKey ${a.appKey}, agentId ${a.agentId}`).join('; ');
    lines.push(`${corp.name} (corpId ${corp.corpId}; ${apps}): ${corp.users.length} member${corp.users.length === 1 ? '' : 's'}`);
    for (const user of corp.users.slice(0, LISTED_MEMBERS))
      lines.push(`  ${user.name}  userid ${user.userid}  unionid ${user.unionid}${user.mobile ? `  mobile ${user.mobile}` : ''}`);
    if (corp.users.length > LISTED_MEMBERS) lines.push(`  ... and ${corp.users.length - LISTED_MEMBERS} more (GET /__sim/org lists them all)`);
  }
  const outsiders = org.outsiders ?? [];
  if (outsiders.length > 0) {
    lines.push('Outsiders (a DingTalk account in no organisation):');
    for (const person of outsiders) lines.push(`  ${person.name}  unionid ${person.unionid}`);
  }
  return lines;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be an integer from 0 to 65535');
  return port;
}

function parseQps(value: string): number | 'off' {
  if (value === 'off') return 'off';
  const qps = Number(value);
  if (!Number.isInteger(qps) || qps < 1) throw new InvalidArgumentError("must be a whole number of calls per second >= 1, or 'off'");
  return qps;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseLatency(value: string): number {
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0) throw new InvalidArgumentError('must be a number of milliseconds >= 0');
  return ms;
}
