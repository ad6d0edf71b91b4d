/**
 * Who is logging in, on the app's own corp (oapi, app token in the query):
 * - `topapi/user/getbyunionid` {unionid} -> {contact_type, userid}: contact_type 0 for an employee,
 *   1 for an external contact of the corp; 60121 when neither (§3e);
 * - `topapi/v2/user/getuserinfo` {code} -> the person behind a workbench (免登) code (§4b), with the
 *   documented fields only: the doc's table and the SDK model list no `contact_type` here, so an
 *   external contact's code answers like a member's, and `topapi/v2/user/get` for that userid
 *   answers 60121 (DECISIONS #18). `associated_unionid` is left out when the person has none.
 */
import { createHash } from 'node:crypto';
import type { ApiRoute } from '../api';
import { OapiFailure } from '../failures';

const getByUnionId: ApiRoute = {
  endpoint: 'topapi/user/getbyunionid',
  family: 'oapi',
  method: 'POST',
  path: '/topapi/user/getbyunionid',
  auth: 'appToken',
  handle(ctx) {
    const unionid = ctx.params.unionid;
    if (typeof unionid !== 'string' || unionid === '') throw new OapiFailure(400002, '无效的参数: unionid');
    const member = ctx.sim.directory.memberByUnionid(ctx.caller!.corp.corpId, unionid);
    if (!member) throw new OapiFailure(60121);
    return { result: { contact_type: member.external ? 1 : 0, userid: member.userid } };
  },
};

const getUserInfo: ApiRoute = {
  endpoint: 'topapi/v2/user/getuserinfo',
  family: 'oapi',
  method: 'POST',
  path: '/topapi/v2/user/getuserinfo',
  auth: 'appToken',
  handle(ctx) {
    const code = ctx.params.code;
    if (typeof code !== 'string' || code === '') throw new OapiFailure(41026);
    const corpId = ctx.caller!.corp.corpId;
    // Unknown, used, expired, or minted in another corp: all 40078, as DingTalk does.
    const found = ctx.sim.codes.consumeWorkbench(code, corpId);
    const member = found && ctx.sim.directory.member(corpId, found.userid);
    if (!member) throw new OapiFailure(40078);
    const isAdmin = !member.external && member.admin === true;
    const result: Record<string, unknown> = {
      userid: member.userid,
      unionid: member.unionid,
      name: member.name,
      device_id: deviceIdFor(member.userid),
      sys: isAdmin,
      sys_level: isAdmin ? 1 : 0,
    };
    // DingTalk leaves an empty optional field out rather than sending "" (§5).
    if (member.associated_unionid) result.associated_unionid = member.associated_unionid;
    return { result };
  },
};

/** A stable fake device id per member (DingTalk sends the client device's id). */
function deviceIdFor(userid: string): string {
  return createHash('md5').update(`device:${userid}`).digest('hex');
}

export const identityRoutes: ApiRoute[] = [getByUnionId, getUserInfo];
