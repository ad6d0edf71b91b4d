/**
 * Phone numbers compared the way people write them: "+86 138-0013-8000", "86 13800138000" and
 * "13800138000" are one number. Users' phones are stored normalised, and match values are normalised
 * the same way, so an exact comparison in SQL is enough.
 */

/** Separators people type inside a number. */
const SEPARATORS = /[\s\-().]/g;
/** A mainland China mobile number: 11 digits starting with 1. */
const CN_MOBILE = /^1\d{10}$/;

/**
 * Strips spaces, dashes, dots and brackets and China's country code (+86, 0086, or a bare 86 before a
 * mainland mobile number). Other country codes are kept with their "+". Empty input gives null.
 */
export function normalizePhone(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  let phone = String(value).replace(SEPARATORS, '');
  if (phone.startsWith('+86')) phone = phone.slice(3);
  else if (phone.startsWith('0086')) phone = phone.slice(4);
  else if (phone.startsWith('86') && CN_MOBILE.test(phone.slice(2))) phone = phone.slice(2);
  return phone === '' ? null : phone;
}
