/**
 * `jit show <fullName> [--json] [--app <dir>]`: one element's definition: level, type chain,
 * provenance, functions, business config (secrets shown as [redacted]) and its diagnostics.
 */
import type { Command } from 'commander';
import { bundleOwner } from '../../runtime/bundles';
import { formatDiagnostic } from '../../runtime/diagnostics';
import type { ElementDefinition } from '../../runtime/definitions';
import { JitError } from '../../runtime/errors';
import type { Registry } from '../../runtime/registry';
import { displayPath, loadRunnableDefinitions, noSuchElement, redactedConfig, withAppOption, type AppOption } from '../app-option';
import { printJson, printLine } from '../output';

export function registerShowCommand(program: Command): void {
  withAppOption(program.command('show <fullName>'))
    .description('Show one element: definition, config (secrets redacted), provenance, diagnostics')
    .option('--json', 'print JSON')
    .action((fullName: string, options: AppOption & { json?: boolean }) => {
      const { registry } = loadRunnableDefinitions(options.app);
      const definition = registry.get(fullName);
      if (!definition) throw new JitError('ELEMENT_NOT_FOUND', noSuchElement(fullName, registry));
      if (options.json) return printJson({ ...definition, config: redactedConfig(definition) });
      printDefinition(definition, registry);
    });
}

function printDefinition(d: ElementDefinition, registry: Registry): void {
  const field = (label: string, value: string) => printLine(`  ${`${label}:`.padEnd(13)}${value}`);
  printLine(`${d.fullName} (${d.level}${d.type ? ` of ${d.type}` : ''})`);
  field('title', d.title);
  if (d.description) field('description', d.description);
  field('type chain', d.typeChain.length ? d.typeChain.join(' -> ') : '(a Meta)');
  field('defined by', d.provenance.definedBy + (d.provenance.overrides.length ? `, overriding ${d.provenance.overrides.join(', ')}` : ''));
  field('access', d.accessModifier);
  field('folder', displayPath(d.dir));
  const owner = bundleOwner(d, registry);
  if (owner) field('module', displayPath(owner.backendBundleEntry!) + (owner === d ? '' : ` (from ${owner.fullName})`));
  if (d.functionList.length) field('functions', d.functionList.map((f) => `${f.name}(${f.args.map((a) => a.name).join(', ')})${f.loginRequired ? '' : ' [no login]'}`).join(', '));
  if (d.configFile) {
    field('config', displayPath(d.configFile));
    for (const line of JSON.stringify(redactedConfig(d), null, 2).split('\n')) printLine(`    ${line}`);
  }
  field('valid', d.valid ? 'yes' : 'no');
  for (const diagnostic of d.diagnostics) printLine(`  ${formatDiagnostic(diagnostic, process.cwd())}`);
}
