/**
 * DDInnerType: DingTalk login for an enterprise internal app. The Type holds the logic; each Instance
 * is config (`authConfig`, `scope`, `binding`, `isActive`). Two ways in, one way out:
 *   - QR code on a PC:        getLoginConfig() -> DTFrameLogin -> getLoginCode({loginType: 'qr', ...})
 *   - inside DingTalk:        requestAuthCode  -> getLoginCode({loginType: 'workbench'}) or
 *                             DDInnerAuthSvc.loginByWorkbench(corpId, code)
 * Both resolve the same binding (corpId + DingTalk userid) and open a session.
 *
 * App authors may subclass it: `class MyLogin extends require('jit-runtime').DDInnerType {}`.
 */
import { type AppHandle, Element, type ElementContext, JitError, currentRequestContext } from '../../../../runtime';
import { DINGTALK_ERRORS, DINGTALK_PAGE_CODES } from '../../../../dingtalk/error-codes';
import { DINGTALK_REASONS } from '../../../../dingtalk/client/reasons';
import { DDInnerClient } from '../../../../dingtalk/client/DDInnerClient';
import { dingTalkRuntimeOf } from '../../../../dingtalk/client/app-runtime';
import { dingTalkHostsOf } from '../../../../dingtalk/hosts';
import type { DDInnerClientApi } from '../../../../dingtalk/client/types';
import { DINGTALK_AUTH_MODEL, DINGTALK_LOGIN_TYPE } from '../../../../dingtalk/login-type';
import type { DDInnerAuthModel } from './DDInnerAuthModel/DDInnerAuthModel';
import { readInstanceConfig, type AuthConfig, type DDInnerInstanceConfig, type LoginScope } from './instance-config';
import { issueLoginState } from './login-state';
import { readAuthCode, readLoginCodeArgs, readPlatform, type LoginCodeArgs, type LoginPlatform, type LoginType } from './login-args';
import { withLoginLog, type LoginFlow, type LoginTrace } from './login-log';
import type { CompleteBindingResult, DingTalkLoginResult } from './login-result';
import type { LoginContext } from './member-login';
import { qrLogin } from './qr-login';
import { workbenchLogin } from './workbench-login';
import { completeBinding, type BindingProof, type CompleteBindingOptions } from './binding/complete-binding';
import { hostContribution as contribution } from './host-contribution';

export const DD_INNER_TYPE = DINGTALK_LOGIN_TYPE;
/** The corps Type that keeps a DingTalk organisation (reached by name: the families never import each other). */
const DD_CORP_TYPE = 'corps.DDInnerType';
export const DD_INNER_AUTH_MODEL = DINGTALK_AUTH_MODEL;

/** What the login page needs to draw the QR frame. Never a secret. */
export interface DDLoginConfig {
  appKey: string;
  agentId: number;
  corpId: string;
  scope: LoginScope;
  /** The DingTalk login host (the QR frame and `/oauth2/auth` live there). */
  loginUrl: string;
  /** The full-page redirect flow's callback on this host (absolute when the public URL is set); register its URL in the DingTalk console. */
  redirectUri: string;
  /** Fresh, signed, single-use, valid for 5 minutes, and only from the browser that asked for it. */
  state: string;
}

export class DDInnerType extends Element {
  /**
   * What this Type contributes to the host (host-contribution.ts), also for a module that replaces or
   * subclasses it without exporting `hostContribution` itself: the host reads it from the class.
   */
  static readonly hostContribution = contribution;

  /** Stable id of this login kind (the same for subclasses). */
  readonly authType: string = 'DDInnerType';
  /** The model element holding DingTalk bindings. */
  readonly authModelElemName: string = DD_INNER_AUTH_MODEL;
  private loadedConfig?: DDInnerInstanceConfig;
  private client?: DDInnerClient;

  /** The instance's config with defaults applied (frozen). CONFIG_INVALID on the Type itself. */
  get instanceConfig(): DDInnerInstanceConfig {
    this.loadedConfig ??= readInstanceConfig(this.fullName, this.definition.config);
    return this.loadedConfig;
  }

  /** appKey, appSecret (non-enumerable, in memory only), agentId, corpId. Frozen. */
  get authConfig(): Readonly<AuthConfig> {
    return this.instanceConfig.authConfig;
  }

  get isActive(): boolean {
    return this.instanceConfig.isActive;
  }

  /**
   * For the login page: app identifiers, the DingTalk login host, the callback path and a fresh
   * state bound to the caller's browser key (the request's; a library caller outside any request
   * may wrap the call in `withRequestContext({ browserKey }, ...)` and log in within the same).
   */
  getLoginConfig(): DDLoginConfig {
    const { appKey, agentId, corpId, appSecret } = this.authConfig;
    return {
      appKey,
      agentId,
      corpId,
      scope: this.instanceConfig.scope,
      loginUrl: dingTalkHostsOf(this.app).loginUrl,
      redirectUri: `${currentRequestContext().publicOrigin ?? ''}/login/callback/${this.fullName}`,
      state: issueLoginState(this.fullName, appSecret),
    };
  }

  /**
   * This instance's DingTalk API client (one per element, built on first use). Its token cache and
   * call budget (`dingtalk.qps`) are the app's, shared with the app's other DingTalk elements.
   */
  getClient(): DDInnerClientApi {
    this.client ??= new DDInnerClient({
      credentials: { appKey: this.authConfig.appKey, appSecret: this.authConfig.appSecret },
      hosts: dingTalkHostsOf(this.app),
      logger: this.app.logger.child({ instance: this.fullName }),
      runtime: dingTalkRuntimeOf(this.app),
      qps: this.instanceConfig.dingtalk.qps,
    });
    return this.client;
  }

