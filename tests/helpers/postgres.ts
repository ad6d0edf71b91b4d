/**
 * PostgreSQL for tests. One throwaway cluster serves the whole jest run (tests/global-setup.ts starts
 * it, tests/global-teardown.ts stops and removes it) and each test file makes its own database in it.
 *
 * If JIT_TEST_PG_URL is already set (CI started a server), that server is used and nothing is started.
 * Otherwise, when `initdb` and `pg_ctl` are on the PATH, a cluster is created in a temp folder
 * (trust auth, superuser `jit`, listening on 127.0.0.1 on a free port, its socket in the temp folder).
 * As root, PostgreSQL refuses to run, so the commands run as the `postgres` user (runuser).
 */
import { execFile } from 'node:child_process';
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
  url: string;
  stop(): Promise<void>;
}

/** Starts a throwaway cluster, or says why it cannot. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres | { unavailable: string }> {
  const initdb = findOnPath('initdb');
  const pgCtl = findOnPath('pg_ctl');
  if (!initdb || !pgCtl) return { unavailable: 'initdb/pg_ctl are not on the PATH (install PostgreSQL or set JIT_TEST_PG_URL)' };

  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await postgresUser() : undefined;
  if (asRoot && !owner) return { unavailable: 'running as root and there is no `postgres` user to run the server as' };
  const runAs = (command: string, args: string[]) => (owner ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args));

  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-pg-'));
  if (owner) fs.chownSync(base, owner.uid, owner.gid);
  const dataDir = path.join(base, 'data');
  const remove = () => fs.rmSync(base, { recursive: true, force: true });
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
      } catch (err) {
        if (attempt < 3) continue; // the free port may have been taken in between
        throw err;
      }
      return {
        url: `postgres://jit@127.0.0.1:${port}/postgres`,
        stop: async () => {
          await runAs(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
          remove();
        },
      };
    }
  } catch (err) {
    const log = readTail(path.join(base, 'server.log'));
    remove();
    const message = (err as { stderr?: string; message?: string }).stderr?.trim() || (err as Error).message;
    return { unavailable: `could not start a throwaway PostgreSQL: ${message}${log ? `\n${log}` : ''}` };
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
