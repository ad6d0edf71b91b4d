/**
 * The tables org sync keeps, as TypeORM entity schemas (the migration beside this file owns the
 * schema itself: constraints and indexes). Three tables, all keyed by the DingTalk corpId:
 *   dd_departments         one row per department (corpId + deptId)
 *   dd_org_members         one row per member (corpId + userid), bound to a local user or not
 *   dd_department_members  which department each member is in (corpId + deptId + userid)
 */
import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';
import { ID_LENGTH, timestampColumn } from '../../../../runtime/db/portable-columns';

export interface DDDepartmentRow {
  id: string;
  corpId: string;
  /** DingTalk's dept_id; the root department is 1. */
  deptId: number;
  /** Empty for the root: listsub never returns the root's own record. */
  name: string;
  /** null for the root. */
  parentId: number | null;
  /** DingTalk's order when the API sends it, else the position among its siblings (0-based). */
  order: number | null;
  /** When a complete sync no longer found the department; null while it exists. */
  removedAt: Date | null;
  createTime: Date;
  updateTime: Date;
}

export interface DDOrgMemberRow {
  id: string;
  corpId: string;
  userid: string;
  unionId: string | null;
  name: string;
  /** When a complete sync no longer found the member; null while they are in the organisation. */
  leftAt: Date | null;
  /**
   * The local user org sync disabled when the member left, so a returning member is re-enabled;
   * a user an administrator disabled is never re-enabled by sync.
   */
  disabledUserId: string | null;
  createTime: Date;
  updateTime: Date;
}

export interface DDDepartmentMemberRow {
  id: string;
  corpId: string;
  deptId: number;
  userid: string;
}

/**
 * DingTalk ids are Longs: a `bigint` column, which PostgreSQL hands back as a string. Every dept id
 * in DingTalk fits a JS number, so read them back as numbers on both databases.
 */
function deptIdColumn(options: { nullable?: boolean } = {}): EntitySchemaColumnOptions {
  return {
    type: 'bigint',
    nullable: options.nullable ?? false,
    transformer: { to: (value: unknown) => value, from: (value: unknown) => (value === null || value === undefined ? value : Number(value)) },
  };
}

const idColumn: EntitySchemaColumnOptions = { type: 'varchar', length: ID_LENGTH, primary: true };
const corpIdColumn: EntitySchemaColumnOptions = { type: 'varchar', length: 64 };
const useridColumn: EntitySchemaColumnOptions = { type: 'varchar', length: 64 };

export const DDDepartmentEntity = new EntitySchema<DDDepartmentRow>({
  name: 'DDDepartment',
  tableName: 'dd_departments',
  columns: {
    id: idColumn,
    corpId: corpIdColumn,
    deptId: deptIdColumn(),
    name: { type: 'varchar', length: 255 },
    parentId: deptIdColumn({ nullable: true }),
    order: { type: 'integer', nullable: true },
    removedAt: timestampColumn({ nullable: true }),
    createTime: timestampColumn(),
    updateTime: timestampColumn(),
  },
});

export const DDOrgMemberEntity = new EntitySchema<DDOrgMemberRow>({
  name: 'DDOrgMember',
  tableName: 'dd_org_members',
  columns: {
    id: idColumn,
    corpId: corpIdColumn,
    userid: useridColumn,
    unionId: { type: 'varchar', length: 64, nullable: true },
    name: { type: 'varchar', length: 255 },
    leftAt: timestampColumn({ nullable: true }),
    disabledUserId: { type: 'varchar', length: ID_LENGTH, nullable: true },
    createTime: timestampColumn(),
    updateTime: timestampColumn(),
  },
});

export const DDDepartmentMemberEntity = new EntitySchema<DDDepartmentMemberRow>({
  name: 'DDDepartmentMember',
  tableName: 'dd_department_members',
  columns: {
    id: idColumn,
    corpId: corpIdColumn,
    deptId: deptIdColumn(),
    userid: useridColumn,
  },
});
