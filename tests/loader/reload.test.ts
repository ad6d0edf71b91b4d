/**
 * app.reload(): added, changed, removed; a broken save keeps the last good definition and its
 * object; fixing it takes effect; changed and removed elements' objects are disposed and rebuilt.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { App } from '../../runtime/app';
import type { Element } from '../../runtime/element';
import { loadApp } from '../../runtime/load-app';
import { silentLogger } from '../../runtime/logger';
import { copyFixture, removeTemp, writeJson } from './fixtures';

interface Counter extends Element {
  next(): number;
}

describe('app.reload()', () => {
  let dir: string;
  let app: App;
  const file = (...parts: string[]) => path.join(dir, 'counters', ...parts);

  beforeEach(async () => {
    dir = copyFixture('custom-type-app');
    app = await loadApp(dir, { database: false, logger: silentLogger });
  });
  afterEach(async () => {
    await app.close();
    removeTemp(path.dirname(dir));
  });

  it('with nothing changed reports nothing and keeps the parsed files', async () => {
    const before = app.getDefinition('counters.visits');
    const visits = app.getElement('counters.visits');
    expect(await app.reload()).toEqual({ added: [], changed: [], removed: [], kept: [], diagnostics: [] });
    expect(app.getDefinition('counters.visits')).toBe(before);
    expect(app.getElement('counters.visits')).toBe(visits);
  });

  it('a changed config rebuilds that element on next use, and only that one', async () => {
    const visits = app.getElement<Counter>('counters.visits');
    const pages = app.getElement('counters.pages');
    writeJson(file('visits', 'visits.json'), { start: 100, step: 5 });
    const result = await app.reload();
    expect(result).toMatchObject({ added: [], changed: ['counters.visits'], removed: [], kept: [] });
    const rebuilt = app.getElement<Counter>('counters.visits');
    expect(rebuilt).not.toBe(visits);
    expect(rebuilt.next()).toBe(100);
    expect(app.getElement('counters.pages')).toBe(pages);
  });

  it('a changed Type changes its subtypes and instances too', async () => {
    const eJson = JSON.parse(fs.readFileSync(file('CounterType', 'e.json'), 'utf8'));
    writeJson(file('CounterType', 'e.json'), { ...eJson, title: 'Counter (edited)' });
    const result = await app.reload();
    expect(result.changed).toEqual(['counters.CounterType', 'counters.SteppedType', 'counters.pages', 'counters.visits']);
  });

  it('an edited module file (the definition unchanged) rebuilds the elements built with it', async () => {
    const visits = app.getElement('counters.visits');
    fs.appendFileSync(file('CounterType', 'CounterType.js'), '// edited\n');
    const result = await app.reload();
    expect(result.changed).toEqual(['counters.CounterType', 'counters.SteppedType', 'counters.pages', 'counters.visits']);
    expect(app.getElement('counters.visits')).not.toBe(visits);
  });

  it('adds and removes elements', async () => {
    writeJson(file('downloads', 'e.json'), { title: 'Downloads', type: 'counters.CounterType' });
    writeJson(file('downloads', 'downloads.json'), { start: 7 });
    const pages = app.getElement<Counter>('counters.pages');
    const disposed = jest.spyOn(pages, 'dispose');
    fs.rmSync(file('pages'), { recursive: true });
    const result = await app.reload();
    expect(result).toMatchObject({ added: ['counters.downloads'], changed: [], removed: ['counters.pages'] });
    expect(disposed).toHaveBeenCalledTimes(1);
    expect(app.getElement<Counter>('counters.downloads').next()).toBe(7);
    expect(() => app.getElement('counters.pages')).toThrow(expect.objectContaining({ code: 'ELEMENT_NOT_FOUND' }));
  });

  it('a broken save keeps the last good definition and object live and reports why; the fix takes effect', async () => {
    const visits = app.getElement<Counter>('counters.visits');
    fs.writeFileSync(file('visits', 'visits.json'), '{ "start": 50, "step": 2, }\n');
    const broken = await app.reload();
    expect(broken).toMatchObject({ added: [], changed: [], removed: [], kept: ['counters.visits'] });
    expect(broken.diagnostics).toEqual([expect.objectContaining({ code: 'JSON_SYNTAX', file: file('visits', 'visits.json'), line: 1, col: 27 })]);
    expect(app.getElement('counters.visits')).toBe(visits);
    expect(app.getDefinition('counters.visits')!.config).toEqual({ start: 10, step: 2 });
    expect(app.diagnostics.map((d) => d.code)).toEqual(['JSON_SYNTAX']);

    writeJson(file('visits', 'visits.json'), { start: 50, step: 2 });
    const fixed = await app.reload();
    expect(fixed).toMatchObject({ changed: ['counters.visits'], kept: [], diagnostics: [] });
    expect(app.getElement<Counter>('counters.visits').next()).toBe(50);
  });

  it('a new element that is broken is registered invalid', async () => {
    writeJson(file('broken', 'e.json'), { title: 'Broken', type: 'counters.CounterType' });
    writeJson(file('broken', 'broken.json'), { start: -1 });
    const result = await app.reload();
    expect(result.added).toEqual(['counters.broken']);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'CONFIG_INVALID', message: 'start must be >= 0 (the first value); found -1' })]);
    expect(() => app.getElement('counters.broken')).toThrow(expect.objectContaining({ code: 'ELEMENT_INVALID' }));
  });

  it('runs reloads one at a time', async () => {
    writeJson(file('visits', 'visits.json'), { start: 11, step: 2 });
    const [first, second] = await Promise.all([app.reload(), app.reload()]);
    expect(first.changed).toEqual(['counters.visits']);
    expect(second.changed).toEqual([]);
  });
});
