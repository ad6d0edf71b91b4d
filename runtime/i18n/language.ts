/**
 * Which language a page speaks: `?lang=` (remembered in a cookie), else the remembered choice, else
 * the browser's Accept-Language, else the app's `defaultLanguage`. The people who sign in with
 * DingTalk mostly read Chinese, so any Chinese the browser prefers over English means zh-CN
 * (zh-TW and zh-HK readers read Simplified Chinese better than English, and we have no Traditional).
 */
import type { Language } from '../settings';

export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];
/** The cookie that remembers a `?lang=` choice. */
export const LANGUAGE_COOKIE = 'jit_lang';

export interface LanguageInputs {
  /** The `lang` query parameter, if any. */
  query?: unknown;
  /** The language cookie's value, if any. */
  cookie?: unknown;
  acceptLanguage?: string;
  defaultLanguage: Language;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The page language and whether it was chosen explicitly by `?lang=` (then the cookie should remember it). */
export function chooseLanguage(inputs: LanguageInputs): { language: Language; chosen: boolean } {
  if (isLanguage(inputs.query)) return { language: inputs.query, chosen: true };
  if (isLanguage(inputs.cookie)) return { language: inputs.cookie, chosen: false };
  return { language: fromAcceptLanguage(inputs.acceptLanguage) ?? inputs.defaultLanguage, chosen: false };
}

/** zh-CN or en from an Accept-Language header by the ranges' weights; undefined when it names neither. */
export function fromAcceptLanguage(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [range, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { range: range.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.range && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { range } of ranked) {
    if (range === 'zh' || range.startsWith('zh-')) return 'zh-CN';
    if (range === 'en' || range.startsWith('en-')) return 'en';
  }
  return undefined;
}
