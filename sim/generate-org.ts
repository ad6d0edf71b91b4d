/**
 * Deterministic synthetic orgs for tests and benchmarks: one corp with a department tree of the
 * given depth and breadth, `members` people spread over it, a share of them in two departments, and
 * two outsiders. The same options always give the same org (ids, names, order).
 */
import { createHash } from 'node:crypto';
import { seededRandom } from './random';
import type { SimApp, SimDepartment, SimOrg, SimOrgUser } from './types';

export interface GenerateOrgOptions {
  /** Number of members (>= 1). */
  members: number;
  /** Levels of departments below the root (>= 1; default 3). */
  depth?: number;
  /** Child departments per department (>= 1; default 4). */
  breadth?: number;
  /** Share of members who also belong to a second department, in [0, 1] (default 0.1). */
  multiDeptShare?: number;
  /** Default 1. */
  seed?: number;
  /** Default: derived from the seed (`ding` + 32 hex). */
  corpId?: string;
  corpName?: string;
  /** Default: credentials derived from the seed. */
  app?: SimApp;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '华', '慧', '建国', '晓东', '雪', '婷'];
const FIRST = ['Alice', 'Ben', 'Chloe', 'David', 'Emma', 'Frank', 'Grace', 'Henry', 'Iris', 'Jack', 'Kate', 'Leo', 'Mia', 'Noah', 'Olivia', 'Peter'];
const LAST = ['Smith', 'Chen', 'Wang', 'Brown', 'Li', 'Taylor', 'Zhang', 'Miller', 'Liu', 'Wilson', 'Huang', 'Moore'];
const TITLES = ['工程师', '高级工程师', '产品经理', '设计师', '销售经理', '财务专员', 'HR', 'Engineer', 'Analyst', 'Team Lead'];
const DEPT_WORDS = ['研发', '产品', '销售', '市场', '财务', '人事', '运营', '客服', '法务', '设计', '数据', '平台'];

export function generateOrg(options: GenerateOrgOptions): SimOrg {
  const { members } = options;
  const depth = options.depth ?? 3;
  const breadth = options.breadth ?? 4;
  const share = options.multiDeptShare ?? 0.1;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(members) || members < 1) throw new RangeError(`generateOrg: members must be an integer >= 1 (got ${members})`);
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`generateOrg: depth must be an integer >= 1 (got ${depth})`);
  if (!Number.isInteger(breadth) || breadth < 1) throw new RangeError(`generateOrg: breadth must be an integer >= 1 (got ${breadth})`);
  if (!(share >= 0 && share <= 1)) throw new RangeError(`generateOrg: multiDeptShare must be in [0, 1] (got ${share})`);

  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const hex = (label: string, length: number) => createHash('sha256').update(`${seed}:${label}`).digest('hex').slice(0, length);

  const departments = buildTree(depth, breadth, pick);
  // Members sit anywhere below the root, as in a real org (the root holds only a few).
  const homes = departments.filter((d) => d.dept_id !== 1);
  const users: SimOrgUser[] = [];
  const pad = String(members).length;
  for (let i = 1; i <= members; i++) {
    const userid = `user${String(i).padStart(pad, '0')}`;
    const chinese = random() < 0.7;
    const name = chinese ? pick(SURNAMES) + pick(GIVEN) : `${pick(FIRST)} ${pick(LAST)}`;
    const primary = pick(homes).dept_id;
    const dept_id_list = [primary];
    if (homes.length > 1 && random() < share) {
      let second = pick(homes).dept_id;
      while (second === primary) second = pick(homes).dept_id;
      dept_id_list.push(second);
    }
    users.push({
      userid,
      unionid: `${hex(`unionid:${i}`, 22)}iE`,
      name,
      mobile: String(13800000000 + i),
      email: `${userid}@mail.example.com`,
      org_email: `${userid}@corp.example.com`,
      job_number: `E${String(i).padStart(6, '0')}`,
      title: pick(TITLES),
      hired_date: Date.UTC(2015, 0, 1) + Math.floor(random() * 3650) * 86_400_000,
      active: true,
      admin: i === 1,
      dept_id_list,
    });
  }

  const app: SimApp = options.app ?? {
    appKey: `ding${hex('appKey', 16)}`,
    appSecret: createHash('sha512').update(`${seed}:appSecret`).digest('base64url').slice(0, 64),
    agentId: 3_000_000_000 + (parseInt(hex('agentId', 8), 16) % 999_999_999),
  };
  return {
    corps: [{ corpId: options.corpId ?? `ding${hex('corpId', 32)}`, name: options.corpName ?? `Generated Corp ${seed}`, apps: [app], departments, users }],
    outsiders: [
      { unionid: `${hex('outsider:1', 22)}iE`, name: 'Outsider One', email: 'outsider1@personal.example.net' },
      { unionid: `${hex('outsider:2', 22)}iE`, name: 'Outsider Two' },
    ],
  };
}

/** Breadth-first, so dept ids grow level by level (root 1, then its children, ...). */
function buildTree(depth: number, breadth: number, pick: <T>(list: readonly T[]) => T): SimDepartment[] {
  const departments: SimDepartment[] = [{ dept_id: 1, name: 'Root', parent_id: 0, order: 0 }];
  let level = [1];
  let nextId = 2;
  for (let d = 1; d <= depth; d++) {
    const next: number[] = [];
    for (const parent of level)
      for (let b = 0; b < breadth; b++) {
        const id = nextId++;
        departments.push({ dept_id: id, name: `${pick(DEPT_WORDS)}${d}-${id}`, parent_id: parent, order: b });
        next.push(id);
      }
    level = next;
  }
  return departments;
}
