/**
 * The environment that points an app at this simulator: DINGTALK_OAPI_URL, DINGTALK_API_URL and
 * DINGTALK_LOGIN_URL (the variables DingTalk code reads its hosts from, dingtalk/hosts.ts). Tests and
 * `jit serve --sim` pass it as `loadApp(dir, { env: simulatorEnv(sim) })`.
 */
import { DINGTALK_HOST_VARIABLES } from '../dingtalk/hosts';
import type { SimulatorHandle } from './types';

export type SimulatorEnv = Readonly<Record<'DINGTALK_OAPI_URL' | 'DINGTALK_API_URL' | 'DINGTALK_LOGIN_URL', string>>;

export function simulatorEnv(sim: Pick<SimulatorHandle, 'oapiUrl' | 'apiUrl' | 'loginUrl'>): SimulatorEnv {
  return Object.freeze({
    [DINGTALK_HOST_VARIABLES.oapiUrl]: sim.oapiUrl,
    [DINGTALK_HOST_VARIABLES.apiUrl]: sim.apiUrl,
    [DINGTALK_HOST_VARIABLES.loginUrl]: sim.loginUrl,
  }) as SimulatorEnv;
}
