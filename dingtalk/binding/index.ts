/**
 * The engine that binds a DingTalk member to a local user, shared by the login and the corps
 * families as a user's own Type would use it: the binding policy (match rules, whenNotAssociated),
 * auto-bind, provisioning, resolution, and the binding store (dd_inner_auth).
 */
export { MATCH_SOURCES, MATCH_TARGETS, readBindingPolicy, type BindingKind, type BindingPolicy, type MatchRule, type MatchSource, type WhenNotAssociated } from './policy';
export { DDBindingEntity, DDBindingStore, PROFILE_FIELDS, type BindingStore, type DDBindingProfile, type DDBindingRow, type NewDDBindingRow } from './binding-store';
export type { BindingContext } from './binding-context';
export { findAutoBindUser } from './auto-bind';
export { provisionUser } from './provision-user';
export { resolveBinding, bindProvenUser, assertUserFreeInCorp, type BindingOutcome } from './resolve-binding';
