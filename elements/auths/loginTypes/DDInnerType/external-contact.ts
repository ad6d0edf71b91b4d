/**
 * DingTalk external contacts (外部联系人: suppliers, customers a corp keeps in its address book) are
 * not members of the organisation and must not sign in as one. DingTalk marks them with
 * `contact_type: 1` (0 = internal employee) on `topapi/user/getbyunionid` (the QR path) and, where
 * it sends it, on `topapi/v2/user/getuserinfo` (the workbench path); on the workbench path an
 * external contact otherwise shows as a userid `user/get` answers 60121 for (NOT_CORP_MEMBER too).
 *
 * Checked as soon as the field is seen, before any further DingTalk call. Read defensively: the
 * client's parsed types may not carry the field yet, and DingTalk may send it as a string.
 */
import { JitError } from '../../../../runtime';
import { DINGTALK_ERRORS } from '../../../../dingtalk/error-codes';

export const EXTERNAL_CONTACT = 1;

/** NOT_CORP_MEMBER (details.reason 'EXTERNAL_CONTACT') when `result` says it is an external contact. */
export function refuseExternalContact(result: unknown, instance: string): void {
  if (!result || typeof result !== 'object') return;
  const contactType = (result as { contact_type?: unknown }).contact_type;
  if (contactType === undefined || contactType === null || contactType === '') return;
  if (Number(contactType) === EXTERNAL_CONTACT) {
    throw DINGTALK_ERRORS.error('NOT_CORP_MEMBER', 'This DingTalk account is an external contact of the organisation, not a member; only members can sign in here', {
      instance,
      reason: 'EXTERNAL_CONTACT',
    });
  }
}

/**
 * The userid from `getUserIdByUnionId`, which returns the bare userid today and may return the
 * whole `{userid, contact_type}` result once the client passes contact_type on.
 */
export function useridOf(found: unknown): string {
  if (typeof found === 'string') return found;
  const userid = (found as { userid?: unknown } | null)?.userid;
  if (typeof userid === 'string' && userid !== '') return userid;
  throw DINGTALK_ERRORS.error('DINGTALK_API_ERROR', 'DingTalk answered getbyunionid without a userid');
}
