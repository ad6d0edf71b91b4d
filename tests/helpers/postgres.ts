/**
 * PostgreSQL for tests. One throwaway cluster serves the whole jest run (tests/global-setup.ts starts
 * it, tests/global-teardown.ts stops and removes it) and each test file makes its own database in it.
 *
 * If JIT_TEST_PG_URL is already set (CI started a server), that server is used and nothing is started.
 * Otherwise, when `initdb` and `pg_ctl` are on the PATH, a cluster is created in a temp folder
 * (trust auth, superuser `jit`, listening on 127.0.0.1 on a free port, its socket in the temp folder).
 * As root, PostgreSQL refuses to run, so the commands run as the `postgres` user (runuser).
 * A run stopped by SIGINT/SIGTERM/SIGHUP still removes its cluster; what a harder kill leaves behind
 * is reaped by the next run's setup (the owning jest pid is recorded beside the data folder).
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** Admin URL of the test server (a superuser, or a user allowed to create databases). */
export const PG_URL_ENV = 'JIT_TEST_PG_URL';
/** Set by the global setup when no server could be started: why. */
export const PG_UNAVAILABLE_ENV = 'JIT_TEST_PG_UNAVAILABLE';

export interface PostgresAvailability {
  available: boolean;
  reason: string;
}

/** Whether tests can use PostgreSQL in this run, and if not, why. */
export function postgresAvailability(env: Record<string, string | undefined> = process.env): PostgresAvailability {
  if (env[PG_URL_ENV]) return { available: true, reason: '' };
  const reason = env[PG_UNAVAILABLE_ENV] || `${PG_URL_ENV} is not set and the jest global setup did not start a server (initdb/pg_ctl not found?)`;
  return { available: false, reason };
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server; drop() removes it (connections are closed by force). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env[PG_URL_ENV];
  if (!adminUrl) throw new Error(`PostgreSQL is not available: ${postgresAvailability().reason}`);
  const name = `jit_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// -- the throwaway cluster (used by the global setup and teardown) -------------------------------

export interface ThrowawayPostgres {
  /** Initialises and starts the server; resolves with its admin URL. */
  start(): Promise<string>;
  /** Stops the server (if running) and removes its folder. Synchronous, so a signal handler can call it at any stage. */
  stop(): void;
}

const CLUSTER_PREFIX = 'jit-pg-';
/** The pid of the jest process that owns a cluster, so a later run can reap it if that process died. */
const OWNER_FILE = 'owner.pid';

/** Prepares a throwaway cluster's folder (nothing runs yet), or says why there cannot be one. */
export async function prepareThrowawayPostgres(): Promise<ThrowawayPostgres | { unavailable: string }> {
  const initdb = findOnPath('initdb');
  const pgCtl = findOnPath('pg_ctl');
  if (!initdb || !pgCtl) return { unavailable: 'initdb/pg_ctl are not on the PATH (install PostgreSQL or set JIT_TEST_PG_URL)' };

  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await postgresUser() : undefined;
  if (asRoot && !owner) return { unavailable: 'running as root and there is no `postgres` user to run the server as' };
  const runAs = (command: string, args: string[]) => (owner ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args));
  reapOrphanedClusters(pgCtl, Boolean(owner));

  const base = fs.mkdtempSync(path.join(os.tmpdir(), CLUSTER_PREFIX));
  fs.writeFileSync(path.join(base, OWNER_FILE), String(process.pid));
  if (owner) fs.chownSync(base, owner.uid, owner.gid);
  const dataDir = path.join(base, 'data');

  const start = async (): Promise<string> => {
    try {
      // -N: no fsync while initialising; the cluster is thrown away.
      await runAs(initdb, ['-D', dataDir, '--auth=trust', '-U', 'jit', '-N', '-E', 'UTF8', '--locale=C']);
      for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        const settings = [
          `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${base}`,
          '-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=150',
        ].join(' ');
        try {
          await runAs(pgCtl, ['-D', dataDir, '-l', path.join(base, 'server.log'), '-w', '-t', '30', '-o', settings, 'start']);
          return `postgres://jit@127.0.0.1:${port}/postgres`;
        } catch (err) {
          if (attempt >= 3) throw err; // else the free port may have been taken in between: try another
        }
      }
    } catch (err) {
      const log = readTail(path.join(base, 'server.log'));
      const message = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
      throw new Error(`could not start a throwaway PostgreSQL: ${message}${log ? `\n${log}` : ''}`);
    }
  };
  return { start, stop: () => stopCluster(pgCtl, base, Boolean(owner)) };
}

function stopCluster(pgCtl: string, base: string, asPostgresUser: boolean): void {
  const dataDir = path.join(base, 'data');
  if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
    const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
    try {
      if (asPostgresUser) execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { stdio: 'ignore' });
      else execFileSync(pgCtl, args, { stdio: 'ignore' });
    } catch {
      // already stopped
    }
  }
  fs.rmSync(base, { recursive: true, force: true });
}

/**
 * Stops and removes clusters left by jest runs that were killed before their teardown (their owner
 * process is gone). Clusters of live runs, and folders still being set up, are left alone.
 */
function reapOrphanedClusters(pgCtl: string, asPostgresUser: boolean): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(CLUSTER_PREFIX)) continue;
    const base = path.join(os.tmpdir(), name);
    let ownerPid: number;
    try {
      ownerPid = Number(fs.readFileSync(path.join(base, OWNER_FILE), 'utf8'));
    } catch {
      continue;
    }
    if (Number.isInteger(ownerPid) && ownerPid > 0 && !isAlive(ownerPid)) stopCluster(pgCtl, base, asPostgresUser);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function readTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-10).join('\n').trim();
  } catch {
    return '';
  }
}
