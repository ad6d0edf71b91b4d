/**
 * Bundle-check stage: a backendBundleEntry must name a module that exists. The module is not
 * required here (that runs the app author's code); see runtime/bundles.ts.
 */
import * as path from 'path';
import { resolveBundleFile } from '../bundles';
import type { LoadContext } from './context';
import type { DraftMap } from './types';

export function checkBundleFiles(drafts: DraftMap, ctx: LoadContext): void {
  for (const draft of drafts.values()) {
    const entry = draft.spec.backendBundleEntry;
    if (!entry) continue;
    draft.bundleFile = resolveBundleFile(entry);
    if (draft.bundleFile) continue;
    const name = path.basename(entry);
    ctx.report(
      'BUNDLE_MISSING',
      { file: draft.eJsonFile, pointer: '/backendBundleEntry' },
      `backendBundleEntry "${draft.eJson?.backendBundleEntry}" names no module: create ${name}.ts or ${name}.js in ${ctx.displayPath(path.dirname(entry))}, or fix the name (a path relative to the element folder, without extension)`,
      draft,
    );
  }
}
