/**
 * "Look here": the one thing that mattered in the last step, run or slider move of each
 * simulator, as one short sentence derived from the model's results (shown in a polite
 * live region next to the controls).
 */
import { fill } from '../../i18n/fill';
import { formatNumber } from '../../i18n/format';
import type { Locale } from '../../i18n/locale';
import type { TraceEvent, TraceKind } from '../../sim/strategies/index.ts';
import type { AccessResult } from '../../sim/memory/index.ts';
import type { DensityResult } from '../../sim/density/index.ts';
import type { CpuSnapshot } from './cpu-controller';
import type { MemorySnapshot } from './memory-controller';
import type { OvercommitSummary } from './overcommit-view';
import { formatMiB } from './format';
import type { SimText } from './strings';

/** Event kinds in the order they matter to a student: the first present names the step. */
const CPU_PRIORITY: readonly TraceKind[] = [
  'exit',
  'trap',
  'hypercall',
  'interrupt',
  'ring',
  'shared-info',
  'translate',
  'cache-hit',
  'idle',
  'interpret',
  'translated',
  'guest',
];

type CpuLookKind = 'exit' | 'trap' | 'hypercall' | 'interrupt' | 'ring' | 'shared-info' | 'translate' | 'cache-hit' | 'idle';

/**
 * What the CPU simulator's last step did that matters: a VM exit or trap (and why), a
 * hypercall, or an instruction that ran directly on the CPU; a new difference from the
 * native reference (lesson 5's POPF) outranks everything.
 *
 * @example
 * cpuLook({ status: 'paused', lastStep: [{ kind: 'exit', text: 'OUT 0x10, r1', reason: 'io-instruction', … }], … }, text)
 * // 'VM exit: OUT 0x10, r1 (instruksi I/O) → hypervisor mengemulasikannya.'
 */
export function cpuLook(
  snap: Pick<CpuSnapshot, 'status' | 'lastStep' | 'stop' | 'reference' | 'counters'>,
  text: SimText<'cpu' | 'reason' | 'status'>,
): string {
  if (snap.status === 'invalid') return text['status.invalid'];
  if (snap.status === 'running') return text['cpu.look.running'];
  const events = snap.lastStep;
  if (events === null) return snap.status === 'ready' ? text['cpu.look.start'] : text['cpu.look.paused'];
  const divergence = snap.reference?.divergence;
  if (divergence && divergence.atInstruction === snap.counters.instructions && divergence.afterText !== '') {
    return fill(text['cpu.look.diverged'], { text: divergence.afterText, fields: divergence.fields.join(', ') });
  }
  const event = firstOf(events);
  if (event === undefined) return snap.stop === 'running' ? text['cpu.look.paused'] : text[`cpu.stopped.${snap.stop}`];
  const reason = event.reason === undefined ? '' : text[`reason.${event.reason}`];
  switch (event.kind) {
    case 'guest':
      return fill(text['cpu.look.direct'], { text: event.text });
    case 'translated':
      return fill(text['cpu.look.translated'], { text: event.text });
    case 'interpret':
      return fill(text['cpu.look.interpret'], { text: event.text });
    default: {
      const key: `cpu.look.${CpuLookKind}` = `cpu.look.${event.kind as CpuLookKind}`;
      return fill(text[key], { text: event.text, reason, n: event.blockLength ?? 1 });
    }
  }
}

