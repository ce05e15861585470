/**
 * The model held against the literature: runs the [AA06] nanobenchmarks (the
 * programs in `guests/nanobench.ts`) under native execution, binary translation and
 * both hardware-assist generations, the CPU-bound guest under every strategy, and
 * the TLB-heavy memory workload under nested paging with its caches. Every figure
 * is modelled — computed from the cost model — and never measured on a real CPU.
 * Used by test/unit/sim/calibration.test.ts and `npm run bench:sim`.
 */
import { guest } from './programs/catalog.ts';
import { NANOBENCH_IDS, NANOBENCHMARKS, nanobenchProgram, type NanobenchId, type PaperFigures } from './programs/nanobench.ts';
import { init as initMemory, runAccesses } from './memory/mmu.ts';
import { tlbHeavyStable } from './memory/workload.ts';
import { DEFAULT_COSTS, type CostModel } from './strategies/costs.ts';
import { withHwPreset } from './strategies/presets.ts';
import { init, run, type SessionParams } from './strategies/session.ts';
import type { StrategyName } from './strategies/types.ts';

/** The four machines of the calibration table: bare metal, VMware-style BT, and two VT-x generations. */
export type CalibrationTarget = 'native' | 'bt' | 'hw2006' | 'hwModern';

export const CALIBRATION_TARGETS: readonly CalibrationTarget[] = ['native', 'bt', 'hw2006', 'hwModern'];

/** Strategies for the CPU-bound comparison: every strategy, hardware assist in both generations. */
export type SlowdownTarget = Exclude<StrategyName, 'hardware-assisted'> | 'hw2006' | 'hwModern';

export const SLOWDOWN_TARGETS: readonly SlowdownTarget[] = [
  'native',
  'emulation',
  'trap-and-emulate',
  'binary-translation',
  'paravirtualization',
  'hw2006',
  'hwModern',
];

/** Session parameters for a calibration target (or any strategy) over a cost model. */
export function targetParams(
  target: CalibrationTarget | SlowdownTarget,
  costs: CostModel = DEFAULT_COSTS,
): Omit<SessionParams, 'program'> {
  switch (target) {
    case 'bt':
      return { strategy: 'binary-translation', costs };
    case 'hw2006':
      return { strategy: 'hardware-assisted', ...withHwPreset('vtx-2006', costs) };
    case 'hwModern':
      return { strategy: 'hardware-assisted', ...withHwPreset('modern-ept', costs) };
    default:
      return { strategy: target, costs };
  }
}

const WARM = 200;
const MEASURED = 1000;

function cyclesOf(program: ReturnType<typeof nanobenchProgram>, params: Omit<SessionParams, 'program'>): number {
  const s = init({ ...params, program });
  run(s, 100_000_000);
  return s.counters.cycles;
}

/**
 * Modelled cycles per operation of one nanobenchmark: the difference between
 * {@link MEASURED} + {@link WARM} and {@link WARM} loop iterations, so boot and
 * one-time costs (translation, the first adaptive fault) cancel out.
 *
 * @example
 * nanobenchCyclesPerOp('ptemod', 'bt') // ≈ 420 (AA06: 391)
 */
export function nanobenchCyclesPerOp(id: NanobenchId, target: CalibrationTarget, costs: CostModel = DEFAULT_COSTS): number {
  const params = targetParams(target, costs);
  const warm = cyclesOf(nanobenchProgram(id, WARM), params);
  const long = cyclesOf(nanobenchProgram(id, WARM + MEASURED), params);
  return (long - warm) / MEASURED / NANOBENCHMARKS[id].perIteration;
}

/** Modelled slowdown of the CPU-bound guest (default size: ~1.1 M instructions, a realistic timer). */
export function cpuBoundSlowdown(costs: CostModel = DEFAULT_COSTS): Record<SlowdownTarget, number> {
  const program = guest('cpu-bound').program;
  const cycles = (t: SlowdownTarget) => cyclesOf(program, targetParams(t, costs));
  const native = cycles('native');
  return Object.fromEntries(SLOWDOWN_TARGETS.map((t) => [t, cycles(t) / native])) as Record<SlowdownTarget, number>;
}

/**
 * Average page-walk references per TLB miss under nested paging (4-level guest and
 * host tables) on the TLB-heavy workload with stable page tables, page-walk cache
 * and nested TLB on [Bhargava08]; the worst case, with no cache, is 24.
 */
export function nestedAvgRefsPerMiss(): number {
  const mem = initMemory({ mode: 'nested', guestLevels: 4, hostLevels: 4, bitsPerLevel: 3, walkCaches: true });
  const c = runAccesses(mem, tlbHeavyStable({ pageWords: 16 }));
  return c.walkReferences / c.tlbMisses;
}

/** The whole calibration, rounded for printing: what the model computes beside what [AA06] measured. */
export interface Calibration {
  readonly source: string;
  readonly unit: string;
  /** Computed from the cost model (nothing here is timed on a real CPU). */
  readonly modelled: {
    readonly cyclesPerOp: Readonly<Record<NanobenchId, Readonly<Record<CalibrationTarget, number>>>>;
    readonly cpuBoundSlowdown: Readonly<Record<SlowdownTarget, number>>;
    readonly nestedAvgRefsPerMiss: number;
  };
  /** The paper's figures per nanobenchmark, and what the teaching machine runs for each. */
  readonly paper: {
    readonly cyclesPerOp: Readonly<Record<NanobenchId, PaperFigures & { readonly operation: string }>>;
  };
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

/** Runs everything (a few seconds). */
export function calibration(costs: CostModel = DEFAULT_COSTS): Calibration {
  const cyclesPerOp = Object.fromEntries(
    NANOBENCH_IDS.map((id) => [
      id,
      Object.fromEntries(CALIBRATION_TARGETS.map((t) => [t, round(nanobenchCyclesPerOp(id, t, costs))])),
    ]),
  ) as Record<NanobenchId, Record<CalibrationTarget, number>>;
  const slowdown = cpuBoundSlowdown(costs);
  return {
    source: 'Adams & Agesen, ASPLOS 2006 (nanobenchmarks, Pentium 4 672); Bhargava et al., ASPLOS 2008 (nested walks)',
    unit: 'cycles per operation',
    modelled: {
      cyclesPerOp,
      cpuBoundSlowdown: Object.fromEntries(SLOWDOWN_TARGETS.map((t) => [t, round(slowdown[t], 3)])) as Record<
        SlowdownTarget,
        number
      >,
      nestedAvgRefsPerMiss: round(nestedAvgRefsPerMiss(), 2),
    },
    paper: {
      cyclesPerOp: Object.fromEntries(
        NANOBENCH_IDS.map((id) => [id, { ...NANOBENCHMARKS[id].paper, operation: NANOBENCHMARKS[id].operation }]),
      ) as Record<NanobenchId, PaperFigures & { operation: string }>,
    },
  };
}
