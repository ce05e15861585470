import type { Locale } from '../../i18n/locale';
import { formatNumber } from '../../i18n/format';

/**
 * Memory in MiB, shown in GiB from 1024 MiB up.
 *
 * @example
 * formatMiB(1536, 'en') // '1.5 GiB'
 * formatMiB(300, 'id')  // '300 MiB'
 */
export function formatMiB(mib: number, locale: Locale): string {
  return Math.abs(mib) >= 1024 ? `${formatNumber(mib / 1024, locale, 1)} GiB` : `${formatNumber(mib, locale, 0)} MiB`;
}

/**
 * A slowdown factor.
 *
 * @example
 * formatFactor(12.345, 'id') // '12,3×'
 */
export function formatFactor(factor: number, locale: Locale): string {
  return `${formatNumber(factor, locale, factor < 10 ? 2 : 1)}×`;
}
