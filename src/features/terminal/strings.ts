import type { StringTable } from '../../i18n/strings';
import type { Locale } from '../../i18n/locale';
import type { TerminalKey } from './keys';

/**
 * Strings shared by both terminals of the course (the browser PC and the KVM lab's console): how
 * to leave a terminal with the keyboard (read out by screen readers when the terminal gets focus;
 * the keys are handled in tab-escape.ts) and the touch key bar (TerminalKeys.svelte).
 */
const id = {
  'terminal.leaveHint':
    'Di dalam terminal, Tab melengkapi perintah. Untuk keluar dari terminal dengan keyboard, tekan Esc lalu Tab untuk maju ke bagian halaman berikutnya, atau Shift+Tab untuk mundur.',
  'terminal.keys.label': 'Tombol yang tidak ada di keyboard ponsel',
  'terminal.key.tab': 'Tab: lengkapi perintah atau nama file',
  'terminal.key.ctrl-c': 'Ctrl+C: hentikan perintah yang berjalan',
  'terminal.key.ctrl-d': 'Ctrl+D: akhir input',
  'terminal.key.esc': 'Esc',
  'terminal.key.up': 'Panah atas: perintah sebelumnya',
  'terminal.key.down': 'Panah bawah: perintah berikutnya',
  'terminal.key.left': 'Panah kiri',
  'terminal.key.right': 'Panah kanan',
  'terminal.key.pipe': 'Garis tegak (pipa)',
  'terminal.key.slash': 'Garis miring',
  'terminal.key.dash': 'Tanda minus',
} as const;

export type TerminalStringKey = keyof typeof id;

const en = {
  'terminal.leaveHint':
    'Inside the terminal, Tab completes commands. To leave the terminal with the keyboard, press Esc then Tab to go on to the rest of the page, or Shift+Tab to go back.',
  'terminal.keys.label': 'Keys a phone keyboard lacks',
  'terminal.key.tab': 'Tab: complete a command or file name',
  'terminal.key.ctrl-c': 'Ctrl+C: stop the running command',
  'terminal.key.ctrl-d': 'Ctrl+D: end of input',
  'terminal.key.esc': 'Esc',
  'terminal.key.up': 'Up arrow: previous command',
  'terminal.key.down': 'Down arrow: next command',
  'terminal.key.left': 'Left arrow',
  'terminal.key.right': 'Right arrow',
  'terminal.key.pipe': 'Vertical bar (pipe)',
  'terminal.key.slash': 'Slash',
  'terminal.key.dash': 'Minus sign',
} as const satisfies Record<TerminalStringKey, string>;

export const terminalStrings = { id, en } as const satisfies StringTable<TerminalStringKey>;

/** The terminal strings in one language, as a prop (every key of the bar has its label). */
export type TerminalText = Record<TerminalStringKey, string> & Record<`terminal.key.${TerminalKey}`, string>;

export function terminalText(locale: Locale): TerminalText {
  return terminalStrings[locale];
}
