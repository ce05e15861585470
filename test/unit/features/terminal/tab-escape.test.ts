/**
 * The terminal's keyboard way out: Tab completes in the shell; Esc, then Tab (or Shift+Tab) leaves;
 * Esc itself always reaches the shell.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TabEscape, type KeyLike } from '../../../../src/features/terminal/tab-escape';

const key = (k: string, mods: Partial<KeyLike> = {}, type = 'keydown'): KeyLike => ({
  type,
  key: k,
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});
const ESC = key('Escape');
const TAB = key('Tab');
const SHIFT = key('Shift', { shiftKey: true });
const SHIFT_TAB = key('Tab', { shiftKey: true });

/** The routes of a sequence of key events, through one TabEscape. */
const routes = (events: KeyLike[]) => {
  const escape = new TabEscape();
  return events.map((e) => escape.route(e));
};

describe('TabEscape', () => {
  it.each([
    ['Tab alone goes to the shell (completion)', [TAB], ['terminal']],
    ['Shift+Tab alone leaves backwards (a shell has no use for it)', [SHIFT, SHIFT_TAB], ['terminal', 'leave']],
    ['Esc reaches the shell, then Tab leaves', [ESC, TAB], ['terminal', 'leave']],
    ['Esc, Shift (held), Shift+Tab leaves backwards', [ESC, SHIFT, SHIFT_TAB], ['terminal', 'terminal', 'leave']],
    [
      'Esc then a letter: both reach the shell, the next Tab completes',
      [ESC, key('x'), TAB],
      ['terminal', 'terminal', 'terminal'],
    ],
    ['Esc, Esc, Tab leaves', [ESC, ESC, TAB], ['terminal', 'terminal', 'leave']],
    ['after leaving, Tab completes again', [ESC, TAB, TAB], ['terminal', 'leave', 'terminal']],
    ['the keyup of Esc does not disarm it', [ESC, key('Escape', {}, 'keyup'), TAB], ['terminal', 'terminal', 'leave']],
    ['Esc then Ctrl+Tab is not the way out', [ESC, key('Tab', { ctrlKey: true })], ['terminal', 'terminal']],
    ['Alt+Esc does not arm it', [key('Escape', { altKey: true }), TAB], ['terminal', 'terminal']],
  ] as const)('%s', (_, events, expected) => {
    expect(routes([...events])).toEqual(expected);
  });

  it('forgets a pending Esc when the terminal gets focus again', () => {
    const escape = new TabEscape();
    expect(escape.route(ESC)).toBe('terminal');
    escape.reset();
    expect(escape.route(TAB)).toBe('terminal');
  });

  it('never keeps Esc or any key but Tab from the shell; Tab leaves exactly after a plain Esc, Shift+Tab always', () => {
    const anyKey = fc.record({
      type: fc.constantFrom('keydown', 'keyup', 'keypress'),
      key: fc.constantFrom('Escape', 'Tab', 'Shift', 'Control', 'a', 'Enter', 'ArrowUp', 'i'),
      shiftKey: fc.boolean(),
      ctrlKey: fc.boolean(),
      altKey: fc.boolean(),
      metaKey: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(anyKey, { maxLength: 40 }), (events) => {
        const got = routes(events);
        // The key that counts before each event: the last keydown that is not a modifier.
        let previous: KeyLike | null = null;
        events.forEach((e, i) => {
          const isTab = e.type === 'keydown' && e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey;
          const afterPlainEsc =
            previous !== null &&
            previous.key === 'Escape' &&
            !previous.shiftKey &&
            !previous.ctrlKey &&
            !previous.altKey &&
            !previous.metaKey;
          const leaves = isTab && (afterPlainEsc || e.shiftKey);
          expect(got[i]).toBe(leaves ? 'leave' : 'terminal');
          if (e.type === 'keydown' && !['Shift', 'Control'].includes(e.key)) previous = leaves ? null : e;
        });
      }),
    );
  });
});
