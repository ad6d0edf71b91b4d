/**
 * The `dingtalk` section of app.json: the DingTalk family's own settings, declared by the login Type
 * (its e.json `appSettings`) with schemas/dingtalk.settings.json, which holds their types and
 * defaults. The loader validates the section and fills the defaults in; this is its typed reader.
 */

export interface DingTalkSettings {
  /** Where DingTalk's browser scripts (the QR frame, the JSAPI) are loaded from (default DingTalk's CDN). */
  readonly scriptBase: string;
  /** SRI hashes of the scripts under scriptBase, by script (ddLogin, dingtalkJsapi); see page-scripts.ts. */
  readonly scriptIntegrity: { readonly ddLogin?: string; readonly dingtalkJsapi?: string };
}

/** The app's `dingtalk` settings, defaults filled in; frozen. */
export function dingTalkSettingsOf(app: { readonly settings: { section<T>(key: string): T } }): DingTalkSettings {
  return app.settings.section<DingTalkSettings>('dingtalk');
}
