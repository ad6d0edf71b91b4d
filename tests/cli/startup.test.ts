/**
 * `jit --help` and `jit --version` start fast because they load no command module (#17 item 5): the
 * speed itself is a benchmark figure; what a test can hold is the cause, that neither TypeORM nor
 * fastify is required, and that each listed summary is its command's own description.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { Command } from 'commander';
import { COMMANDS } from '../../cli/commands';
import { runCli } from './run-cli';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Runs the CLI's main in a fresh Node process and lists the heavy packages it required. */
function heavyModulesLoadedBy(...args: string[]): string[] {
  const script = `
    require('ts-node').register({ transpileOnly: true });
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true; // the help text itself is not what this test reads
    require('./cli/main').main(['node', 'jit', ...${JSON.stringify(args)}]).then(() => {
      const heavy = new Set();
      for (const file of Object.keys(require.cache)) {
        const match = /node_modules[\\\\/](typeorm|fastify|axios|sqlite3|pg|ajv)[\\\\/]/.exec(file);
        if (match) heavy.add(match[1]);
      }
      write(JSON.stringify([...heavy]));
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' })) as string[];
}

describe('jit start-up', () => {
  test('--help and --version load neither typeorm nor fastify (nor ajv, nor any command module)', () => {
    expect(heavyModulesLoadedBy('--help')).toEqual([]);
    expect(heavyModulesLoadedBy('--version')).toEqual([]);
  });

  test('a named command loads what it needs (the check above can see a load)', () => {
    expect(heavyModulesLoadedBy('validate', '--app', 'apps/demo')).toEqual(expect.arrayContaining(['ajv']));
  });

  test('each summary listed by --help is the description its command registers', () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const program = new Command('jit');
      entry.load()(program);
      const command = program.commands.find((c) => c.name() === name);
      expect({ name, description: command?.description() }).toEqual({ name, description: entry.summary });
    }
  });

  test('--help lists every command; `jit help <command>` shows that command\'s own help', async () => {
    const help = await runCli('--help');
    expect(help.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const serve = await runCli('help', 'serve');
    expect(serve.stdout).toMatch(/Usage: jit serve/);
    expect(serve.stdout).toMatch(/--port/);
  });
});
