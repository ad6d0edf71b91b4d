/**
 * fullName rules. An element's fullName is its folder path from the app root joined with dots, so
 * every folder on that path must be a valid segment: a letter first, then letters, digits or
 * underscores. That keeps fullNames usable as JavaScript identifiers, URL path segments
 * (`/api/<org>/<app>/auths/loginTypes/testDDLogin/...`) and environment-variable stems.
 */
export const FULLNAME_SEGMENT = /^[A-Za-z][A-Za-z0-9_]*$/;

export function isValidSegment(segment: string): boolean {
  return FULLNAME_SEGMENT.test(segment);
}

/** 'auths/loginTypes/x' -> 'auths.loginTypes.x' (accepts either slash). */
export function fullNameFromPath(relativeDir: string): string {
  return relativeDir.split(/[\\/]/).filter(Boolean).join('.');
}

/** A valid segment close to an invalid one ('my-login' -> 'myLogin', '2fa' -> undefined), for messages. */
export function suggestSegment(segment: string): string | undefined {
  const words = segment.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const candidate = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  return isValidSegment(candidate) ? candidate : undefined;
}

/** 'testDDLogin' -> 'TEST_DD_LOGIN': the stem of environment-variable names derived from an element. */
function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/**
 * The environment variable a secret of an instance should come from: `<INSTANCE>_<FIELD>`, e.g.
 * auths.loginTypes.testDDLogin + /authConfig/appSecret -> TEST_DD_LOGIN_APP_SECRET.
 */
export function secretEnvName(instanceFullName: string, pointer: string): string {
  const instance = instanceFullName.split('.').pop() ?? instanceFullName;
  const field = pointer.split('/').pop() || 'secret';
  return `${upperSnake(instance)}_${upperSnake(field)}`;
}

/** The names among `candidates` closest to `name` (edit distance), for "did you mean" hints. */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const scored: Array<[string, number]> = [];
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase(), limit);
    if (distance <= limit) scored.push([candidate, distance]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, max).map(([candidate]) => candidate);
}

/** Levenshtein distance, giving up (returning limit + 1) once it cannot be within `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}
