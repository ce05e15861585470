import type { MachineVariant, Program } from '../../sim/machine/index.ts';
import {
  architecturalState,
  init,
  isStopped,
  run,
  STRATEGIES,
  type CostModel,
  type ExitControls,
  type HwPresetName,
  type Session,
  type StrategyName,
} from '../../sim/strategies/index.ts';
import { diffArch } from '../../sim/machine/index.ts';
import { scaleLog } from 'd3-scale';

/** Which hardware-assist settings a row measured: a named CPU generation, or the learner's own. */
export type HwVariantId = HwPresetName | 'custom';

/** Hardware-assist settings to measure as one row. */
export interface HwVariant {
  readonly id: HwVariantId;
  readonly costs: CostModel;
  readonly exitControls: ExitControls;
}

/** One strategy's measured cost on the program. */
export interface ComparisonRow {
  /** Unique per row: the strategy, or `hardware-assisted:<variant>`. */
  readonly key: string;
  readonly strategy: StrategyName;
  /** The hardware-assist settings of a `hardware-assisted` row; null for other strategies. */
  readonly hw: HwVariantId | null;
  /** Simulated cycles, measured by running the model. */
  readonly cycles: number;
  readonly instructions: number;
  /** cycles ÷ native cycles for the same program. */
  readonly slowdown: number;
  /** Whether the guest stopped by itself (else it hit the instruction limit). */
  readonly finished: boolean;
  /**
   * Whether the final architectural state equals native (false shows an equivalence
   * failure, e.g. the POPF flaw); null when a run hit the limit and no final state exists.
   */
  readonly matchesNative: boolean | null;
  /** Traps into the monitor (or natively into the kernel), all reasons. */
  readonly traps: number;
  /** VM exits (hardware assist), all reasons. */
  readonly exits: number;
}

export interface CompareParams {
  readonly program: Program;
  readonly variant: MachineVariant;
  readonly costs: CostModel;
  /** VMCS exit controls for the hardware-assisted run (default: the model's). */
  readonly exitControls?: ExitControls;
  /**
   * Hardware-assist settings, one row each (e.g. both CPU generations); replaces the
   * single row of `costs` and `exitControls`.
   */
  readonly hwVariants?: readonly HwVariant[];
  /** Guest instructions at most per strategy. */
  readonly limit: number;
  readonly strategies?: readonly StrategyName[];
}

export interface CompareOptions {
  readonly signal?: AbortSignal;
  /** Instructions between yields to the page. Default 250 000. */
  readonly chunk?: number;
  /** Lets the page breathe between chunks (the browser passes a setTimeout(0)); default: none. */
  readonly yieldFn?: () => Promise<void>;
}

const sum = (record: Readonly<Record<string, number>>): number => Object.values(record).reduce((a, b) => a + b, 0);

/**
 * Runs the same program under every strategy with the same cost model and returns
 * what each cost, relative to native. Nothing is precomputed: change a cost or the
 * program and the numbers change.
 *
 * @example
 * const rows = await compareStrategies({ program, variant: 'classic', costs: DEFAULT_COSTS, limit: 1e6 });
 * rows.find((r) => r.strategy === 'emulation')?.slowdown // ≈ 40 for a CPU-bound guest
 */
