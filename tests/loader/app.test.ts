/**
 * The App: lazy, cached elements built with the nearest class in the type chain, errors that carry
 * diagnostics for broken elements while the rest of the app works, DingTalk hosts, the database.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DDInnerType } from '../../index';
import type { App } from '../../runtime/app';
import { Element } from '../../runtime/element';
import { isJitError, JitError } from '../../runtime/errors';
import { loadApp } from '../../runtime/load-app';
import { silentLogger } from '../../runtime/logger';
import { DEMO_APP, fixture, makeTemp, removeTemp } from './fixtures';

interface CounterClass {
  built: string[];
  disposed: string[];
}
interface Counter extends Element {
  next(): number;
  describe?(): string;
}

const load = (dir: string) => loadApp(dir, { database: false, logger: silentLogger });

function caught(fn: () => unknown): JitError {
  try {
    fn();
  } catch (err) {
    if (isJitError(err)) return err;
    throw err;
  }
  throw new Error('expected a JitError');
}

describe('App', () => {
  let app: App;
  let CounterType: CounterClass;

  beforeEach(async () => {
    app = await load(fixture('custom-type-app'));
    CounterType = require(fixture('custom-type-app', 'counters', 'CounterType', 'CounterType.js')) as CounterClass;
    CounterType.built.length = 0;
    CounterType.disposed.length = 0;
  });
  afterEach(() => app.close());

  it('builds elements lazily, on first getElement, and caches them', () => {
    expect(CounterType.built).toEqual([]);
    const visits = app.getElement<Counter>('counters.visits');
    expect(visits).toBeInstanceOf(CounterType as unknown as typeof Element);
    expect(app.getElement('counters.visits')).toBe(visits);
    expect(CounterType.built).toEqual(['counters.visits']);
    expect([visits.next(), visits.next()]).toEqual([10, 12]);
  });

  it('uses the nearest class in the type chain; an element without one is a plain Element', () => {
    const pages = app.getElement<Counter>('counters.pages');
    expect(pages.constructor.name).toBe('SteppedType');
    expect(pages).toBeInstanceOf(CounterType as unknown as typeof Element);
    expect(pages.describe!()).toBe('counters.pages steps by 1');
    const meta = app.getElement<Element>('counters.Meta');
    expect(meta.constructor).toBe(Element);
    expect(meta.title).toBe('Counters');
  });

  it('an unknown fullName is ELEMENT_NOT_FOUND with a suggestion', () => {
    const error = caught(() => app.getElement('counters.visit'));
    expect(error.code).toBe('ELEMENT_NOT_FOUND');
    expect(error.message).toContain('did you mean counters.visits?');
  });

  it('findElements filters by type and level, valid elements by default', () => {
    expect(app.findElements({ type: 'counters.CounterType', level: 'instance' }).map((d) => d.fullName)).toEqual(['counters.pages', 'counters.visits']);
    expect(app.getDefinition('counters.visits')!.config).toEqual({ start: 10, step: 2 });
  });

  it('close() disposes the elements it built', async () => {
    app.getElement('counters.visits');
    app.getElement('counters.pages');
    await app.close();
    expect(CounterType.disposed.sort()).toEqual(['counters.pages', 'counters.visits']);
    expect(() => app.getElement('counters.visits')).toThrow(JitError);
  });

  it('without a database, db and the auth stores throw a clear error', () => {
    for (const read of [() => app.db, () => app.users, () => app.sessions, () => app.tickets]) {
      const error = caught(read);
      expect(error.message).toContain('database: false');
    }
    expect(typeof app.verificationSender.send).toBe('function');
  });
});

describe('App with broken elements', () => {
  it('a broken element throws ELEMENT_INVALID carrying its diagnostics; the rest loads', async () => {
    const app = await load(fixture('invalid-type-chain'));
    try {
      const error = caught(() => app.getElement('widgets.thing'));
      expect(error.code).toBe('ELEMENT_INVALID');
      expect(error.message).toMatch(/^widgets\.thing failed to load: .*widgets\/thing\/e\.json:3:11 DEFINITION_INVALID /);
      expect(error.details.diagnostics).toEqual([expect.objectContaining({ code: 'DEFINITION_INVALID', line: 3, col: 11 })]);
      expect(caught(() => app.getElement('widgets.BrokenType')).details.diagnostics).toEqual([expect.objectContaining({ code: 'BUNDLE_MISSING' })]);
      expect(app.getElement<Element>('widgets.fine').title).toBe('Fine');
    } finally {
      await app.close();
    }
  });

  it('a module that exports no class is found on first use (BUNDLE_INVALID) and reported by the app', async () => {
    const app = await load(fixture('broken/bundle-invalid'));
    try {
      expect(app.diagnostics).toEqual([]);
      const error = caught(() => app.getElement('widgets.CustomType'));
      expect(error.code).toBe('ELEMENT_INVALID');
      expect(error.details.diagnostics).toEqual([expect.objectContaining({ code: 'BUNDLE_INVALID', line: 4, col: 25 })]);
      expect(app.getDefinition('widgets.CustomType')!.valid).toBe(false);
      expect(app.diagnostics.map((d) => d.code)).toEqual(['BUNDLE_INVALID']);
      expect(app.getElement<Element>('widgets.Meta').title).toBe('Widgets');
    } finally {
      await app.close();
    }
  });
});

describe('App and DingTalk login Types of an app', () => {
  it('builds an instance of an app\'s own subtype of DDInnerType with that subclass', async () => {
    const app = await load(fixture('dd-subtype-app'));
    try {
      const login = app.getElement<DDInnerType & { auditLabel: string }>('auths.loginTypes.corpLogin');
      expect(login).toBeInstanceOf(DDInnerType);
      expect(login.constructor.name).toBe('AuditedDDType');
      expect(login.auditLabel).toBe('audited:auths.loginTypes.corpLogin:ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c');
      expect(login.getLoginConfig()).toMatchObject({ appKey: 'dinga1b2c3d4e5f6g7h8', scope: 'openid corpid' });
    } finally {
      await app.close();
    }
  });

  it('builds the instances of an overridden DDInnerType with the override\'s class', async () => {
    const app = await load(fixture('dd-override-app'));
    try {
      const login = app.getElement<DDInnerType & { flavour: string }>('auths.loginTypes.acmeLogin');
      expect(login).toBeInstanceOf(DDInnerType);
      expect(login.constructor.name).toBe('AcmeDDInnerType');
      expect(login.flavour).toBe('acme');
      expect(login.authConfig.corpId).toBe('ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c');
    } finally {
      await app.close();
    }
  });
});

describe('App with a database', () => {
  it('opens SQLite with the core and model elements\' tables, and closes it', async () => {
    const tmp = makeTemp('app-db');
    const file = path.join(tmp, 'app.db');
    try {
      const app = await loadApp(DEMO_APP, { databaseUrl: `sqlite:${file}`, logger: silentLogger });
      try {
        const user = await app.users.create({ username: 'alice', phone: '13800000000' });
        expect((await app.users.findByUsername('alice'))!.id).toBe(user.id);
        const tables = (await app.db.dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table'`)) as Array<{ name: string }>;
        expect(tables.length).toBeGreaterThan(3);
        const svc = app.getElement<{ getAuthByCorpId(corpId: string): { fullName: string } | null }>('auths.loginTypes.DDInnerType.services.DDInnerAuthSvc');
        expect(svc.getAuthByCorpId('ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c')!.fullName).toBe('auths.loginTypes.testDDLogin');
      } finally {
        await app.close();
      }
      expect(fs.existsSync(file)).toBe(true);
    } finally {
      removeTemp(tmp);
    }
  });
});
