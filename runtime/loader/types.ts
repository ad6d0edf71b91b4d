/**
 * The records the loader stages pass along. Drafts are the loader's working state: mutable while
 * loading, turned into frozen ElementDefinitions by the register stage and never seen outside.
 */
import type { AppSettings } from '../settings';
import type { Diagnostic } from '../diagnostics';
import type { AccessModifier, ElementLevel, FunctionSpec } from '../definitions';

/** One app in the layer stack: the platform app, the apps listed in `extends`, the app itself. */
export interface AppLayer {
  appId: string;
  title: string;
  version?: string;
  dir: string;
  appJsonFile: string;
  isPlatform: boolean;
  /** The settings of this layer's app.json, defaults filled in; the running app uses its own (the root's). */
  settings: AppSettings;
}

/** A uniqueConfig rule of a Type (e.json `uniqueConfig[]`). */
export interface UniqueRule {
  pointer: string;
  activeWhen?: string;
  label?: string;
  /**
   * A pointer to an element reference: an instance without a value at `pointer` takes it from the
   * config of the element named there (e.g. a corp naming its login takes the login's corpId).
   */
  through?: string;
}

/** A config field naming another element (a schema's `x-element-ref`), once resolved. */
export interface DraftReference {
  pointer: string;
  /** The Type the element named must be an Instance of. */
  type: string;
  /** fullName of the element named. */
  target: string;
}

/** The e.json fields the runtime interprets, read leniently (a broken file still yields what it can). */
export interface ElementSpec {
  title?: string;
  /** undefined when e.json has no usable `type` (then the element cannot be linked). */
  type?: string;
  declaredLevel?: 'type' | 'instance';
  accessModifier: AccessModifier;
  /** Absolute paths. */
  backendBundleEntry?: string;
  configSchema?: string;
  /** Sections of app.json this Type declares (e.json `appSettings`): key -> absolute schema path. */
  appSettings?: Readonly<Record<string, string>>;
  uniqueConfig: UniqueRule[];
  functionList: FunctionSpec[];
}

export interface ElementDraft {
  fullName: string;
  layer: AppLayer;
  dir: string;
  eJsonFile: string;
  /** The file's own object (undefined when unreadable or not an object). */
  ownEJson?: Record<string, unknown>;
  /** ownEJson over the keys inherited from the element it overrides (inherited paths made absolute). */
  eJson?: Record<string, unknown>;
  spec: ElementSpec;
  /** Definitions this one replaced, nearest layer first. */
  overridden: ElementDraft[];
  level?: ElementLevel;
  typeChain: string[];
  /** true when the whole type chain resolved to a Meta (no missing type, no cycle). */
  linked: boolean;
  config?: Record<string, unknown>;
  configFile?: string;
  secretPointers: string[];
  /** Config fields naming other elements (x-element-ref), found by the configure stage. */
  references: DraftReference[];
  /** The resolved backendBundleEntry file, when the element declares one and it exists. */
  bundleFile?: string;
  diagnostics: Diagnostic[];
  /** Recomputed by the propagate stage; false once any error concerns this element or its type chain. */
  valid: boolean;
}

export type DraftMap = Map<string, ElementDraft>;

export function hasErrors(draft: { diagnostics: Diagnostic[] }): boolean {
  return draft.diagnostics.some((d) => d.severity === 'error');
}
