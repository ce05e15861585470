/**
 * "One program, three machines": the `out-loop` micro-program timed under KVM and QEMU TCG (by the
 * bridge, `micro-run`) and in v86 (in the page), as one table KVM | QEMU TCG | v86. The runs happen
 * one after another (side by side they would compete for the CPU); without a bridge the v86 column
 * still runs alone. This module holds the logic; the component renders {@link compareView}.
 */
import type { KvmLabText } from './strings';
import { intlTag } from '../../i18n/locale';
import { formatNumber } from '../../i18n/format';
import { fill } from '../../i18n/fill';
import { formatMessage } from '../../protocol/texts';
import type { TimedRun } from '../../protocol/micro-timing';
import type { Locale } from '../../i18n/locale';
import type { BridgeMicroOutcome, MicroRunResultMessage } from './micro-bridge';
import type { V86Timing } from './micro-v86';

export const COMPARE_ENGINES = ['kvm', 'tcg', 'v86'] as const;
export type CompareEngine = (typeof COMPARE_ENGINES)[number];

/** One engine's measured result, whoever ran it. */
export interface EngineMeasurement {
  /** What ran it: the KVM module, `QEMU 7.2.22`, `v86`. */
  engine: string;
  runs: readonly TimedRun[];
  nsPerIteration: number | null;
  /** VM exits of the largest run (KVM only); null where there are none. */
  exits: { total: number; counts: Readonly<Record<string, number>>; microsecondsPerExit: number } | null;
  /** Guest instructions counted at the largest run (v86 only). */
  instructions: number | null;
}

export type ColumnState =
  | { state: 'idle' }
  | { state: 'waiting' }
  | { state: 'running' }
  | { state: 'done'; measurement: EngineMeasurement }
  /** Skipped because no bridge was connected: shown as such only while none is (see compareView). */
  | { state: 'no-bridge' }
  /** Could not run here; `reason` is said in the page's language. */
  | { state: 'unavailable'; reason: string };

/** A column's state as the table shows it: `no-bridge` becomes unavailable or idle by the connection now. */
export type ShownState = Exclude<ColumnState['state'], 'no-bridge'>;

export type CompareStates = Readonly<Record<CompareEngine, ColumnState>>;

export const IDLE_COMPARE: CompareStates = { kvm: { state: 'idle' }, tcg: { state: 'idle' }, v86: { state: 'idle' } };

/** The last run with the largest loop count: the one whose exits and instructions are shown. */
function largest<T extends TimedRun>(runs: readonly T[]): T | undefined {
  return runs.reduce<T | undefined>((best, r) => (best === undefined || r.iterations >= best.iterations ? r : best), undefined);
}

/** A bridge `micro-run-result` as a measurement. */
export function fromBridgeResult(result: MicroRunResultMessage): EngineMeasurement {
  const runs = result.runs.map((r) => ({ iterations: r.iterations ?? 0, microseconds: r.microseconds }));
  return { engine: result.engine, runs, nsPerIteration: result.nsPerIteration, exits: result.exits, instructions: null };
}

/** v86's timing as a measurement: no exits, and the instructions v86 counted. */
export function fromV86Timing(timing: V86Timing): EngineMeasurement {
  return {
    engine: 'v86',
    runs: timing.runs.map((r) => ({ iterations: r.iterations, microseconds: r.microseconds })),
    nsPerIteration: timing.nsPerIteration,
    exits: null,
    instructions: largest(timing.runs)?.instructions ?? null,
  };
}

/** A bridge refusal or a lost connection, in the page's language. */
export function bridgeFailureText(outcome: Exclude<BridgeMicroOutcome, { ok: true }>, text: KvmLabText, locale: Locale): string {
  if (outcome.key === null) return fill(text['kvm.compare.lost'], { code: outcome.closeCode ?? '?' });
  return formatMessage(outcome.key, locale, outcome.params);
}

