import type { Locale } from '../../sim/locale.ts';

const TAGS: Readonly<Record<Locale, string>> = { id: 'id-ID', en: 'en-GB' };
const cache = new Map<string, Intl.NumberFormat>();

function formatter(locale: Locale, digits: number): Intl.NumberFormat {
  const key = `${locale}:${digits}`;
  let f = cache.get(key);
  if (f === undefined) {
    f = new Intl.NumberFormat(TAGS[locale], { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    cache.set(key, f);
  }
  return f;
}

/**
 * A number the way the page language writes it.
 *
 * @example
 * formatNumber('id', 1234567.5, 1) // '1.234.567,5'
 * formatNumber('en', 1234567.5, 1) // '1,234,567.5'
 */
export function formatNumber(locale: Locale, value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '∞';
  return formatter(locale, digits).format(value);
}

/**
 * Memory in MiB, shown in GiB from 1024 MiB up.
 *
 * @example
 * formatMiB('en', 1536) // '1.5 GiB'
 * formatMiB('id', 300)  // '300 MiB'
 */
export function formatMiB(locale: Locale, mib: number): string {
  return Math.abs(mib) >= 1024 ? `${formatNumber(locale, mib / 1024, 1)} GiB` : `${formatNumber(locale, mib, 0)} MiB`;
}

/**
 * A slowdown factor.
 *
 * @example
 * formatFactor('id', 12.345) // '12,3×'
 */
export function formatFactor(locale: Locale, factor: number): string {
  return `${formatNumber(locale, factor, factor < 10 ? 2 : 1)}×`;
}

/**
 * Fills `{name}` placeholders; unknown ones stay visible so a missing value is noticed.
 *
 * @example
 * fill('Baris {line}', { line: 3 }) // 'Baris 3'
 */
export function fill(template: string, vars: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