  /**
   * Logs in with a DingTalk code: `loginType: 'qr'` (needs the `state` from getLoginConfig) or
   * `'workbench'` (the requestAuthCode code). LOGGED_IN, or BIND_REQUIRED under bindExisting.
   * Takes one object (the library API) or, as the HTTP host calls functionList functions, the same
   * values positionally: `getLoginCode(code, loginType, platform, state)`.
   */
  getLoginCode(args: LoginCodeArgs): Promise<DingTalkLoginResult>;
  getLoginCode(code: string, loginType: LoginType, platform?: LoginPlatform, state?: string): Promise<DingTalkLoginResult>;
  async getLoginCode(...given: unknown[]): Promise<DingTalkLoginResult> {
    const named = typeof given[0] === 'object' && given[0] !== null ? given[0] : { code: given[0], loginType: given[1], platform: given[2], state: given[3] };
    const { code, loginType, platform, state, clientKey } = readLoginCodeArgs(named);
    this.assertActive();
    return this.logged(loginType, platform, (ctx, trace) => (loginType === 'qr' ? qrLogin(ctx, code, state, trace, clientKey) : workbenchLogin(ctx, code, trace)));
  }

  /** The workbench login of this instance (DDInnerAuthSvc.loginByWorkbench lands here). */
  async loginByWorkbench(authCode: string, platform?: LoginPlatform): Promise<DingTalkLoginResult> {
    const code = readAuthCode(authCode);
    const checkedPlatform = readPlatform(platform);
    this.assertActive();
    return this.logged('workbench', checkedPlatform, (ctx, trace) => workbenchLogin(ctx, code, trace));
  }

  /**
   * Finishes a bindExisting login with a proof of a local account (see binding/complete-binding.ts).
   * Accepted only from the client the ticket was issued to: the same browser key, or
   * `options.clientKey` (the key a BIND_REQUIRED result handed back to a caller without one).
   */
  async completeBinding(bindTicket: string, proof: BindingProof, options: CompleteBindingOptions = {}): Promise<CompleteBindingResult> {
    this.assertActive();
    return this.logged('completeBinding', undefined, (ctx, trace) => completeBinding(ctx, bindTicket, proof, trace, options));
  }

  /**
   * @deprecated Org sync belongs to the corp (`corps.DDInnerType`) now: sync the corp that names this
   * login (`corp.syncCorp(options)`, `jit org sync <corp>`). Kept for this release: it warns once and
   * syncs that corp, or, for a login whose config still carries `sync`, its implied corp.
   */
  syncOrganization(options: Record<string, unknown> = {}): Promise<unknown> {
    warnDeprecatedOnce(this.app, `${this.fullName}.syncOrganization`, `${this.fullName}.syncOrganization() is deprecated: org sync belongs to the corp now (corp.syncCorp(), jit org sync <corp>)`);
    const corps = this.app.getElement<{ corpForLogin(login: string): { syncCorp(options: Record<string, unknown>): Promise<unknown> } | null }>(DD_CORP_TYPE);
    const corp = corps.corpForLogin(this.fullName);
    if (!corp) {
      const name = this.fullName.slice(this.fullName.lastIndexOf('.') + 1);
      throw new JitError('BAD_REQUEST', `No corp names ${this.fullName}: create one with jit create corps.${name} --type ${DD_CORP_TYPE} --auth ${this.fullName}`, { instance: this.fullName });
    }
    return corp.syncCorp(options);
  }

  private assertActive(): void {
    if (!this.isActive) {
      throw DINGTALK_ERRORS.error('CORP_NOT_CONFIGURED', `The DingTalk login ${this.fullName} is switched off (isActive: false)`, { instance: this.fullName });
    }
  }

  private loginContext(): LoginContext {
    const config = this.instanceConfig;
    return {
      app: this.app,
      model: this.app.getElement<DDInnerAuthModel>(this.authModelElemName),
      instance: this.fullName,
      corpId: config.authConfig.corpId,
      policy: config.binding,
      config,
      client: this.getClient(),
    };
  }

  private logged<T extends { status: string }>(flow: LoginFlow, platform: string | undefined, run: (ctx: LoginContext, trace: LoginTrace) => Promise<T>): Promise<T> {
    const trace: LoginTrace = {};
    const ctx = this.loginContext();
    return withLoginLog(this.app, { instance: this.fullName, corpId: ctx.corpId, flow, platform }, trace, () => run(ctx, trace));
  }
}

export default DDInnerType;

/** The host's share of this Type: panel words, the `dingtalk:` admins resolver, the console's bindings. */
export { hostContribution } from './host-contribution';

/** The codes this Type raises and its pages show, for the app's registry (the login codes are the runtime's). */
export const errorCodes = Object.freeze([DINGTALK_ERRORS, DINGTALK_PAGE_CODES, DINGTALK_REASONS]);

const warned = new WeakMap<AppHandle, Set<string>>();

/** One warning per app and name (deprecated entry points kept for this release). */
function warnDeprecatedOnce(app: AppHandle, name: string, message: string): void {
  const seen = warned.get(app) ?? new Set<string>();
  warned.set(app, seen);
  if (seen.has(name)) return;
  seen.add(name);
  app.logger.warn(message, { deprecated: name });
}
