/**
 * The runtime's words in the page's language, and filling in their `{name}` marks. Text only: a
 * page escapes what it puts into HTML (or uses `fillHtml` with values it escaped itself).
 */
import type { Language } from '../settings';
import { WORDS_EN, type WordKey, type Words } from './words-en';
import { WORDS_ZH_CN } from './words-zh-CN';

export type { WordKey, Words } from './words-en';

const CATALOGS: Readonly<Record<Language, Words>> = Object.freeze({ en: WORDS_EN, 'zh-CN': WORDS_ZH_CN });

export function wordsFor(language: Language): Words {
  return CATALOGS[language] ?? WORDS_EN;
}

/** `text` with each `{key}` replaced by its value (unknown marks stay as written). */
export function fill(text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (mark, key: string) => (key in values ? String(values[key]) : mark));
}

/** The words a page script needs: every key starting with one of `prefixes`. */
export function wordsWithPrefix(words: Words, prefixes: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(words) as WordKey[]) if (prefixes.some((p) => key.startsWith(p))) picked[key] = words[key];
  return picked;
}
