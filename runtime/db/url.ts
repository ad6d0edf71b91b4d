/**
 * Database URLs: which database an app uses and how to show it without its password.
 *   sqlite:<path>              a file (relative paths resolve against the current directory)
 *   sqlite::memory:            an in-memory database (tests, throwaway runs)
 *   postgres://user:pass@host:port/db   (postgresql:// too; query parameters are passed to pg)
 */
import * as path from 'node:path';
import { JitError } from '../errors';
import { registerSecret } from '../secrets';

export const DATABASE_URL_ENV = 'JIT_DATABASE_URL';
const URL_FORMS = 'use sqlite:<path> or postgres://user:password@host:port/database';

export type ParsedDatabaseUrl =
  | { kind: 'sqlite'; /** Absolute file path, or ':memory:'. */ file: string; url: string }
  | { kind: 'postgres'; url: string; host: string; port: number; database: string; user: string };

/**
 * The database an app uses: the explicit URL (option / CLI flag), else JIT_DATABASE_URL, else
 * `sqlite:<appDir>/.jit/app.db`. A relative sqlite path is made absolute so logs show the real file.
 */
export function resolveDatabaseUrl(appDir: string, explicit?: string, env: Record<string, string | undefined> = process.env): string {
  const chosen = nonEmpty(explicit) ?? nonEmpty(env[DATABASE_URL_ENV]) ?? `sqlite:${path.join(path.resolve(appDir), '.jit', 'app.db')}`;
  const parsed = parseDatabaseUrl(chosen);
  return parsed.kind === 'sqlite' ? parsed.url : chosen;
}

/**
 * Parses and checks a database URL. A bad URL is a JitError CONFIG_INVALID whose message never
 * contains the URL's password. A PostgreSQL password is registered as a secret, so a driver error
 * that happens to echo it is masked in logs.
 */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  const trimmed = typeof url === 'string' ? url.trim() : '';
  if (!trimmed) throw invalid('The database URL is empty');

  if (/^sqlite:/i.test(trimmed)) {
    // Accept sqlite:<path> and sqlite://<path> (so sqlite:///abs/file and sqlite://./rel both work).
    const rest = trimmed.slice('sqlite:'.length).replace(/^\/\/(?=[./]|[A-Za-z]:)/, '');
    if (!rest) throw invalid('The sqlite database URL has no file path', { scheme: 'sqlite' });
    if (rest === ':memory:') return { kind: 'sqlite', file: ':memory:', url: 'sqlite::memory:' };
    const file = path.resolve(rest);
    return { kind: 'sqlite', file, url: `sqlite:${file}` };
  }

  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw invalid('The PostgreSQL database URL is malformed', { scheme: 'postgres' });
    }
    if (parsed.password) registerSecret(decodeURIComponent(parsed.password));
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    const shown = redactDatabaseUrl(trimmed);
    if (!parsed.hostname) throw invalid(`The PostgreSQL database URL ${shown} names no host`, { url: shown });
    if (!database) throw invalid(`The PostgreSQL database URL ${shown} names no database (add /<database> after the host)`, { url: shown });
    const port = parsed.port ? Number(parsed.port) : 5432;
    return { kind: 'postgres', url: trimmed, host: parsed.hostname, port, database, user: decodeURIComponent(parsed.username) };
  }

  // Only the scheme is echoed: an unrecognised URL may carry a password in a form we cannot find.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimmed)?.[1];
  throw invalid(scheme ? `Unsupported database URL scheme "${scheme}:"` : 'The database URL has no scheme', scheme ? { scheme } : {});
}

/** The URL as it may be shown: `postgres://jit:***@host:5432/db`; sqlite URLs unchanged. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!/^postgres(ql)?:$/i.test(parsed.protocol)) return url;
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    return /^sqlite:/i.test(url) ? url : '[unparsable database URL]';
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() ? value.trim() : undefined;
}

function invalid(problem: string, details: Record<string, unknown> = {}): JitError {
  return new JitError('CONFIG_INVALID', `${problem}: ${URL_FORMS} (option databaseUrl or ${DATABASE_URL_ENV})`, details);
}
