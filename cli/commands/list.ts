/**
 * `jit list [--type <fullName>] [--json] [--app <dir>]`: every element of the app (platform and
 * parent apps included) with its level, type, title, the app that defined it, and whether it loads.
 */
import type { Command } from 'commander';
import type { ElementDefinition } from '../../runtime/definitions';
import { loadRunnableDefinitions, noSuchElement, refuse, withAppOption, type AppOption } from '../app-option';
import { printJson, printLine } from '../output';

export function registerListCommand(program: Command): void {
  withAppOption(program.command('list'))
    .description('List the elements of an app')
    .option('--type <fullName>', 'only elements built from this Meta or Type (directly or through subtypes)')
    .option('--json', 'print JSON')
    .action((options: AppOption & { type?: string; json?: boolean }) => {
      const { registry } = loadRunnableDefinitions(options.app);
      if (options.type && !registry.has(options.type)) return refuse(noSuchElement(options.type, registry));
      const elements = registry.find({ type: options.type, validOnly: false });
      if (options.json) return printJson(elements.map(summary));
      printTable(elements);
    });
}

function summary(d: ElementDefinition) {
  return {
    fullName: d.fullName,
    level: d.level,
    type: d.type,
    title: d.title,
    accessModifier: d.accessModifier,
    definedBy: d.provenance.definedBy,
    overrides: d.provenance.overrides,
    valid: d.valid,
    errors: d.diagnostics.filter((x) => x.severity === 'error').length,
  };
}

function printTable(elements: ElementDefinition[]): void {
  if (elements.length === 0) return printLine('No elements');
  const rows = [
    ['FULLNAME', 'LEVEL', 'TYPE', 'TITLE', 'DEFINED BY', 'VALID'],
    ...elements.map((d) => {
      const firstError = d.diagnostics.find((x) => x.severity === 'error');
      const definedBy = d.provenance.overrides.length ? `${d.provenance.definedBy} (overrides ${d.provenance.overrides.join(', ')})` : d.provenance.definedBy;
      return [d.fullName, d.level, d.type || '-', d.title, definedBy, d.valid ? 'yes' : `no (${firstError?.code ?? 'see jit show'})`];
    }),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) printLine(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '));
}
