/**
 * What binding resolution needs to know about whoever it works for: a login (per login) or a corp's
 * sync (per run). Each builds it from its own pieces, so the policy, rule matching and user creation
 * are one code for both.
 */
import type { AppHandle } from '../../runtime';
import type { BindingPolicy } from './policy';
import type { BindingStore } from './binding-store';

export interface BindingContext {
  app: AppHandle;
  /** The binding store (the login's DDInnerAuthModel element, or the plain store). */
  model: BindingStore;
  /**
   * fullName of the element the binding is made for: a login (the audience of its tickets), or a corp.
   * Users created get the source `login:<instance>` (logins) or `sync:<instance>` (corps).
   */
  instance: string;
  corpId: string;
  policy: Readonly<BindingPolicy>;
}
