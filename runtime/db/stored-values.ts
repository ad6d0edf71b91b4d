/**
 * Equality of a stored column value and a freshly computed one, across what the drivers hand back:
 * null and undefined alike, dates by instant, numbers and strings by their text. Login and sync use
 * it to write a row only when something really changed.
 */
export function sameStoredValue(a: unknown, b: unknown): boolean {
  const na = a ?? null;
  const nb = b ?? null;
  if (na === null || nb === null) return na === nb;
  if (na instanceof Date || nb instanceof Date) return new Date(na as string).getTime() === new Date(nb as string).getTime();
  return String(na) === String(nb);
}
