/**
 * Who is logging in, on the app's own corp (oapi, app token in the query):
 * - `topapi/user/getbyunionid` {unionid} -> {contact_type, userid}; 60121 when not a member (§3e);
 * - `topapi/v2/user/getuserinfo` {code} -> the member behind a workbench (免登) code (§4b).
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
    return { result: { contact_type: 0, userid: member.userid } };
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
    return {
      result: {
        userid: member.userid,
        unionid: member.unionid,
        name: member.name,
        device_id: deviceIdFor(member.userid),
        sys: member.admin ?? false,
        sys_level: member.admin ? 1 : 0,
        associated_unionid: '',
      },
    };
  },
};

/** A stable fake device id per member (DingTalk sends the client device's id). */
function deviceIdFor(userid: string): string {
  return createHash('md5').update(`device:${userid}`).digest('hex');
}

export const identityRoutes: ApiRoute[] = [getByUnionId, getUserInfo];
