/**
 * JSON pointers (RFC 6901): how diagnostics, secret lists and uniqueConfig rules name a place in a
 * document, and how positions are looked up in the source map.
 */
export function appendPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at `pointer`, or undefined when any step is missing. */
export function getAtPointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const segment of pointerSegments(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Replaces the value at an existing pointer (used to redact secrets in a copy). */
export function setAtPointer(document: unknown, pointer: string, value: unknown): void {
  const segments = pointerSegments(pointer);
  const last = segments.pop();
  let parent = document;
  for (const segment of segments) {
    if (parent === null || typeof parent !== 'object') return;
    parent = (parent as Record<string, unknown>)[segment];
  }
  if (last !== undefined && parent !== null && typeof parent === 'object' && last in parent) {
    (parent as Record<string, unknown>)[last] = value;
  }
}

/** '/authConfig/appKey' -> 'authConfig.appKey'; '/binding/match/0/source' -> 'binding.match[0].source'. */
export function pointerLabel(pointer: string): string {
  let label = '';
  for (const segment of pointerSegments(pointer)) {
    label += /^\d+$/.test(segment) ? `[${segment}]` : label ? `.${segment}` : segment;
  }
  return label;
}
