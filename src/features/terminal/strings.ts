import type { StringTable } from '../../i18n/strings';

/**
 * How to leave a terminal with the keyboard, said next to both terminals of the course (the
 * browser PC and the KVM lab's console) and read out by screen readers when the terminal gets
 * focus. The keys are handled in src/features/terminal/tab-escape.ts.
 */
export const terminalStrings = {
  id: {
    'terminal.leaveHint':
      'Di dalam terminal, Tab melengkapi perintah. Untuk keluar dari terminal dengan keyboard, tekan Esc lalu Tab untuk maju ke bagian halaman berikutnya, atau Shift+Tab untuk mundur.',
  },
  en: {
    'terminal.leaveHint':
      'Inside the terminal, Tab completes commands. To leave the terminal with the keyboard, press Esc then Tab to go on to the rest of the page, or Shift+Tab to go back.',
  },
} as const satisfies StringTable<'terminal.leaveHint'>;
