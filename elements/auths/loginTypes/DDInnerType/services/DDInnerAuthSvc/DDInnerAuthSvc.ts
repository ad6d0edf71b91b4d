/**
 * DDInnerAuthSvc: the entry points that start from a corpId or a bind ticket rather than from one
 * login instance. Inside DingTalk, the workbench page knows only the corp it runs in; after a
 * bindExisting login, the client holds only the bind ticket. This service finds the instance.
 */
import { NormalService } from '../../../../../services/NormalType/NormalService';
import { JitError } from '../../../../../../runtime';
import { DINGTALK_ERRORS } from '../../../../../../dingtalk/error-codes';
import { DD_INNER_TYPE, DDInnerType } from '../../DDInnerType';
import { bindTicketInvalid, peekBindTicket } from '../../binding/bind-ticket';
import type { BindingProof, CompleteBindingOptions } from '../../binding/complete-binding';
import type { LoginPlatform } from '../../login-args';
import type { CompleteBindingResult, DingTalkLoginResult } from '../../login-result';

export class DDInnerAuthSvc extends NormalService {
  /** The active, valid DDInnerType instance (of any subtype) for a corpId, or null. */
  getAuthByCorpId(corpId: string): DDInnerType | null {
    if (typeof corpId !== 'string' || corpId === '') return null;
    return this.activeInstances().find((auth) => auth.authConfig.corpId === corpId) ?? null;
  }

  /** Login-free inside the DingTalk workbench of `corpId`; CORP_NOT_CONFIGURED when no active instance serves it. */
  async loginByWorkbench(corpId: string, authCode: string, platform?: LoginPlatform): Promise<DingTalkLoginResult> {
    const auth = this.getAuthByCorpId(corpId);
    if (!auth) {
      this.app.logger.info('dingtalk login failed', { flow: 'workbench', corpId: typeof corpId === 'string' ? corpId : null, code: 'CORP_NOT_CONFIGURED' });
      throw DINGTALK_ERRORS.error('CORP_NOT_CONFIGURED', 'No active DingTalk login is configured for this organisation (corpId)', { corpId: String(corpId) });
    }
    return auth.loginByWorkbench(authCode, platform);
  }

  /**
   * Finishes a bindExisting login: finds the instance that issued the ticket and lets it check the
   * proof. Only from the client the ticket was issued to (its browser key; a library caller given
   * a `clientKey` with BIND_REQUIRED passes it in `options`, which HTTP cannot reach).
   */
  async completeBinding(bindTicket: string, proof: BindingProof, options: CompleteBindingOptions = {}): Promise<CompleteBindingResult> {
    for (const auth of this.activeInstances()) {
      if (await peekBindTicket({ app: this.app, instance: auth.fullName }, bindTicket)) return auth.completeBinding(bindTicket, proof, options);
    }
    throw bindTicketInvalid();
  }

  private activeInstances(): DDInnerType[] {
    return this.app
      .findElements({ type: DD_INNER_TYPE, level: 'instance' })
      .map((definition) => this.app.getElement<unknown>(definition.fullName))
      .filter((element): element is DDInnerType => element instanceof DDInnerType && element.isActive);
  }
}

export default DDInnerAuthSvc;
