/**
 * `jit create <fullName> --type <TypeFullName> [--title] [--app-key --corp-id --agent-id] [--auth <login>]`:
 * scaffolds an Instance: `<folder>/e.json` and, when the Type has a config schema,
 * `<folder>/<name>.json` built from it, each with a `$schema` so editors validate as you type.
 * Secrets are written as {{NAME}} references; the command prints the .env line to add. Refuses to
 * overwrite anything, an invalid fullName, and a type that is not a usable Type.
 *
 * `--auth <login fullName>` fills the field the Type's schema marks as an element reference
 * (a corp's `authFullName`) after checking the login is an Instance of the Type it must be, and moves
 * the login config's `sync` settings (org settings, which live in the corp now) into the new config:
 *   jit create corps.acme --type corps.DDInnerType --auth auths.loginTypes.acmeLogin
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import type { ElementDefinition } from '../../runtime/definitions';
import { elementPath, ELEMENT_SCHEMA_FILE } from '../../runtime/loader';
import { closestNames, isValidSegment, suggestSegment } from '../../runtime/loader/names';
import type { Registry } from '../../runtime/registry';
import { displayPath, loadRunnableDefinitions, refuse, withAppOption, type AppOption } from '../app-option';
import { buildConfigSkeleton } from '../config-skeleton';
import { schemaReference } from '../schema-reference';
import { printLine } from '../output';
import { removeTopLevelKey } from '../json-edit';

interface CreateOptions extends AppOption {
  type: string;
  title?: string;
  appKey?: string;
  corpId?: string;
  agentId?: string;
  auth?: string;
}

export function registerCreateCommand(program: Command): void {
  withAppOption(program.command('create <fullName>'))
    .description('Scaffold an Instance of a Type: e.json and its business config')
    .requiredOption('--type <TypeFullName>', 'the Type to build it from, e.g. auths.loginTypes.DDInnerType')
    .option('--title <title>', 'a name for people (default: the last part of the fullName)')
    .option('--app-key <appKey>', 'DingTalk Client ID (AppKey), for DingTalk login types')
    .option('--corp-id <corpId>', 'DingTalk CorpId, for DingTalk login types')
    .option('--agent-id <agentId>', 'DingTalk AgentId, for DingTalk login types')
    .option('--auth <loginFullName>', 'for corps types: the DingTalk login whose organisation the corp keeps (its sync settings move here)')
    .action((fullName: string, options: CreateOptions) => {
      const segments = fullName.split('.');
      const bad = segments.find((segment) => !isValidSegment(segment));
      if (bad !== undefined) {
        const suggestion = suggestSegment(bad);
        return refuse(`"${bad}" in ${fullName} is not a valid fullName segment: start with a letter and use only letters, digits and underscores${suggestion ? ` (e.g. ${suggestion})` : ''}`);
      }
      const { app, registry } = loadRunnableDefinitions(options.app);
      const typeProblem = checkType(options.type, registry, app.appId);
      if (typeProblem) return refuse(typeProblem);
      const existing = registry.get(fullName);
      if (existing) return refuse(`${fullName} already exists (${displayPath(existing.eJsonFile)}, defined by ${existing.provenance.definedBy}): choose another name`);

      const name = segments[segments.length - 1];
      const dir = path.join(app.dir, ...segments);
      const eJsonFile = path.join(dir, 'e.json');
      const configFile = path.join(dir, `${name}.json`);
      const taken = [eJsonFile, configFile].find((file) => fs.existsSync(file));
      if (taken) return refuse(`${displayPath(taken)} already exists: refusing to overwrite it`);

      const type = registry.get(options.type)!;
      const schemaFile = configSchemaOf(type, registry);
      const schema = schemaFile ? (JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Record<string, unknown>) : undefined;
      const auth = options.auth === undefined ? undefined : checkAuth(options.auth, options.type, schema, registry);
      if (typeof auth === 'string') return refuse(auth);
      fs.mkdirSync(dir, { recursive: true });
      writeJson(eJsonFile, { $schema: schemaReference(dir, ELEMENT_SCHEMA_FILE), title: options.title ?? name, type: options.type });
      printLine(`Created ${displayPath(eJsonFile)}`);
      if (!schemaFile || !schema) return;

      const given = { appKey: options.appKey, corpId: options.corpId, agentId: options.agentId, ...(auth ? { [auth.field]: auth.login.fullName } : {}) };
      const skeleton = buildConfigSkeleton(schema, fullName, given);
      const moved = auth ? movableSync(auth.login) : undefined;
      if (moved !== undefined) skeleton.config.sync = moved;
      writeJson(configFile, { $schema: schemaReference(dir, schemaFile), ...skeleton.config });
      printLine(`Created ${displayPath(configFile)}`);
      if (moved !== undefined && auth?.login.configFile) {
        const loginFile = auth.login.configFile;
        fs.writeFileSync(loginFile, removeTopLevelKey(fs.readFileSync(loginFile, 'utf8'), 'sync'));
        printLine(`Moved "sync" from ${displayPath(loginFile)} to ${displayPath(configFile)} (org settings live in the corp)`);
      }
      for (const { variable, field } of skeleton.secrets) {
        printLine(`Add this line to ${displayPath(path.join(app.dir, '.env'))} (the ${field} value; keep .env out of git):`);
        printLine(`  ${variable}=`);
      }
      if (skeleton.toFill.length) printLine(`Fill in: ${skeleton.toFill.join(', ')} in ${displayPath(configFile)}`);
      printLine(`Then check the app: jit validate --app ${displayPath(app.dir)}`);
    });
}

/** Why `type` cannot be instantiated here, or undefined when it can. */
function checkType(typeName: string, registry: Registry, appId: string): string | undefined {
  const type = registry.get(typeName);
  const typesHint = () => {
    const types = registry.find({ level: 'type' }).map((d) => d.fullName);
    const [suggestion] = closestNames(typeName, types, 1);
    return `${suggestion ? `did you mean ${suggestion}? ` : ''}Types: ${types.join(', ')}`;
  };
  if (!type) return `Unknown type ${typeName}: ${typesHint()}`;
  if (type.level === 'meta') return `${typeName} is a Meta; build an Instance from one of its Types: ${typesHint()}`;
  if (type.level === 'instance') return `${typeName} is an Instance, not a Type: ${typesHint()}`;
  if (!type.valid) return `${typeName} is invalid: run jit validate and fix it first`;
  if (type.accessModifier === 'private' && type.appId !== appId) return `${typeName} is private to ${type.appId}: only that app may use it`;
  return undefined;
}

