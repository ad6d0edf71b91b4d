/**
 * A member as `topapi/v2/user/get` and `topapi/v2/user/list` return it (docs/dingtalk-facts.md §5, §6):
 * snake_case, proper JSON types, `hired_date` in Unix ms, optional fields omitted when empty.
 */
import type { SimOrgUser } from './types';

export function memberView(user: SimOrgUser): Record<string, unknown> {
  const view: Record<string, unknown> = { userid: user.userid, unionid: user.unionid, name: user.name };
  if (user.avatar) view.avatar = user.avatar;
  if (user.mobile) {
    view.state_code = '86';
    view.mobile = user.mobile;
  }
  if (user.job_number) view.job_number = user.job_number;
  if (user.title) view.title = user.title;
  if (user.email) view.email = user.email;
  if (user.org_email) view.org_email = user.org_email;
  if (user.hired_date !== undefined) view.hired_date = user.hired_date;
  view.active = user.active ?? true;
  view.admin = user.admin ?? false;
  view.boss = false;
  view.senior = false;
  view.hide_mobile = false;
  view.exclusive_account = false;
  view.dept_id_list = [...user.dept_id_list];
  return view;
}
