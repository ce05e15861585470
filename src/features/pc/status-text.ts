import type { PcText } from './strings';
import { fill } from '../../i18n/fill';
import { formatNumber } from '../../i18n/format';
import type { Locale } from '../../i18n/locale';
import type { VmStatus } from '../terminal/backend';

/**
 * A byte count for people, in the learner's number style.
 * @example formatBytes(2_621_440, 'id') // → '2,6 MB'
 * @example formatBytes(900, 'en') // → '1 KB'
 */
export function formatBytes(bytes: number, locale: Locale): string {
  const format = (n: number, unit: string) => `${formatNumber(n, locale, 1)} ${unit}`;
  return bytes >= 1e6 ? format(bytes / 1e6, 'MB') : format(Math.max(1, Math.round(bytes / 1e3)), 'KB');
}

/**
 * The status line under the terminal.
 * @example statusLine({ state: 'loading', file: 'bzImage', loaded: 5e5, total: 1e6 }, text, 'en')
 *   // → 'Downloading bzImage: 500 KB of 1 MB'
 */
export function statusLine(status: VmStatus, text: PcText, locale: Locale): string {
  switch (status.state) {
    case 'loading': {
      const loaded = formatBytes(status.loaded, locale);
      return status.total === null
        ? fill(text['machine.status.loading'], { file: status.file, loaded })
        : fill(text['machine.status.loadingOf'], {
            file: status.file,
            loaded,
            total: formatBytes(status.total, locale),
          });
    }
    case 'booting':
      return text[status.mode === 'snapshot' ? 'machine.status.restoring' : 'machine.status.booting'];
    case 'error':
      return fill(text[`machine.error.${status.code}`], { detail: status.detail });
    default:
      return text[`machine.status.${status.state}`];
  }
}

/**
 * The guest's speed, or an empty string when unknown.
 * @example formatMips(183.46, text, 'id') // → '183 juta instruksi/detik'
 */
export function formatMips(mips: number | null, text: PcText, locale: Locale): string {
  if (mips === null) return '';
  const n = formatNumber(mips, locale, mips < 10 ? 1 : 0);
  return fill(text['machine.speed'], { mips: n });
}
