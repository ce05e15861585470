/**
 * Time per loop iteration of the `out-loop` micro-program, computed the same way for KVM, QEMU TCG
 * and v86: run it with two loop counts N1 < N2 (each a few times) and take
 * (t(N2) − t(N1)) / (N2 − N1) from the fastest run of each count. Start-up work (VM setup, the ROM's
 * copy, JIT compilation, the first translation) is the same in both runs and cancels. The fastest run,
 * not the median: a busy host only ever adds time to a run, so with a few runs the minimum is the
 * estimate least moved by load (with the median, one busy stretch of the 20,000-loop runs made v86
 * look faster at ten times the work). No Node imports: the
 * bridge, the page and the benchmark share it.
 */
import type { MicroWorkloadName } from './schema.ts';

/** One timed run of the program. */
export interface TimedRun {
  /** The program's loop count. */
  iterations: number;
  /** Time of the run in microseconds, as the engine's runner measured it. */
  microseconds: number;
}

/** Loop counts used when a client does not choose: long enough to dwarf timer noise, short under KVM's ~7 µs exits. */
export const DEFAULT_MICRO_COUNTS = [20_000, 200_000] as const;
/**
 * Loop counts per workload when a client does not choose. `memory` is bounded by the pages real mode
 * reaches (MAX_MICRO_PAGES). `compute` stays at 100 000: where KVM emulates real mode (kvm_pvm) an
 * iteration costs ~13 µs, 1.3 s a run.
 */
export const DEFAULT_MICRO_COUNTS_BY_PROGRAM = {
  'out-loop': DEFAULT_MICRO_COUNTS,
  compute: [10_000, 100_000],
  memory: [16, 144],
} as const satisfies Record<MicroWorkloadName, readonly [number, number]>;

/**
 * The loop counts a request asked for, or the program's defaults.
 * @example microCounts('memory', undefined) // [16, 144]
 */
export function microCounts(program: MicroWorkloadName, counts: readonly [number, number] | undefined): [number, number] {
  const [low, high] = counts ?? DEFAULT_MICRO_COUNTS_BY_PROGRAM[program];
  return [low, high];
}

/** `out-loop` counts that time one exit for `hello-kvm` (unstreamed, after a warm-up). */
export const EXIT_TIMING_COUNTS = [1000, 5000] as const;
/** Runs per count of that timing. */
export const EXIT_TIMING_REPEATS = 2;

/** Runs per loop count when a client does not choose. */
export const DEFAULT_MICRO_REPEATS = 3;

/**
 * Nanoseconds per iteration from the fastest run at each of two loop counts; null when the runs do
 * not hold exactly two distinct counts.
 * @example nsPerIteration([{ iterations: 1000, microseconds: 50 }, { iterations: 11_000, microseconds: 150 }]) // 10
 */
export function nsPerIteration(runs: readonly TimedRun[]): number | null {
  const counts = [...new Set(runs.map((r) => r.iterations))].sort((a, b) => a - b);
  if (counts.length !== 2) return null;
  const [low, high] = counts as [number, number];
  const at = (n: number): number => Math.min(...runs.filter((r) => r.iterations === n).map((r) => r.microseconds));
  return ((at(high) - at(low)) * 1000) / (high - low);
}

/**
 * The order to run the counts in: alternating low and high, so that a slow moment of the host hits
 * both counts rather than one.
 * @example runPlan([10, 100], 2) // [10, 100, 10, 100]
 */
export function runPlan(counts: readonly [number, number], repeats: number): number[] {
  const plan: number[] = [];
  for (let i = 0; i < repeats; i += 1) plan.push(counts[0], counts[1]);
  return plan;
}
