import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, nextRandom } from '../../../src/sim/random.ts';

describe('seeded random generator', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
  });

  it('gives different sequences for different seeds', () => {
    expect(createRng(1).next()).not.toBe(createRng(2).next());
  });

  it('continues from a saved state', () => {
    const a = createRng(9);
    a.next();
    const resumed = createRng(a.state());
    expect(resumed.next()).toBe(a.next());
  });

  it('matches the pure step', () => {
    const draw = nextRandom(42);
    expect(createRng(42).next()).toBe(draw.value);
    expect(draw.state).toBe((42 + 0x6d2b79f5) | 0);
  });

  it('stays in [0, 1) and int() in its inclusive range', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 50 }), (seed, lo, span) => {
        const rng = createRng(seed);
        for (let i = 0; i < 20; i++) {
          const x = rng.next();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          const n = rng.int(lo, lo + span);
          expect(n).toBeGreaterThanOrEqual(lo);
          expect(n).toBeLessThanOrEqual(lo + span);
          expect(Number.isInteger(n)).toBe(true);
        }
      }),
    );
  });

  it('is roughly uniform', () => {
    const rng = createRng(123);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const b = Math.floor(rng.next() * 10);
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(850);
  });

  it('pick() refuses an empty array', () => {
    expect(() => createRng(1).pick([])).toThrow(RangeError);
    expect(['a']).toContain(createRng(1).pick(['a']));
  });
});