export async function compareStrategies(params: CompareParams, options: CompareOptions = {}): Promise<ComparisonRow[]> {
  const chunk = options.chunk ?? 250_000;
  const strategies = params.strategies ?? STRATEGIES;
  const order: StrategyName[] = ['native', ...strategies.filter((s) => s !== 'native')];
  const runs: { key: string; strategy: StrategyName; hw: HwVariantId | null; session: Session }[] = [];
  for (const strategy of order) {
    const variants: readonly (HwVariant | null)[] =
      strategy === 'hardware-assisted' && params.hwVariants !== undefined ? params.hwVariants : [null];
    for (const variant of variants) {
      const s = init({
        program: params.program,
        strategy,
        variant: params.variant,
        costs: variant?.costs ?? params.costs,
        ...(variant !== null
          ? { exitControls: variant.exitControls }
          : params.exitControls === undefined
            ? {}
            : { exitControls: params.exitControls }),
      });
      while (!isStopped(s) && s.counters.instructions < params.limit) {
        options.signal?.throwIfAborted();
        run(s, Math.min(chunk, params.limit - s.counters.instructions));
        if (options.yieldFn) await options.yieldFn();
      }
      options.signal?.throwIfAborted();
      runs.push({
        key: variant === null ? strategy : `${strategy}:${variant.id}`,
        strategy,
        hw: variant?.id ?? null,
        session: s,
      });
    }
  }
  const native = runs.find((r) => r.strategy === 'native')?.session;
  if (native === undefined) throw new Error('native run missing');
  const nativeArch = architecturalState(native);
  return runs
    .filter((r) => strategies.includes(r.strategy))
    .map(({ key, strategy, hw, session: s }) => {
      // Only final states compare: a run cut by the limit has none (and binary
      // translation may finish its block a little past the limit).
      const comparable = isStopped(s) && isStopped(native);
      const matchesNative = comparable ? diffArch(nativeArch, architecturalState(s), 1).length === 0 : null;
      return {
        key,
        strategy,
        hw,
        cycles: s.counters.cycles,
        instructions: s.counters.instructions,
        slowdown: native.counters.cycles === 0 ? 0 : s.counters.cycles / native.counters.cycles,
        finished: isStopped(s),
        matchesNative,
        traps: sum(s.counters.traps),
        exits: sum(s.counters.exits),
      };
    });
}

/** Bars of the comparison chart. */
export interface ComparisonBar {
  readonly key: string;
  readonly strategy: StrategyName;
  readonly hw: HwVariantId | null;
  readonly y: number;
  /** Baseline of the bar's label: left of the bar, or above it on a narrow chart. */
  readonly labelY: number;
  readonly height: number;
  readonly width: number;
  readonly slowdown: number;
  readonly matchesNative: boolean | null;
}

export interface ComparisonChart {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  /** True on a narrow chart: labels sit above their bars, so the bars get the whole width. */
  readonly labelsAbove: boolean;
  readonly bars: readonly ComparisonBar[];
  /** Gridlines at 1×, 10×, 100×… */
  readonly ticks: readonly { readonly x: number; readonly value: number }[];
}

/**
 * Horizontal bars of slowdown on a log scale (a 40× emulator next to a 1.01× hypervisor
 * would otherwise be one long bar and five invisible ones).
 *
 * @example
 * comparisonChart(rows, 600).bars.map((b) => [b.strategy, Math.round(b.width)])
 */
export function comparisonChart(
  rows: readonly ComparisonRow[],
  width: number,
  options: { left?: number; barHeight?: number; gap?: number } = {},
): ComparisonChart {
  // Below 480 units a 200-unit label column would leave the bars no room (or shrink the text):
  // the labels go above the bars instead.
  const labelsAbove = options.left === undefined && width < 480;
  const left = options.left ?? (labelsAbove ? 4 : 200);
  const labelHeight = labelsAbove ? 18 : 0;
  const barHeight = options.barHeight ?? 22;
  const gap = options.gap ?? 10;
  const w = Math.max(left + 120, width);
  const values = rows.map((r) => Math.max(r.slowdown, 1e-3));
  const lo = Math.min(1, ...values);
  const hi = Math.max(10, ...values) * 1.6;
  const x = scaleLog()
    .domain([lo / 1.2, hi])
    .range([left, w - 72]);
  const bars = rows.map((r, i) => ({
    key: r.key,
    strategy: r.strategy,
    hw: r.hw,
    y: i * (labelHeight + barHeight + gap) + labelHeight,
    labelY: labelsAbove ? i * (labelHeight + barHeight + gap) + 13 : i * (barHeight + gap) + barHeight / 2 + 4,
    height: barHeight,
    width: Math.max(2, x(Math.max(r.slowdown, 1e-3)) - left),
    slowdown: r.slowdown,
    matchesNative: r.matchesNative,
  }));
  const ticks = x
    .ticks()
    .filter((v) => Number.isInteger(Math.log10(v)))
    .map((value) => ({ x: x(value), value }));
  return { width: w, height: rows.length * (labelHeight + barHeight + gap) + 20, left, labelsAbove, bars, ticks };
}