/**
 * A factor above 1 with two significant digits, or as many more as it takes not to print 1.
 * @example formatFactor(248.6, 'id') // '250'
 * @example formatFactor(1.004, 'en') // '1.004'
 */
export function formatFactor(factor: number, locale: Locale): string {
  const digits = factor >= 1.05 ? 2 : Math.min(21, 2 + Math.ceil(-Math.log10(factor - 1)));
  return new Intl.NumberFormat(intlTag(locale), { maximumSignificantDigits: digits }).format(factor);
}

/**
 * How fast an engine ran the loop next to a reference engine, from their times per iteration, in
 * words that cannot be read backwards: "250× faster" (its time is 250 times shorter), "3.1× slower",
 * "as fast" only for equal times. Null when either time is missing or not positive.
 * @example relativeSpeed(46.7, 7000, kvmLabText('en'), 'en') // '150× faster'
 * @example relativeSpeed(150, 46.7, kvmLabText('id'), 'id') // '3,2× lebih lambat'
 */
export function relativeSpeed(ns: number | null, referenceNs: number | null, text: KvmLabText, locale: Locale): string | null {
  if (
    ns === null ||
    referenceNs === null ||
    !(ns > 0) ||
    !(referenceNs > 0) ||
    !Number.isFinite(ns) ||
    !Number.isFinite(referenceNs)
  )
    return null;
  if (ns === referenceNs) return text['kvm.compare.same'];
  const faster = ns < referenceNs;
  const factor = faster ? referenceNs / ns : ns / referenceNs;
  return fill(text[faster ? 'kvm.compare.faster' : 'kvm.compare.slower'], { ratio: formatFactor(factor, locale) });
}

export interface CompareColumn {
  id: CompareEngine;
  heading: string;
  state: ShownState;
}

export interface CompareRow {
  id: 'time' | 'ratio' | 'exits' | 'note';
  label: string;
  /** One cell per column, in {@link COMPARE_ENGINES} order. */
  cells: string[];
}

export interface CompareView {
  columns: CompareColumn[];
  rows: CompareRow[];
}

/** The first engine with a time per iteration, the others compared with it; null with fewer than two. */
function referenceEngine(states: CompareStates): CompareEngine | null {
  const timed = COMPARE_ENGINES.filter((id) => {
    const s = states[id];
    return s.state === 'done' && s.measurement.nsPerIteration !== null && s.measurement.nsPerIteration > 0;
  });
  return timed.length >= 2 ? (timed[0] ?? null) : null;
}

/**
 * The table: one column per engine, rows time per iteration, speed next to the reference engine
 * (KVM when it ran), exits, what was measured. `connected` is whether a bridge is connected now: a
 * column skipped for want of one says so only while there is none, so connecting clears it.
 * @example compareView({ kvm: done, tcg: done, v86: done }, text, 'en', true).rows[0].cells // ['6,912 ns', '47 ns', '152 ns']
 */
