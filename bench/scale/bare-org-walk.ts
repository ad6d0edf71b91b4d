/**
 * The org sync baseline's fetch half: a bare client that walks the same department tree the sync
 * does (department/listsub from the root, then user/list pages of every department) with nothing but
 * axios and a token bucket per API at DingTalk's per-app budget. No database, no diff, no retries
 * beyond the rare 88 (counted): what reading the organisation costs at that budget.
 */
import axios from 'axios';
import * as http from 'http';
import { ApiPacer } from '../lib/pacer';

export interface WalkedMember {
  userid: string;
  unionid: string;
  name: string;
  mobile?: string;
  email?: string;
  title?: string;
  dept_id_list: number[];
}

export interface OrgWalk {
  departments: number;
  members: WalkedMember[];
  calls: number;
  /** Calls refused by the limit (88 / 90018) and made again. */
  retried: number;
}

const LIMITED = new Set([88, 90018]);

export async function walkOrg(options: { oapiUrl: string; apiUrl: string; appKey: string; appSecret: string; perSecond: number; pageSize?: number; concurrency?: number }): Promise<OrgWalk> {
  const client = axios.create({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }), timeout: 30_000 });
  const pacer = new ApiPacer(options.perSecond);
  const size = options.pageSize ?? 100;
  let calls = 0;
  let retried = 0;
  try {
    const token = (await client.post<{ accessToken: string }>(`${options.apiUrl}/v1.0/oauth2/accessToken`, { appKey: options.appKey, appSecret: options.appSecret })).data.accessToken;
    calls++;
    const oapi = async <T>(api: string, body: Record<string, unknown>): Promise<T> => {
      for (;;) {
        await pacer.take(api);
        calls++;
        const res = await client.post<T & { errcode: number; errmsg: string; sub_code?: string }>(`${options.oapiUrl}/${api}`, body, { params: { access_token: token } });
        if (res.data.errcode === 0) return res.data;
        if (LIMITED.has(res.data.errcode) || res.data.sub_code === '90018') {
          retried++;
          continue;
        }
        throw new Error(`${api}: errcode ${res.data.errcode} ${res.data.errmsg}`);
      }
    };

    // Departments: breadth first from the root.
    const departments: number[] = [1];
    for (let level = [1]; level.length > 0; ) {
      const children = await Promise.all(level.map((id) => oapi<{ result: Array<{ dept_id: number }> }>('topapi/v2/department/listsub', { dept_id: id })));
      level = children.flatMap((c) => c.result.map((d) => d.dept_id));
      departments.push(...level);
    }

    // Members: every department's pages (in order within a department, departments side by side).
    const members = new Map<string, WalkedMember>();
    let next = 0;
    const worker = async () => {
      while (next < departments.length) {
        const deptId = departments[next++];
        for (let cursor: number | undefined = 0; cursor !== undefined; ) {
          const page: { result: { has_more: boolean; next_cursor?: number; list: WalkedMember[] } } = await oapi('topapi/v2/user/list', { dept_id: deptId, cursor, size, language: 'zh_CN' });
          for (const m of page.result.list) if (!members.has(m.userid)) members.set(m.userid, m);
          cursor = page.result.has_more ? page.result.next_cursor : undefined;
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
    return { departments: departments.length, members: [...members.values()], calls, retried };
  } finally {
    (client.defaults.httpAgent as http.Agent).destroy();
  }
}
