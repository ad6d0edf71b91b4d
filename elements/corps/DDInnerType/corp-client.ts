/**
 * The DingTalk client of a corp that brings its own `authConfig` (a corp naming a login uses the
 * login's client, and with it the login's token cache and call budget). It shares the app's DingTalk
 * runtime (token cache, budgets) and is budgeted by the corp's own `dingtalk.qps`.
 */
import type { AppHandle } from '../../../runtime';
import { dingTalkRuntimeOf } from '../../../dingtalk/client/app-runtime';
import { DDInnerClient } from '../../../dingtalk/client/DDInnerClient';
import { dingTalkHostsOf } from '../../../dingtalk/hosts';
import type { DDInnerClientApi } from '../../../dingtalk/client/types';
import type { AuthConfig } from '../../../dingtalk/auth-config';

export function createCorpClient(app: AppHandle, corpFullName: string, authConfig: Readonly<AuthConfig>, qps: number): DDInnerClientApi {
  return new DDInnerClient({
    credentials: { appKey: authConfig.appKey, appSecret: authConfig.appSecret },
    hosts: dingTalkHostsOf(app),
    logger: app.logger.child({ corp: corpFullName }),
    runtime: dingTalkRuntimeOf(app),
    qps,
  });
}
