import { intlTag, type Locale } from './locale.ts';

const cache = new Map<string, Intl.NumberFormat>();

function formatter(locale: Locale, digits: number): Intl.NumberFormat {
  const key = `${locale}:${digits}`;
  let f = cache.get(key);
  if (f === undefined) {
    f = new Intl.NumberFormat(intlTag(locale), { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    cache.set(key, f);
  }
  return f;
}

/**
 * A number the way the page language writes it, with at most `digits` decimals. Every
 * formatter of the course takes the value first and the locale second.
 *
 * @example formatNumber(1234567.5, 'id', 1) // '1.234.567,5'
 * @example formatNumber(1234567.5, 'en', 1) // '1,234,567.5'
 * @example formatNumber(Infinity, 'en')     // '∞'
 */
export function formatNumber(value: number, locale: Locale, digits = 0): string {
  if (!Number.isFinite(value)) return '∞';
  return formatter(locale, digits).format(value);
}
