import { describe, expect, it } from 'vitest';
import { KEY_FACES, TERMINAL_KEYS, keyBytes } from '../../../../src/features/terminal/keys';
import { terminalStrings } from '../../../../src/features/terminal/strings';

describe('the touch key bar', () => {
  it('sends the bytes a PC keyboard sends for each key', () => {
    expect(Object.fromEntries(TERMINAL_KEYS.map((k) => [k, keyBytes(k)]))).toEqual({
      tab: '\t',
      'ctrl-c': '\x03',
      'ctrl-d': '\x04',
      esc: '\x1b',
      up: '\x1b[A',
      down: '\x1b[B',
      right: '\x1b[C',
      left: '\x1b[D',
      pipe: '|',
      slash: '/',
      dash: '-',
    });
  });

  it('sends arrows in application cursor mode the way xterm does once vi or less asks for it', () => {
    const app = { applicationCursor: true };
    expect(['up', 'down', 'right', 'left'].map((k) => keyBytes(k as 'up', app))).toEqual([
      '\x1bOA',
      '\x1bOB',
      '\x1bOC',
      '\x1bOD',
    ]);
    // Only the arrows depend on the mode.
    expect(keyBytes('ctrl-c', app)).toBe('\x03');
  });

  it('has a face and a label in both languages for every key', () => {
    for (const key of TERMINAL_KEYS) {
      expect(KEY_FACES[key]).toBeTruthy();
      for (const locale of ['id', 'en'] as const) expect(terminalStrings[locale][`terminal.key.${key}`]).toBeTruthy();
    }
  });
});
