/**
 * The DingTalk client of a corp that brings its own `authConfig` (a corp naming a login uses the
 * login's client, and with it the login's token cache and call budget). Built the way the login Type
 * builds its own, in this one small function, so it can move to the app's client factory once the
 * client keeps its token cache and budget per app.
 */
import type { AppHandle } from '../../../runtime/app-types';
import { DDInnerClient } from '../../../dingtalk/client/DDInnerClient';
import type { DDInnerClientApi } from '../../../dingtalk/client/types';
import type { AuthConfig } from '../../../dingtalk/auth-config';

export function createCorpClient(app: AppHandle, corpFullName: string, authConfig: Readonly<AuthConfig>): DDInnerClientApi {
  return new DDInnerClient({
    credentials: { appKey: authConfig.appKey, appSecret: authConfig.appSecret },
    hosts: app.dingtalk,
    logger: app.logger.child({ corp: corpFullName }),
  });
}
