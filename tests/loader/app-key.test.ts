/**
 * appKey as DingTalk issues it (DECISIONS "Real DingTalk keys"): `ding` plus 16 to 28 letters and
 * digits: 20 characters for most apps, 22 for older `dingoa...` ones. The login and the corp schemas agree.
 */
import * as path from 'path';
import { compileConfigSchema, ConfigSchema, SCHEMAS_DIR } from '../../runtime/loader/validate';

const SECRET = 'x'.repeat(64);
const config = (appKey: string) => ({ authConfig: { appKey, appSecret: SECRET, agentId: 3012345678, corpId: 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c' } });

describe.each(['auths.loginTypes.DDInnerType.config.json', 'corps.DDInnerType.config.json'])('%s appKey', (file) => {
  const schema = compileConfigSchema(require(path.join(SCHEMAS_DIR, file))) as ConfigSchema;
  const issuesOf = (appKey: string) => schema.validate(config(appKey)).issues.filter((i) => i.pointer === '/authConfig/appKey');

  test.each(['dinga1b2c3d4e5f6g7h8', 'dingoa1b2c3d4e5f6g7h8x', 'ding' + 'a'.repeat(28)])('accepts %s', (appKey) => {
    expect(issuesOf(appKey)).toEqual([]);
  });

  test.each(['dinga1b2c3', 'ding' + 'a'.repeat(29), 'dxnga1b2c3d4e5f6g7h8', 'dinga1b2c3d4e5f6g7h-'])('refuses %s', (appKey) => {
    expect(issuesOf(appKey)).not.toEqual([]);
  });
});
