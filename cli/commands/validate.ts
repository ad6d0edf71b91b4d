/**
 * `jit validate [--app <dir>] [--json]`: loads the app's definitions, requires the app's own element
 * modules (the platform's are the package's), and prints every problem as
 * `file:line:col CODE message` with a summary. Exit 1 when there is any error.
 */
import type { Command } from 'commander';
import { verifyBundles } from '../../runtime/bundles';
import { buildErrorCodes } from '../../runtime/error-registry';
import { formatDiagnostic, type Diagnostic } from '../../runtime/diagnostics';
import { sortDiagnostics } from '../../runtime/loader';
import { loadAppDefinitions, withAppOption, type AppOption } from '../app-option';
import { EXIT_USER_ERROR, printJson, printLine } from '../output';

export function registerValidateCommand(program: Command): void {
  withAppOption(program.command('validate'))
    .description('Check an app: every problem as file:line:col CODE message; exit 1 on any error')
    .option('--json', 'print the diagnostics as a JSON array')
    .action((options: AppOption & { json?: boolean }) => {
      const report = validateApp(options.app);
      if (report.diagnostics.some((d) => d.severity === 'error')) process.exitCode = EXIT_USER_ERROR;
      if (options.json) return printJson(report.diagnostics);
      for (const diagnostic of report.diagnostics) printLine(formatDiagnostic(diagnostic, process.cwd()));
      printLine(summaryLine(report));
    });
}

export interface ValidationReport {
  appId: string;
  elements: number;
  diagnostics: Diagnostic[];
}

/** Every diagnostic of an app: the loader's, then modules of the app's own layers that cannot be used. */
export function validateApp(appDir: string): ValidationReport {
  const loaded = loadAppDefinitions(appDir);
  const ownApps = new Set(loaded.layers.filter((layer) => !layer.isPlatform).map((layer) => layer.appId));
  const bundleProblems = verifyBundles(loaded.registry, loaded.files, ownApps);
  // The error codes the app's own Types declare, checked as loadApp builds the registry (a duplicate
  // or a malformed table keeps that element from loading, so validate says so first).
  const layerOrder = loaded.layers.map((layer) => layer.appId);
  const codeProblems = buildErrorCodes(loaded.registry, layerOrder, loaded.files).problems.filter((d) => {
    const owner = d.fullName ? loaded.registry.get(d.fullName) : undefined;
    return owner !== undefined && ownApps.has(owner.appId);
  });
  return { appId: loaded.app.appId, elements: loaded.registry.size, diagnostics: sortDiagnostics([...loaded.diagnostics, ...bundleProblems, ...codeProblems]) };
}

function summaryLine({ appId, elements, diagnostics }: ValidationReport): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const counted = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const subject = `${appId}: ${counted(elements, 'element')}`;
  if (errors === 0 && warnings === 0) return `${subject}, no problems`;
  return `${subject}, ${counted(errors, 'error')}${warnings ? `, ${counted(warnings, 'warning')}` : ''}`;
}
