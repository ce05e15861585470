import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { counterDelta, mipsBetween, mipsWindow, type CounterSample } from '../../../src/features/pc/instruction-counter';
import { matchPrompt, stripCursorQueries } from '../../../src/guest/prompt';
import { agentWinsize } from '../../../src/guest/image';

const ESC = '\u001b';

describe('matchPrompt', () => {
  it.each([
    ['boot log\r\n~ # ', { cwd: '~', root: true }],
    [`boot log\r\n~ # ${ESC}[6n`, { cwd: '~', root: true }],
    ['~ # ', { cwd: '~', root: true }],
    ['\n/tmp $ ', { cwd: '/tmp', root: false }],
    [`\r\n/sys/class/net # ${ESC}[6n`, { cwd: '/sys/class/net', root: true }],
  ])('finds the prompt at the end of %j', (output, expected) => {
    expect(matchPrompt(output)).toEqual(expected);
  });

  it.each([
    ['~ # ls'], // the learner is typing
    ['~ # \r\nbin  dev  etc'], // a command is printing
    [`~ # ${ESC}[6n${ESC}[6n`], // two queries are not one prompt
    ['[    0.512000] Run /init as init process\r\n'],
    ['comment # '], // `# ` after text on the same line is not a prompt: the path has no space
    [''],
  ])('finds no prompt at the end of %j', (output) => {
    expect(matchPrompt(output)).toBeNull();
  });

  it('strips cursor-position queries', () => {
    expect(stripCursorQueries(`~ # ${ESC}[6n\r\n~ # ${ESC}[6n`)).toBe('~ # \r\n~ # ');
  });
});

describe('counterDelta', () => {
  it.each([
    [100, 250, 150],
    [0, 0, 0],
    [4294967290, 5, 11], // wrapped once
    [4294967295, 0, 1],
    [-6, 5, 11], // a signed read of the same counter
    [5, 4, 4294967295], // one less than a full wrap: indistinguishable from going backwards, by design
  ])('from %d to %d is %d', (previous, current, expected) => {
    expect(counterDelta(previous, current)).toBe(expected);
  });

  it('adds up to the true count when the counter wraps between samples', () => {
    fc.assert(
      fc.property(fc.nat(0xffffffff), fc.array(fc.nat(0xfffffff), { minLength: 1, maxLength: 50 }), (start, steps) => {
        let real = start;
        let sampled = start;
        let sum = 0;
        for (const step of steps) {
          real += step;
          const counter = real % 2 ** 32; // what v86 reports
          sum += counterDelta(sampled, counter);
          sampled = counter;
        }
        expect(sum).toBe(real - start);
      }),
    );
  });
});

describe('mips', () => {
  it('is instructions per microsecond between two samples', () => {
    expect(mipsBetween({ counter: 0, atMs: 0 }, { counter: 50_000_000, atMs: 250 })).toBe(200);
    expect(mipsBetween({ counter: 2 ** 32 - 1_000_000, atMs: 0 }, { counter: 1_000_000, atMs: 10 })).toBe(200);
    expect(mipsBetween({ counter: 0, atMs: 5 }, { counter: 9, atMs: 5 })).toBeNull();
  });

  it('averages over a window and keeps whole wraps that first-to-last would lose', () => {
    let window: CounterSample[] = [];
    const speeds: (number | null)[] = [];
    // 3e9 instructions per second: the counter wraps (2^32 ≈ 4.29e9) every ~1.4 s.
    for (let s = 0; s <= 4; s++) {
      const r = mipsWindow(window, { counter: (s * 3e9) % 2 ** 32, atMs: s * 1000 }, 4);
      window = r.window;
      speeds.push(r.mips);
    }
    expect(speeds[0]).toBeNull();
    expect(speeds.slice(1)).toEqual([3000, 3000, 3000, 3000]);
    expect(window).toHaveLength(4);
  });
});

describe('agentWinsize', () => {
  it.each([
    [100, 30, 'winsize 100 30\n'],
    [80.7, 24.2, 'winsize 80 24\n'],
    [0, -5, 'winsize 1 1\n'], // a hidden terminal measures 0×0; stty would reject it
    [5000, 99999, 'winsize 1000 1000\n'],
  ])('%d×%d → %j', (cols, rows, line) => {
    expect(agentWinsize(cols, rows)).toBe(line);
  });
});
