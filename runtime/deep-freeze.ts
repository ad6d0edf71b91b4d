/**
 * Freezes a value and everything in it: definitions and settings are shared by every caller and must
 * not be changed by one of them. An already frozen value is taken as frozen all through (what this
 * function leaves), so shared parts are not walked twice.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