function firstOf(events: readonly TraceEvent[]): TraceEvent | undefined {
  for (const kind of CPU_PRIORITY) {
    const hit = events.find((e) => e.kind === kind);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Which level of the memory walk the last step highlighted, and why it is read.
 *
 * @example
 * memoryLook(nestedSnapAfter3Steps, text) // 'Tabel host (EPT) tingkat 3 dari 4: menerjemahkan alamat tabel guest tingkat 1 …'
 */
export function memoryLook(
  snap: Pick<MemorySnapshot, 'status' | 'access' | 'result' | 'revealed' | 'walkRevealed' | 'config'>,
  text: SimText<'mem' | 'status'>,
): string {
  if (snap.status === 'running') return text['status.running'];
  const result: AccessResult | null = snap.result;
  if (snap.access === null || result === null) return text['mem.look.start'];
  if (result.references.length === 0) {
    return result.traps.length > 0 ? text['mem.look.trapOnly'] : text['mem.noWalk'];
  }
  const ref = result.references[Math.max(0, snap.revealed - 1)];
  if (ref === undefined) return text['mem.noWalk'];
  const { guestLevels, hostLevels, mode } = snap.config;
  const level = ref.level + 1;
  switch (ref.kind) {
    case 'data':
      return result.tlbHit && snap.walkRevealed === 0
        ? text['mem.look.tlbHit']
        : fill(text['mem.look.data'], { n: snap.walkRevealed });
    case 'shadow-table':
      return fill(text['mem.look.shadow'], { level, levels: guestLevels });
    case 'host-table': {
      const g = ref.forGuestLevel ?? guestLevels;
      return g >= guestLevels
        ? fill(text['mem.look.hostData'], { level, levels: hostLevels })
        : fill(text['mem.look.host'], { level, levels: hostLevels, g: g + 1 });
    }
    case 'guest-table':
      return fill(text[mode === 'nested' ? 'mem.look.guestNested' : 'mem.look.table'], { level, levels: guestLevels });
  }
}

/** The overcommit results a slider can move, with how each is written and how big a change is. */
const OC_FIGURES = [
  { key: 'peakStealPercent', label: 'oc.peakSteal', unit: 'percent' },
  { key: 'peakSwappedMiB', label: 'oc.peakSwapped', unit: 'mib' },
  { key: 'meanProgressPercent', label: 'oc.progress', unit: 'percent' },
  { key: 'peakNeededMiB', label: 'oc.peakNeeded', unit: 'mib' },
  { key: 'peakBalloonMiB', label: 'oc.peakBalloon', unit: 'mib' },
  { key: 'peakSharedMiB', label: 'oc.peakShared', unit: 'mib' },
  { key: 'usableMiB', label: 'oc.usable', unit: 'mib' },
] as const satisfies readonly { key: keyof OvercommitSummary; label: string; unit: 'percent' | 'mib' }[];

/**
 * The overcommit result that moved most after a change (percent points against 100,
 * memory against the host's usable RAM), with its old and new value.
 *
 * @example
 * overcommitLook(before, { ...before, peakStealPercent: 12.8 }, text, 'id') // 'Steal time tertinggi: 4,2% → 12,8%'
 */
export function overcommitLook(
  before: OvercommitSummary | null,
  after: OvercommitSummary,
  text: SimText<'oc'>,
  locale: Locale,
): string {
  if (before === null) return text['oc.look.start'];
  const scale = Math.max(1, before.usableMiB, after.usableMiB);
  let best: { figure: (typeof OC_FIGURES)[number]; size: number } | null = null;
  for (const figure of OC_FIGURES) {
    const delta = Math.abs(after[figure.key] - before[figure.key]);
    const size = figure.unit === 'percent' ? delta / 100 : delta / scale;
    // Smaller than what the page shows (0.1 % or 1 MiB) is no change to a student.
    const visible = figure.unit === 'percent' ? delta >= 0.05 : delta >= 0.5;
    if (visible && (best === null || size > best.size)) best = { figure, size };
  }
  if (best === null) return text['oc.look.same'];
  const show = (v: number) => (best.figure.unit === 'percent' ? `${formatNumber(v, locale, 1)}%` : formatMiB(v, locale));
  return fill(text['oc.look.changed'], {
    figure: text[best.figure.label],
    from: show(before[best.figure.key]),
    to: show(after[best.figure.key]),
  });
}

/**
 * How many VMs and containers fit now compared with before the change.
 *
 * @example
 * densityLook({ vm: { maxInstances: 10 }, container: { maxInstances: 80 } }, { vm: { maxInstances: 12 }, container: … }, text, 'en')
 * // 'VMs that fit: 10 → 12'
 */
export function densityLook(
  before: { readonly vm: DensityResult; readonly container: DensityResult } | null,
  after: { readonly vm: DensityResult; readonly container: DensityResult },
  text: SimText<'den'>,
  locale: Locale,
): string {
  if (before === null) return text['den.look.start'];
  const parts = (['vm', 'container'] as const)
    .filter((k) => before[k].maxInstances !== after[k].maxInstances)
    .map((k) =>
      fill(text[`den.look.${k}`], {
        from: formatNumber(before[k].maxInstances, locale),
        to: formatNumber(after[k].maxInstances, locale),
      }),
    );
  return parts.length === 0 ? text['den.look.same'] : parts.join(' · ');
}
