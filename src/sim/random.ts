/**
 * A small seeded pseudo-random generator (mulberry32) so every model is
 * deterministic: the same seed gives the same run, in tests and in the browser.
 *
 * Models that keep randomness in their state store only the 32-bit generator
 * state (a number) and advance it with {@link nextRandom}, which keeps states
 * plain, cloneable data.
 *
 * @example
 * const rng = createRng(42);
 * rng.next();        // 0.6011037519201636 (always, for seed 42)
 * rng.int(1, 6);     // an integer in [1, 6]
 */

/** One draw from {@link nextRandom}: a value in [0, 1) and the next generator state. */
export interface RandomDraw {
  readonly value: number;
  readonly state: number;
}

/**
 * Pure step of mulberry32 (Tommy Ettinger's 32-bit generator, public domain):
 * returns a float in [0, 1) and the next state.
 *
 * @example
 * const { value, state } = nextRandom(42); // value ≈ 0.6011, state = 42 + 0x6d2b79f5 (mod 2^32)
 */
export function nextRandom(state: number): RandomDraw {
  const next = (state + 0x6d2b79f5) | 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  return { value, state: next };
}

/** A stateful wrapper around {@link nextRandom} for code that draws many numbers. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** The current 32-bit state; `createRng(rng.state())` continues the same sequence. */
  state(): number;
}

/**
 * Creates a seeded generator. Seeds are truncated to 32 bits.
 *
 * @example
 * const a = createRng(7), b = createRng(7);
 * a.next() === b.next(); // true
 */
export function createRng(seed: number): Rng {
  let s = seed | 0;
  const next = (): number => {
    const draw = nextRandom(s);
    s = draw.state;
    return draw.value;
  };
  return {
    next,
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
      return items[Math.floor(next() * items.length)] as T;
    },
    state: () => s,
  };
}
