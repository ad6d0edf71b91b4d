import type { Diagnostic } from './diagnostics';

/** Where an element sits in the Meta -> Type -> Instance model, derived from its `type` chain. */
export type ElementLevel = 'meta' | 'type' | 'instance';
export type AccessModifier = 'public' | 'protected' | 'private';

export interface FunctionArg {
  name: string;
  dataType: string;
  required?: boolean;
}

/** A function an element exposes over HTTP (`functionList` in e.json). */
export interface FunctionSpec {
  name: string;
  title: string;
  args: FunctionArg[];
  loginRequired: boolean;
}

/** Which app defined an element and which apps' definitions it replaced (c12-style layers). */
export interface Provenance {
  /** appId of the app whose definition won. */
  definedBy: string;
  /** appIds of the overridden definitions, nearest first. */
  overrides: string[];
}

/** A config field naming another element (a Type's schema marks it `x-element-ref`). */
export interface ElementReference {
  /** JSON pointer of the field in the business config, e.g. /authFullName. */
  pointer: string;
  /** fullName of the element named. */
  target: string;
  /** The Type the element named must be an Instance of. */
  type: string;
}

/**
 * The frozen, validated description of one element, as the loader registers it. Definitions are
 * data only: they are never mutated after loading and never reach back into the host.
 */
export interface ElementDefinition {
  fullName: string;
  title: string;
  description?: string;
  /** '' for a Meta, else the fullName of its Meta or Type. */
  type: string;
  level: ElementLevel;
  /** Its type, its type's type, ... up to the Meta. Empty for a Meta. */
  typeChain: string[];
  accessModifier: AccessModifier;
  /** Absolute path of the element folder and of its e.json. */
  dir: string;
  eJsonFile: string;
  /** Absolute module path (without extension) when e.json names a backendBundleEntry. */
  backendBundleEntry?: string;
  functionList: FunctionSpec[];
  /** The raw e.json, frozen, for element-specific keys the runtime does not interpret. */
  eJson: Readonly<Record<string, unknown>>;
  /** The business config of an Instance with `{{ENV}}` references resolved. Holds secrets: never log it. */
  config?: Readonly<Record<string, unknown>>;
  /** Absolute path of the business config file, when there is one. */
  configFile?: string;
  /** JSON pointers into the config whose values came from `{{ENV}}` references (treated as secrets). */
  secretPointers: string[];
  /**
   * Other elements its config names (x-element-ref fields). The element is valid only while they are,
   * and a hot reload that changes one of them rebuilds this one. Absent on definitions made elsewhere.
   */
  references?: ElementReference[];
  /** appId of the app this element belongs to. */
  appId: string;
  provenance: Provenance;
  /** Problems found for this element. Any error-severity diagnostic makes it invalid. */
  diagnostics: Diagnostic[];
  valid: boolean;
}
