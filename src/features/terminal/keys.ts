/**
 * The touch key bar's keys (TerminalKeys.svelte): what a phone keyboard lacks for a shell
 * (completion, interrupt, end of input, history, cursor) and the symbols it hides on a second
 * page. Each key becomes the bytes a PC keyboard's key sends through xterm, so the shell cannot
 * tell a tapped key from a typed one.
 */

export const TERMINAL_KEYS = ['tab', 'ctrl-c', 'ctrl-d', 'esc', 'up', 'down', 'left', 'right', 'pipe', 'slash', 'dash'] as const;

export type TerminalKey = (typeof TERMINAL_KEYS)[number];

/** The key's face on the bar (symbols and key names are the same in both languages). */
export const KEY_FACES: Readonly<Record<TerminalKey, string>> = {
  tab: 'Tab',
  'ctrl-c': 'Ctrl+C',
  'ctrl-d': 'Ctrl+D',
  esc: 'Esc',
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  pipe: '|',
  slash: '/',
  dash: '-',
};

const ARROW_FINAL = { up: 'A', down: 'B', right: 'C', left: 'D' } as const;

/**
 * The bytes a key sends. Arrows follow the terminal's cursor-key mode, as xterm does for a typed
 * arrow: `ESC [ A` normally, `ESC O A` once a program (vi, less) has switched to application mode.
 * @example keyBytes('ctrl-c') // → '\x03'
 * @example keyBytes('up') // → '\x1b[A'
 * @example keyBytes('up', { applicationCursor: true }) // → '\x1bOA'
 */
export function keyBytes(key: TerminalKey, mode: { applicationCursor?: boolean } = {}): string {
  switch (key) {
    case 'tab':
      return '\t';
    case 'ctrl-c':
      return '\x03';
    case 'ctrl-d':
      return '\x04';
    case 'esc':
      return '\x1b';
    case 'pipe':
      return '|';
    case 'slash':
      return '/';
    case 'dash':
      return '-';
    default:
      return `\x1b${mode.applicationCursor ? 'O' : '['}${ARROW_FINAL[key]}`;
  }
}
