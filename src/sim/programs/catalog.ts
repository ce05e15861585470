import { assembleOrThrow } from '../asm/assemble.ts';
import type { Program } from '../machine/program.ts';
import {
  cpuBoundSource,
  forkSource,
  ioHeavySource,
  osMixSource,
  popfFlawSource,
  privilegedHeavySource,
  syscallHeavySource,
  tinyKernelSource,
} from './sources.ts';

/** Identifiers of the example guests. */
export type GuestId =
  'tiny-kernel' | 'os-mix' | 'cpu-bound' | 'io-heavy' | 'privileged-heavy' | 'syscall-heavy' | 'fork' | 'popf-flaw';

/**
 * A realistic timer: about one tick per million instructions (1,000 Hz on a CPU
 * retiring a billion instructions a second). Only the demos about interrupts
 * (tiny-kernel, popf-flaw) tick faster, and say so in their listing.
 */
export const REALISTIC_TIMER_PERIOD = 1_000_000;

/** Size knobs; each guest uses the ones that apply. */
export interface GuestSize {
  /** Loop iterations (time slices in os-mix, forks in fork). */
  readonly iterations?: number;
  /** Packets to send (io-heavy). */
  readonly packets?: number;
  /** Words per packet (io-heavy). */
  readonly wordsPerPacket?: number;
  /** Timer period in instructions. */
  readonly timerPeriod?: number;
}

/**
 * An example guest: its source and the assembled program. What it shows, in words, is the
 * simulator feature's (src/features/simulator/program-strings.ts), so the model has no language.
 */
export interface GuestProgram {
  readonly id: GuestId;
  readonly source: string;
  readonly program: Program;
  /**
   * False only for a guest that depends on POPF restoring IF in its kernel: on the
   * classic machine, trap-and-emulate then diverges from native.
   */
  readonly avoidsFlaw: boolean;
}

interface GuestSpec {
  readonly avoidsFlaw: boolean;
  readonly defaults: Required<GuestSize>;
  readonly source: (size: Required<GuestSize>) => string;
}

const SPECS: Readonly<Record<GuestId, GuestSpec>> = {
  'tiny-kernel': {
    avoidsFlaw: true,
    defaults: { iterations: 2000, packets: 0, wordsPerPacket: 0, timerPeriod: 500 },
    source: (z) => tinyKernelSource(z),
  },
  'os-mix': {
    avoidsFlaw: true,
    defaults: { iterations: 300, packets: 0, wordsPerPacket: 0, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => osMixSource(z),
  },
  'cpu-bound': {
    avoidsFlaw: true,
    defaults: { iterations: 100_000, packets: 0, wordsPerPacket: 0, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => cpuBoundSource(z),
  },
  'io-heavy': {
    avoidsFlaw: true,
    defaults: { iterations: 0, packets: 200, wordsPerPacket: 32, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => ioHeavySource(z),
  },
  'privileged-heavy': {
    avoidsFlaw: true,
    defaults: { iterations: 5000, packets: 0, wordsPerPacket: 0, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => privilegedHeavySource(z),
  },
  'syscall-heavy': {
    avoidsFlaw: true,
    defaults: { iterations: 5000, packets: 0, wordsPerPacket: 0, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => syscallHeavySource(z),
  },
  fork: {
    avoidsFlaw: true,
    defaults: { iterations: 200, packets: 0, wordsPerPacket: 0, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => forkSource(z),
  },
  'popf-flaw': {
    avoidsFlaw: false,
    defaults: { iterations: 300, packets: 0, wordsPerPacket: 0, timerPeriod: 50 },
    source: (z) => popfFlawSource(z),
  },
};

/** All guest ids, in the order lessons introduce them. */
export const GUEST_IDS: readonly GuestId[] = [
  'tiny-kernel',
  'os-mix',
  'cpu-bound',
  'io-heavy',
  'privileged-heavy',
  'syscall-heavy',
  'fork',
  'popf-flaw',
];

/**
 * An example guest, assembled, with optional size overrides.
 *
 * @example
 * const g = guest('cpu-bound', { iterations: 1_000_000 });
 * g.program.length // instructions in the listing
 */
export function guest(id: GuestId, size: GuestSize = {}): GuestProgram {
  const spec = SPECS[id];
  const resolved: Required<GuestSize> = { ...spec.defaults, ...size };
  const source = spec.source(resolved);
  return {
    id,
    source,
    program: assembleOrThrow(source),
    avoidsFlaw: spec.avoidsFlaw,
  };
}
