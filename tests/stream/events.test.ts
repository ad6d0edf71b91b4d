/**
 * Building the handler's event from an EVENT frame (docs/dingtalk-facts.md §12, §3): typed contact
 * payloads, lenient where DingTalk may vary, a MalformedEventError where nothing could be applied;
 * and the reconnect delays.
 */
import { DEFAULT_BACKOFF, MalformedEventError, backoffDelay, toStreamEvent } from '../../dingtalk/stream';

const headers = (eventType: string, extra: Record<string, string> = {}) => ({
  topic: '*', contentType: 'application/json', messageId: 'm1', time: '1700000000100',
  eventType, eventId: 'e1', eventBornTime: '1700000000000', eventCorpId: 'dingcorp', eventUnifiedAppId: 'u-1', ...extra,
});

describe('toStreamEvent', () => {
  it('builds the SDK-style event from the headers and the parsed data', () => {
    expect(toStreamEvent(headers('user_add_org'), '{"timeStamp":"1685501863357","userId":["015xxxx227"]}')).toEqual({
      kind: 'contact', eventType: 'user_add_org', eventId: 'e1', eventBornTime: 1700000000000, corpId: 'dingcorp', unifiedAppId: 'u-1',
      data: { timeStamp: '1685501863357', userId: ['015xxxx227'] },
    });
  });

  it("reads the doc's user_modify_org sample", () => {
    const data = {
      timeStamp: '1608017258073',
      diffInfo: {
        prev: { managerUserid: '205xxx91', hiredDate: '20xx-xx-xx', name: '测试01', telephone: '1234', email: 'xxx@xx.com', jobNumber: '112x422', workPlace: '北京' },
        curr: { managerUserid: '205xxx91', hiredDate: '20xx-xx-xx', name: '测试1', email: 'xxx@xx.com', jobNumber: '112x422', workPlace: '北京' },
        userid: 'user123456',
      },
      userId: ['user123456'],
    };
    const event = toStreamEvent(headers('user_modify_org'), JSON.stringify(data));
    expect(event.kind === 'contact' && event.eventType === 'user_modify_org' && event.data.diffInfo?.curr.name).toBe('测试1');
    expect(event.data).toEqual(data);
  });

  it('is lenient where DingTalk may vary: one id instead of a list, numbers as strings', () => {
    expect(toStreamEvent(headers('user_leave_org'), '{"timeStamp":1,"userId":"u1"}').data).toEqual({ timeStamp: '1', userId: ['u1'] });
    expect(toStreamEvent(headers('org_dept_remove'), '{"deptId":["12",13]}').data).toEqual({ deptId: [12, 13] });
    expect(toStreamEvent(headers('org_dept_create'), '{"deptId":7}').data).toEqual({ deptId: [7] });
    expect(toStreamEvent(headers('label_user_change'), '{"userIdList":["a"],"action":"add","labelIdList":["3"]}').data).toEqual({
      userIdList: ['a'], action: 'add', labelIdList: [3],
    });
  });

  it('passes other event types through untyped', () => {
    expect(toStreamEvent(headers('bpms_task_change'), '{"x":1}')).toMatchObject({ kind: 'other', eventType: 'bpms_task_change', data: { x: 1 } });
  });

  it('refuses what could never be applied, naming the event', () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [headers('user_add_org', { eventId: '' }), '{"userId":["a"]}', /eventId/],
      [headers(''), '{}', /eventType/],
      [headers('user_add_org'), 'not json', /not JSON/],
      [headers('user_add_org'), '[1]', /not a JSON object/],
      [headers('user_add_org'), '{"userId":[]}', /userId/],
      [headers('user_leave_org'), '{"userId":[5]}', /userId/],
      [headers('org_dept_modify'), '{"deptId":["x"]}', /deptId/],
    ];
    for (const [h, data, message] of cases) {
      let thrown: unknown;
      try {
        toStreamEvent(h, data);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(MalformedEventError);
      expect((thrown as Error).message).toMatch(message);
    }
  });
});

describe('backoffDelay', () => {
  it('doubles from 1 s to the 60 s ceiling, jittered within the upper half', () => {
    const ceilings = [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000];
    ceilings.forEach((ceiling, i) => {
      expect(backoffDelay(i + 1, DEFAULT_BACKOFF, () => 0)).toBe(ceiling / 2);
      expect(backoffDelay(i + 1, DEFAULT_BACKOFF, () => 0.999999)).toBeLessThanOrEqual(ceiling);
      expect(backoffDelay(i + 1, DEFAULT_BACKOFF, () => 0.999999)).toBeGreaterThan(ceiling * 0.99);
    });
  });
});