/**
 * The login `--auth` names, checked against the Type's schema: the top-level field marked
 * `x-element-ref` takes it, and the login must be an Instance of the Type that field requires.
 * A string is the reason to refuse.
 */
function checkAuth(name: string, typeName: string, schema: Record<string, unknown> | undefined, registry: Registry): { field: string; login: ElementDefinition } | string {
  const properties = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const field = Object.keys(properties).find((key) => typeof properties[key]['x-element-ref'] === 'string');
  if (!field) return `--auth applies to Types whose config names a login (a corps Type such as corps.DDInnerType); ${typeName} has none`;
  const required = properties[field]['x-element-ref'] as string;
  // Every login, valid or not here: `jit create` reads no .env, so a login's {{SECRET}} may be unset.
  const logins = registry.find({ type: required, level: 'instance', validOnly: false }).map((d) => d.fullName);
  const login = registry.get(name);
  if (!login) {
    const [suggestion] = closestNames(name, logins, 1);
    return `No element ${name} in this app${suggestion ? `: did you mean ${suggestion}?` : ''}${logins.length ? ` (instances of ${required}: ${logins.join(', ')})` : ''}`;
  }
  if (login.level !== 'instance' || !login.typeChain.includes(required)) {
    return `--auth must name an Instance of ${required}, but ${name} is ${login.level === 'instance' ? `an Instance of ${login.type}` : `a ${login.level}`}${logins.length ? ` (instances of ${required}: ${logins.join(', ')})` : ''}`;
  }
  return { field, login };
}

/** The login config's `sync`, as written in its file (not the resolved config), when it has one. */
function movableSync(login: ElementDefinition): unknown {
  if (!login.configFile || !fs.existsSync(login.configFile)) return undefined;
  const written = JSON.parse(fs.readFileSync(login.configFile, 'utf8')) as Record<string, unknown>;
  return written.sync !== undefined && written.sync !== null && typeof written.sync === 'object' ? written.sync : undefined;
}

/** The nearest config schema file in [type, ...its type chain]. */
function configSchemaOf(type: ElementDefinition, registry: Registry): string | undefined {
  for (const definition of [type, ...type.typeChain.map((name) => registry.get(name))]) {
    const file = definition && elementPath(definition.dir, definition.eJson, 'configSchema');
    if (file) return file;
  }
  return undefined;
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n', { flag: 'wx' });
}