export function compareView(states: CompareStates, text: KvmLabText, locale: Locale, connected: boolean): CompareView {
  const shown = (id: CompareEngine): Exclude<ColumnState, { state: 'no-bridge' }> => {
    const s = states[id];
    if (s.state !== 'no-bridge') return s;
    return connected ? { state: 'idle' } : { state: 'unavailable', reason: text['kvm.compare.notConnected'] };
  };
  const reference = referenceEngine(states);
  const referenceNs = reference && states[reference].state === 'done' ? states[reference].measurement.nsPerIteration : null;
  const cell = (id: CompareEngine, row: CompareRow['id']): string => {
    const s = shown(id);
    if (s.state !== 'done') {
      if (row === 'time') return text[`kvm.compare.state.${s.state}`];
      return row === 'note' && s.state === 'unavailable' ? s.reason : text['kvm.compare.state.idle'];
    }
    const m = s.measurement;
    const high = largest(m.runs);
    switch (row) {
      case 'time':
        if (m.nsPerIteration === null) return text['kvm.compare.state.idle'];
        // The long runs took no longer than the short ones: the host's noise swamped the difference.
        if (m.nsPerIteration <= 0) return text['kvm.compare.noisy'];
        return fill(text['kvm.compare.ns'], {
          ns: formatNumber(m.nsPerIteration, locale, m.nsPerIteration < 100 ? 1 : 0),
        });
      case 'ratio':
        if (id === reference) return text['kvm.compare.reference'];
        return relativeSpeed(m.nsPerIteration, referenceNs, text, locale) ?? text['kvm.compare.state.idle'];
      case 'exits':
        if (!m.exits) return text['kvm.compare.exits.none'];
        return fill(text['kvm.compare.exits.kvm'], {
          total: formatNumber(m.exits.total, locale),
          iterations: formatNumber(high?.iterations ?? 0, locale),
          counts: Object.entries(m.exits.counts)
            .map(([reason, n]) => `${reason} ${formatNumber(n, locale)}`)
            .join(', '),
          perExit: formatNumber(m.exits.microsecondsPerExit, locale, 2),
        });
      case 'note':
        if (id === 'v86')
          return fill(text['kvm.compare.note.v86'], {
            instructions: formatNumber(m.instructions ?? 0, locale),
            iterations: formatNumber(high?.iterations ?? 0, locale),
          });
        return fill(text[`kvm.compare.note.${id}`], { engine: m.engine });
    }
  };
  const rowIds: CompareRow['id'][] = ['time', 'ratio', 'exits', 'note'];
  const label = (id: CompareRow['id']): string =>
    id === 'ratio'
      ? fill(text['kvm.compare.row.ratio'], { engine: text[`kvm.compare.col.${reference ?? 'kvm'}`] })
      : text[`kvm.compare.row.${id}`];
  return {
    columns: COMPARE_ENGINES.map((id) => ({ id, heading: text[`kvm.compare.col.${id}`], state: shown(id).state })),
    rows: rowIds.map((id) => ({ id, label: label(id), cells: COMPARE_ENGINES.map((e) => cell(e, id)) })),
  };
}

/** How each engine runs the program; `bridge` is null when no bridge is connected. */
export interface CompareRunners {
  bridge: ((accel: 'kvm' | 'tcg') => Promise<BridgeMicroOutcome>) | null;
  v86: () => Promise<V86Timing>;
}

/**
 * Runs the three columns one after another (KVM, TCG, then v86), reporting every change of state.
 * A column that cannot run says why; the others still run.
 */
export async function runComparison(
  runners: CompareRunners,
  text: KvmLabText,
  locale: Locale,
  onChange: (states: CompareStates, running: CompareEngine | null) => void,
): Promise<CompareStates> {
  const skipped: ColumnState = { state: 'no-bridge' };
  let states: CompareStates = {
    kvm: runners.bridge ? { state: 'waiting' } : skipped,
    tcg: runners.bridge ? { state: 'waiting' } : skipped,
    v86: { state: 'waiting' },
  };
  const set = (id: CompareEngine, state: ColumnState, running: CompareEngine | null): void => {
    states = { ...states, [id]: state };
    onChange(states, running);
  };
  onChange(states, null);
  const { bridge } = runners;
  if (bridge) {
    for (const accel of ['kvm', 'tcg'] as const) {
      set(accel, { state: 'running' }, accel);
      const outcome = await bridge(accel);
      set(
        accel,
        outcome.ok
          ? { state: 'done', measurement: fromBridgeResult(outcome.result) }
          : { state: 'unavailable', reason: bridgeFailureText(outcome, text, locale) },
        null,
      );
    }
  }
  set('v86', { state: 'running' }, 'v86');
  try {
    set('v86', { state: 'done', measurement: fromV86Timing(await runners.v86()) }, null);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    set('v86', { state: 'unavailable', reason: fill(text['kvm.compare.v86Failed'], { detail }) }, null);
  }
  return states;
}
