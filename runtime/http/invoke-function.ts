/**
 * Calls an element function with named arguments, the one way the host runs element code (the
 * function routes and the redirect callback both come through here).
 */
import type { AppHandle } from '../app-types';
import type { ResolvedFunction } from './function-routes';
import { bindArguments } from './function-args';

export async function invokeFunction(app: AppHandle, { definition, spec }: ResolvedFunction, namedArgs: unknown): Promise<unknown> {
  const args = bindArguments(spec, namedArgs);
  const element = app.getElement<Record<string, unknown>>(definition.fullName);
  const method = element[spec.name];
  if (typeof method !== 'function') {
    throw new Error(`${definition.fullName} declares function ${spec.name} in its functionList but its class has no such method`);
  }
  return await method.apply(element, args);
}
