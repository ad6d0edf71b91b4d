/**
 * jit-runtime's public surface: the runtime (loadApp, errors, diagnostics, the Element base) and the
 * official elements' classes, so an app's own Type can subclass them:
 *   const { DDInnerType } = require('jit-runtime');
 */
export * from './runtime/errors';
export * from './runtime/diagnostics';
export * from './runtime/definitions';
export * from './runtime/element';
export * from './runtime/app-types';
export * from './runtime/logger';
// The DingTalk simulator (for app authors' own tests): start one in-process or drive one elsewhere.
export { startSimulator, connectSimulator, generateOrg, loadOrgFile } from './sim';
export type { SimulatorHandle, SimulatorOptions, SimulatorClient, SimOrg, SimFault, SimEndpoint, GenerateOrgOptions } from './sim';
// The DingTalk API client of DDInnerType (auth.getClient()), its retry defaults and the token cache.
export { DDInnerClient, clearTokenCache, DEFAULT_RETRY_POLICY } from './elements/auths/loginTypes/DDInnerType/client';
export type {
  DDInnerClientOptions, RetryPolicy, DDInnerClientApi, DDCredentials, DDUserToken, DDCurrentUser, DDWorkbenchUserInfo,
  DDMember, DDDepartment, DDMemberPage,
} from './elements/auths/loginTypes/DDInnerType/client';
