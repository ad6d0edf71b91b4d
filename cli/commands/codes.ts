/**
 * `jit codes [CODE] [--app <dir>] [--json]`: the app's code registry as people look codes up (#19
 * item 6): every error code with its HTTP status, owner and meaning, and the page codes, DingTalk
 * failure reasons and the like a person can see. With CODE, that one code, every kind it has, and
 * its words for people. Exit 1 when CODE is not registered (a typo, or an element not loaded).
 */
import type { Command } from 'commander';
import { buildErrorCodes } from '../../runtime/error-registry';
import type { RegisteredCode } from '../../runtime/errors';
import { closestNames } from '../../runtime/loader/names';
import { loadRunnableDefinitions, withAppOption, type AppOption } from '../app-option';
import { EXIT_USER_ERROR, printJson, printLine } from '../output';

export function registerCodesCommand(program: Command): void {
  withAppOption(program.command('codes'))
    .description('List the codes a person can see (errors with their HTTP status, page codes, failure reasons) and who owns each; or look one up')
    .argument('[code]', 'one code to look up, e.g. DINGTALK_RATE_LIMITED')
    .option('--json', 'print the codes as JSON')
    .action((code: string | undefined, options: AppOption & { json?: boolean }) => {
      const codes = appCodes(options.app);
      const shown = code === undefined ? codes : codes.filter((c) => c.code === code);
      if (code !== undefined && shown.length === 0) {
        const [suggestion] = closestNames(code, [...new Set(codes.map((c) => c.code))], 1);
        printLine(`No code ${code} in this app${suggestion ? `: did you mean ${suggestion}?` : ''} (jit codes lists them all)`);
        process.exitCode = EXIT_USER_ERROR;
        return;
      }
      if (options.json) return printJson(shown);
      for (const line of code === undefined ? formatTable(shown) : formatOne(shown)) printLine(line);
    });
}

/** The app's registry, built as loadApp builds it (the runtime's codes, then each Type module's). */
export function appCodes(appDir: string): RegisteredCode[] {
  const loaded = loadRunnableDefinitions(appDir);
  const { codes } = buildErrorCodes(loaded.registry, loaded.layers.map((layer) => layer.appId), loaded.files);
  return codes.all();
}

function formatTable(codes: readonly RegisteredCode[]): string[] {
  const lines: string[] = [];
  for (const kind of [...new Set(codes.map((c) => c.kind))]) {
    const ofKind = codes.filter((c) => c.kind === kind);
    lines.push(`${kind === 'error' ? 'Errors (code, HTTP status, owner)' : `${kind} codes (code, owner)`}:`);
    const width = Math.max(...ofKind.map((c) => c.code.length));
    for (const c of ofKind) lines.push(`  ${c.code.padEnd(width)}  ${c.status !== undefined ? `${c.status}  ` : ''}${c.owner.padEnd(14)}  ${c.summary}`);
    lines.push('');
  }
  lines.push(`${codes.length} codes. \`jit codes <CODE>\` shows one with its words for people.`);
  return lines;
}

function formatOne(codes: readonly RegisteredCode[]): string[] {
  return codes.flatMap((c) => [
    `${c.code} (${c.kind}${c.status !== undefined ? `, HTTP ${c.status}` : ''}), owned by ${c.owner}, declared by ${c.declaredBy}`,
    `  ${c.summary}`,
    ...(c.words ? Object.entries(c.words).map(([language, words]) => `  ${language}: ${words}`) : []),
  ]);
}
