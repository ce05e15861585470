import { describe, expect, it } from 'vitest';
import { ConsoleFlow } from '../../../src/protocol/console-flow';

describe('ConsoleFlow', () => {
  it('pauses at the high-water mark and resumes at the low-water mark, once each', () => {
    const calls: boolean[] = [];
    const flow = new ConsoleFlow({ highWater: 100, lowWater: 20, setPaused: (p) => calls.push(p) });
    const a = flow.written(60);
    expect(calls).toEqual([]);
    const b = flow.written(50); // 110 pending
    expect(calls).toEqual([true]);
    const c = flow.written(30); // still paused: no second call
    expect(calls).toEqual([true]);
    a(); // 80
    b(); // 30: above low water
    expect(calls).toEqual([true]);
    c(); // 0
    expect(calls).toEqual([true, false]);
    expect(flow.pending).toBe(0);
    expect(flow.isPaused).toBe(false);
  });

  it('counts a callback once even if the terminal calls it twice', () => {
    const calls: boolean[] = [];
    const flow = new ConsoleFlow({ highWater: 10, lowWater: 5, setPaused: (p) => calls.push(p) });
    const done = flow.written(12);
    flow.written(3);
    done();
    done();
    expect(flow.pending).toBe(3);
    expect(calls).toEqual([true, false]);
  });

  it('reset forgets pending bytes and resumes a paused source', () => {
    const calls: boolean[] = [];
    const flow = new ConsoleFlow({ highWater: 10, lowWater: 5, setPaused: (p) => calls.push(p) });
    flow.written(50);
    flow.reset();
    expect(calls).toEqual([true, false]);
    expect(flow.pending).toBe(0);
  });

  it('refuses marks in the wrong order', () => {
    expect(() => new ConsoleFlow({ highWater: 10, lowWater: 10, setPaused: () => undefined })).toThrow(RangeError);
  });
});
