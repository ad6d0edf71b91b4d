/**
 * Names in the corps fixture apps (tests/corps/fixtures), shared with the doctor and events suites:
 * two-orgs-app holds a DingTalk login and a corp for each of the demo org's two organisations.
 * Constants only; the app is opened with tests/helpers/login-app.ts.
 */
import * as path from 'node:path';

export const FIXTURES = path.resolve(__dirname, 'fixtures');
export const TWO_ORGS_APP = path.join(FIXTURES, 'two-orgs-app');
export const ACME_LOGIN = 'auths.loginTypes.acmeLogin';
export const GLOBEX_LOGIN = 'auths.loginTypes.globexLogin';
export const ACME_CORP = 'corps.acme';
