/**
 * KVM counters of a bridge guest over time (`stats` messages) and the small line chart drawn from
 * them. d3 does the maths only (scales, path strings); Svelte draws the SVG.
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { StatsMessage } from '../../protocol/client';

/** Counters shown in the table, in this order, when the host reports them. */
export const TABLE_COUNTERS = ['exits', 'io_exits', 'mmio_exits', 'halt_exits', 'irq_exits', 'insn_emulation'] as const;
export type TableCounter = (typeof TABLE_COUNTERS)[number];

/** Counters drawn in the chart; each has a colour class and a dash pattern (never colour alone). */
export const CHART_COUNTERS = [
  { counter: 'exits', className: 'stroke-trap', dash: '' },
  { counter: 'io_exits', className: 'stroke-host', dash: '6 3' },
  { counter: 'mmio_exits', className: 'stroke-hypervisor', dash: '2 3' },
  { counter: 'halt_exits', className: 'stroke-guest', dash: '8 3 2 3' },
] as const satisfies readonly { counter: TableCounter; className: string; dash: string }[];

export interface StatsSample {
  /** Seconds since QEMU started. */
  t: number;
  values: Readonly<Record<string, number>>;
}

export interface StatsSeries {
  /** null until the first sample; false when the host gives no KVM counters (TCG, old kernel). */
  available: boolean | null;
  samples: readonly StatsSample[];
}

export const EMPTY_SERIES: StatsSeries = { available: null, samples: [] };

/** Samples kept: at one a second, two minutes. */
const MAX_SAMPLES = 120;

/**
 * Adds one `stats` message. vCPU counters (exits are per vCPU, summed by the bridge) win over VM-wide ones.
 * @example addStats(EMPTY_SERIES, { available: true, vm: {}, vcpu: { exits: 10 }, elapsedMs: 1500, … }).samples
 *   // → [{ t: 1.5, values: { exits: 10 } }]
 */
export function addStats(
  series: StatsSeries,
  message: Pick<StatsMessage, 'available' | 'vm' | 'vcpu' | 'elapsedMs'>,
): StatsSeries {
  if (!message.available) return { available: false, samples: [] };
  const sample = { t: message.elapsedMs / 1000, values: { ...message.vm, ...message.vcpu } };
  const last = series.samples.at(-1);
  // A sample older than the last one belongs to another guest or came out of order: start over.
  const kept = last !== undefined && sample.t <= last.t ? [] : series.samples;
  return { available: true, samples: [...kept, sample].slice(-MAX_SAMPLES) };
}

export interface CounterRow {
  counter: TableCounter;
  total: number;
  /** Per second over the last interval; null with fewer than two samples. */
  rate: number | null;
}

/** The table: counters the host reports, with totals and the latest per-second rate. */
export function counterRows(series: StatsSeries): CounterRow[] {
  const last = series.samples.at(-1);
  const before = series.samples.at(-2);
  if (!last) return [];
  return TABLE_COUNTERS.filter((c) => last.values[c] !== undefined).map((counter) => {
    const total = last.values[counter] ?? 0;
    const rate = before && last.t > before.t ? Math.max(0, total - (before.values[counter] ?? 0)) / (last.t - before.t) : null;
    return { counter, total, rate };
  });
}

/** Per-second rates between consecutive samples, at the later sample's time. */
export function ratePoints(series: StatsSeries, counter: string): { t: number; rate: number }[] {
  const points: { t: number; rate: number }[] = [];
  for (let i = 1; i < series.samples.length; i++) {
    const a = series.samples[i - 1];
    const b = series.samples[i];
    if (!a || !b || b.t <= a.t) continue;
    const va = a.values[counter];
    const vb = b.values[counter];
    if (va === undefined || vb === undefined) continue;
    points.push({ t: b.t, rate: Math.max(0, vb - va) / (b.t - a.t) });
  }
  return points;
}

export interface ChartGeometry {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface Chart {
  lines: { counter: string; className: string; dash: string; d: string }[];
  xTicks: { x: number; value: number }[];
  yTicks: { y: number; value: number }[];
  /** Seconds covered, for the chart's label. */
  spanSeconds: number;
}

/**
 * Path strings and ticks for the rate chart; null until there are two samples to compare.
 * @example rateChart(series, { width: 480, height: 180, margin: { top: 8, right: 8, bottom: 24, left: 56 } })?.lines[0]?.d // → 'M56,148L…'
 */
export function rateChart(series: StatsSeries, geometry: ChartGeometry): Chart | null {
  const perCounter = CHART_COUNTERS.map((c) => ({ ...c, points: ratePoints(series, c.counter) })).filter(
    (c) => c.points.length > 0,
  );
  const all = perCounter.flatMap((c) => c.points);
  if (all.length === 0) return null;
  const { width, height, margin } = geometry;
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t));
  const x = scaleLinear()
    .domain([t0, Math.max(t1, t0 + 1)])
    .range([margin.left, width - margin.right]);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...all.map((p) => p.rate))])
    .nice()
    .range([height - margin.bottom, margin.top]);
  const path = line<{ t: number; rate: number }>()
    .x((p) => x(p.t))
    .y((p) => y(p.rate));
  return {
    lines: perCounter.map((c) => ({ counter: c.counter, className: c.className, dash: c.dash, d: path(c.points) ?? '' })),
    xTicks: x.ticks(5).map((value) => ({ x: x(value), value })),
    yTicks: y.ticks(4).map((value) => ({ y: y(value), value })),
    spanSeconds: Math.round(t1 - t0),
  };
}

/** A finished guest's last counters, for comparing runs (emulated disk against virtio). */
export interface RunRecord {
  guestId: string;
  label: string;
  accel: string;
  seconds: number;
  values: Readonly<Record<string, number>>;
}

/** The record of a run, or null when the host gave no counters for it. */
export function runRecord(series: StatsSeries, guestId: string, label: string, accel: string): RunRecord | null {
  const last = series.samples.at(-1);
  if (!series.available || !last) return null;
  return { guestId, label, accel, seconds: last.t, values: last.values };
}
