/**
 * The base class of every loaded element. A Type's backendBundleEntry exports a class extending it;
 * the runtime constructs one object per element on first `getElement` and caches it.
 */
import type { AppHandle } from './app-types';
import type { ElementDefinition } from './definitions';

export interface ElementContext {
  definition: ElementDefinition;
  app: AppHandle;
}

export class Element {
  readonly fullName: string;
  readonly title: string;
  protected readonly definition: ElementDefinition;
  protected readonly app: AppHandle;

  constructor(context: ElementContext) {
    this.definition = context.definition;
    this.app = context.app;
    this.fullName = context.definition.fullName;
    this.title = context.definition.title;
  }

  /** Called once by `app.close()` (and before a hot reload replaces the element). */
  async dispose(): Promise<void> {
    // nothing by default
  }
}

/** The shape a backendBundleEntry module's class must have. */
export type ElementClass = new (context: ElementContext) => Element;
