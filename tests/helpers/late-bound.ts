/**
 * A value a jest hook starts later (in beforeAll), handed out now: `const sim = useSimulator()` at
 * the top of a describe reads as the thing itself, and forwards to it once the hook has run. Read
 * before then (at collection time), it throws saying so, instead of an undefined a test trips over.
 */
export interface LateBound<T extends object> {
  /** Stands for the value: every property read forwards to the value of the moment. */
  readonly value: T;
  set(value: T | undefined): void;
  /** The value itself, or undefined before the hook has run (for afterAll clean-ups). */
  current(): T | undefined;
}

/** Keys that jest, await and printing probe on any object; they answer undefined while there is no value. */
const PROBED = new Set<string | symbol>(['then', 'asymmetricMatch', '$$typeof', 'nodeType', 'toJSON', Symbol.toPrimitive, Symbol.toStringTag, Symbol.iterator]);

export function lateBound<T extends object>(what: string): LateBound<T> {
  let current: T | undefined;
  const missing = (key: string | symbol): never => {
    throw new Error(`${what} is not there yet (reading .${String(key)}): it starts in beforeAll, so use it inside a test or a hook declared after it`);
  };
  const value = new Proxy({} as T, {
    get(_target, key) {
      if (current === undefined) return PROBED.has(key) ? undefined : missing(key);
      const found = Reflect.get(current, key, current);
      // Methods run on the value itself (private fields and closures over `this` keep working).
      return typeof found === 'function' ? found.bind(current) : found;
    },
    set(_target, key, next) {
      if (current === undefined) return missing(key);
      return Reflect.set(current, key, next, current);
    },
    has: (_target, key) => current !== undefined && key in current,
    ownKeys: () => (current === undefined ? [] : Reflect.ownKeys(current)),
    getOwnPropertyDescriptor(_target, key) {
      if (current === undefined) return undefined;
      const descriptor = Reflect.getOwnPropertyDescriptor(current, key);
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
  });
  return { value, set: (next) => void (current = next), current: () => current };
}
