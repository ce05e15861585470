/**
 * Guest speed from v86's instruction counter.
 *
 * `get_instruction_counter()` is a 32-bit counter that wraps (every ~21 s at 200 MIPS), so
 * speed comes from differences between samples taken less than one wrap apart, added
 * modulo 2^32. (v86's `get_instruction_stats()` is all zeros in the npm builds.)
 */

const WRAP = 2 ** 32;

/**
 * Instructions executed between two counter samples, allowing one wrap-around.
 * Accepts negative values too (a signed 32-bit read of the same counter).
 * @example counterDelta(4294967290, 5) // → 11
 * @example counterDelta(100, 250) // → 150
 */
export function counterDelta(previous: number, current: number): number {
  return ((current >>> 0) - (previous >>> 0) + WRAP) % WRAP;
}

/** A sample of the counter with the time (ms, monotonic) it was taken. */
export interface CounterSample {
  readonly counter: number;
  readonly atMs: number;
}

/**
 * Millions of guest instructions per second between two samples; null when no time passed.
 * @example mipsBetween({ counter: 0, atMs: 0 }, { counter: 50_000_000, atMs: 250 }) // → 200
 */
export function mipsBetween(earlier: CounterSample, later: CounterSample): number | null {
  const ms = later.atMs - earlier.atMs;
  if (!(ms > 0)) return null;
  return counterDelta(earlier.counter, later.counter) / (ms * 1000);
}

/**
 * Speed over a sliding window of recent samples (smooths the JIT's bursts). Pure: returns
 * the new window and the speed; the caller owns the timer.
 * @example
 *   let w: CounterSample[] = [];
 *   ({ window: w } = mipsWindow(w, { counter: 0, atMs: 0 }, 3));
 *   mipsWindow(w, { counter: 1e8, atMs: 1000 }, 3).mips // → 100
 */
export function mipsWindow(
  window: readonly CounterSample[],
  sample: CounterSample,
  size: number,
): { window: CounterSample[]; mips: number | null } {
  const next = [...window, sample].slice(-Math.max(2, size));
  // Sum the per-interval deltas: the first-to-last difference alone would lose whole wraps.
  let instructions = 0;
  for (let i = 1; i < next.length; i++) {
    instructions += counterDelta(next[i - 1]!.counter, next[i]!.counter);
  }
  const first = next[0]!;
  const ms = sample.atMs - first.atMs;
  return { window: next, mips: next.length < 2 || !(ms > 0) ? null : instructions / (ms * 1000) };
}
