/**
 * The registry: an app's frozen element definitions by fullName, kept apart from the loaded element
 * objects (those live in the App). A registry never changes; a reload builds a new one and the App
 * swaps it in one assignment.
 */
import type { ElementFilter } from './app-types';
import type { ElementDefinition } from './definitions';

export class Registry {
  private readonly byName: ReadonlyMap<string, ElementDefinition>;
  private readonly sorted: readonly ElementDefinition[];

  constructor(definitions: Iterable<ElementDefinition>) {
    const map = new Map<string, ElementDefinition>();
    for (const definition of definitions) map.set(definition.fullName, definition);
    this.byName = map;
    this.sorted = Object.freeze([...map.values()].sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0)));
  }

  get size(): number {
    return this.byName.size;
  }

  get(fullName: string): ElementDefinition | undefined {
    return this.byName.get(fullName);
  }

  has(fullName: string): boolean {
    return this.byName.has(fullName);
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** Every definition, sorted by fullName. */
  all(): readonly ElementDefinition[] {
    return this.sorted;
  }

  /** Definitions matching a filter; valid ones only unless `validOnly: false`. */
  find(filter: ElementFilter = {}): ElementDefinition[] {
    const validOnly = filter.validOnly ?? true;
    return this.sorted.filter(
      (d) => (!validOnly || d.valid) && (!filter.level || d.level === filter.level) && (!filter.type || d.typeChain.includes(filter.type)),
    );
  }

  /** A new registry with these definitions replacing (or adding to) the current ones. */
  with(definitions: Iterable<ElementDefinition>): Registry {
    const map = new Map(this.byName);
    for (const definition of definitions) map.set(definition.fullName, definition);
    return new Registry(map.values());
  }
}
