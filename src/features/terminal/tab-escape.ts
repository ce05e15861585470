/**
 * The keyboard's way out of a terminal (WCAG 2.1.2, no keyboard trap). Inside the terminal Tab
 * belongs to the shell (command completion), so leaving forwards takes a deliberate pair: Esc, then
 * Tab. Shift+Tab, which a shell has no use for, goes back to the previous control, with or without
 * Esc before it. Esc itself always reaches the shell (vi, editors, a stray Esc before other keys);
 * only the Tab after it is kept from the shell and left to the browser, which moves the focus.
 */

/** The parts of a keyboard event this decision reads. */
export interface KeyLike {
  type: string;
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/** What to do with a key: give it to the terminal, or let the browser move the focus out. */
export type KeyRoute = 'terminal' | 'leave';

/** Keys that only modify another key: pressing Shift between Esc and Tab keeps Esc's meaning. */
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'Fn', 'OS']);

/**
 * Remembers whether the last key pressed was Esc, and routes each key.
 * @example
 * const escape = new TabEscape();
 * escape.route({ type: 'keydown', key: 'Escape', ...none }) // 'terminal' (the shell still gets Esc)
 * escape.route({ type: 'keydown', key: 'Tab', ...none })    // 'leave'
 * escape.route({ type: 'keydown', key: 'Tab', ...none })    // 'terminal' (completion)
 * escape.route({ type: 'keydown', key: 'Tab', ...none, shiftKey: true }) // 'leave' (backwards)
 */
export class TabEscape {
  private afterEscape = false;

  route(event: KeyLike): KeyRoute {
    // keyup and keypress neither arm nor disarm; only the Tab keydown is kept from the terminal.
    if (event.type !== 'keydown') return 'terminal';
    if (MODIFIERS.has(event.key)) return 'terminal';
    const plain = !event.ctrlKey && !event.altKey && !event.metaKey;
    if (event.key === 'Tab' && plain && (this.afterEscape || event.shiftKey)) {
      this.afterEscape = false;
      return 'leave';
    }
    this.afterEscape = event.key === 'Escape' && plain && !event.shiftKey;
    return 'terminal';
  }

  /** Forgets a pending Esc (the terminal lost and regained focus in between). */
  reset(): void {
    this.afterEscape = false;
  }
}
