import type { CpuState } from '../machine/cpu.ts';
import type { ExecContext } from '../machine/execute.ts';
import type { MachineVariant } from '../machine/isa.ts';
import type { Program } from '../machine/program.ts';
import type { CostModel } from './costs.ts';
import type { BtState } from './bt/state.ts';

/** The six ways to run a guest, from baseline to hardware assist. */
export type StrategyName =
  'native' | 'emulation' | 'trap-and-emulate' | 'binary-translation' | 'paravirtualization' | 'hardware-assisted';

/** All strategies in teaching order. */
export const STRATEGIES: readonly StrategyName[] = [
  'native',
  'emulation',
  'trap-and-emulate',
  'binary-translation',
  'paravirtualization',
  'hardware-assisted',
];

/**
 * Why control left the guest for the monitor (or, natively, for the guest's own
 * kernel): the instruction class for trapped instructions, else the event.
 */
export type TrapReason =
  'interrupt-flag' | 'io' | 'halt' | 'page-table' | 'trap-return' | 'control-register' | 'syscall' | 'fault' | 'timer';

export const TRAP_REASONS: readonly TrapReason[] = [
  'interrupt-flag',
  'io',
  'halt',
  'page-table',
  'trap-return',
  'control-register',
  'syscall',
  'fault',
  'timer',
];

/**
 * VM exit reasons of the hardware-assisted strategy, named after and numbered
 * like Intel's basic exit reasons (SDM Vol. 3C, Appendix C).
 */
export type ExitReasonName =
  'exception' | 'external-interrupt' | 'interrupt-window' | 'hlt' | 'vmcall' | 'cr-access' | 'io-instruction';

/** Intel basic exit reason numbers for {@link ExitReasonName} ("exception or NMI" is 0). */
export const VMX_EXIT_CODES: Readonly<Record<ExitReasonName, number>> = {
  exception: 0,
  'external-interrupt': 1,
  'interrupt-window': 7,
  hlt: 12,
  vmcall: 18,
  'cr-access': 28,
  'io-instruction': 30,
};

/**
 * Guest exceptions the teaching machine raises, by their x86 vector: a privileged
 * instruction in user mode is a general-protection fault (#GP, 13), a bad memory
 * address a page fault (#PF, 14). SYSCALL is not an exception (VT-x has no exit
 * for it) and VMCALL always exits, so neither has a bit.
 */
export type GuestException = 'general-protection' | 'page-fault';

export const EXCEPTION_VECTORS: Readonly<Record<GuestException, number>> = {
  'general-protection': 13,
  'page-fault': 14,
};

/** Mnemonics of the vectors, as trace text. */
export const EXCEPTION_MNEMONICS: Readonly<Record<GuestException, string>> = {
  'general-protection': '#GP',
  'page-fault': '#PF',
};

/** Exception-bitmap value with the bits of `exceptions` set. */
export function exceptionBitmap(exceptions: Iterable<GuestException>): number {
  let bits = 0;
  for (const e of exceptions) bits |= 1 << EXCEPTION_VECTORS[e];
  return bits;
}

/**
 * VMCS-like execution controls: which events cause a VM exit. Interrupt-window
 * exiting is always used (the monitor needs it to deliver a timer tick that
 * arrived while the guest had interrupts off). `presets.ts` has the settings of
 * two CPU generations; the defaults are the modern one.
 */
export interface ExitControls {
  /** HLT exiting: a halting guest gives its CPU back to the host. Default true. */
  readonly hltExiting: boolean;
  /** Unconditional I/O exiting: every IN/OUT exits to the device model. Off: port I/O reaches the real device. Default true. */
  readonly ioExiting: boolean;
  /** CR3-load exiting for LPTB. Shadow paging needs it (it is implied when `nestedPaging` is off). Default false. */
  readonly ptbLoadExiting: boolean;
  /**
   * External-interrupt exiting. On: a host interrupt that arrives while the guest
   * runs exits to the hypervisor, which then injects the guest's virtual interrupt.
   * Off: the interrupt is delivered through the guest's own IDT without an exit —
   * the host never sees it. (Posted interrupts, which let the host keep its own
   * interrupts and still deliver the guest's without an exit, are a separate
   * control the teaching machine does not model.) Default true.
   */
  readonly externalInterruptExiting: boolean;
  /**
   * Exception bitmap: bit n set makes a guest exception with vector n exit
   * (reason 0) instead of going straight to the guest's own handler; the
   * hypervisor then injects it back. Shadow paging needs #PF here (implied when
   * `nestedPaging` is off). Default 0.
   */
  readonly exceptionBitmap: number;
  /**
   * Nested paging (EPT/NPT): the hardware walks the guest's page tables itself. Off
   * means shadow paging: the hypervisor write-protects the guest's page table, so
   * every page-table write exits (a #PF, reason 0), and CR3 loads and page faults
   * exit too. First-generation VT-x had no EPT [AA06]. Default true.
   */
  readonly nestedPaging: boolean;
}

export const DEFAULT_EXIT_CONTROLS: ExitControls = {
  hltExiting: true,
  ioExiting: true,
  ptbLoadExiting: false,
  externalInterruptExiting: true,
  exceptionBitmap: 0,
  nestedPaging: true,
};

/** CR3-load exiting in effect: asked for, or needed by shadow paging. */
export function effectivePtbLoadExiting(c: ExitControls): boolean {
  return c.ptbLoadExiting || !c.nestedPaging;
}

/** The exception bitmap in effect: shadow paging always intercepts #PF. */
export function effectiveExceptionBitmap(c: ExitControls): number {
  return c.nestedPaging ? c.exceptionBitmap : c.exceptionBitmap | (1 << EXCEPTION_VECTORS['page-fault']);
}

/** Where a cycle was spent. Sums to `Counters.cycles`. */
export interface CycleBreakdown {
  /** Guest instructions (direct, interpreted or translated). */
  guest: number;
  /** Monitor/hypervisor work: emulation, reflection, injection, handlers. */
  monitor: number;
  /** Mode switches: traps, VM exits and entries, hypercalls. */
  transition: number;
  /** Binary translation work and translation-cache lookups. */
  translation: number;
  /** CPU idle after HLT, waiting for the timer. */
  idle: number;
}

/** Event counts and simulated time of a run. */
export interface Counters {
  /** Guest instructions retired. */
  instructions: number;
  /** Simulated cycles. */
  cycles: number;
  readonly cyclesBy: CycleBreakdown;
  /** Transfers of control caused by the guest, by reason (natively: into the guest kernel; virtualized: into the monitor). */
  readonly traps: Record<TrapReason, number>;
  /** VM exits by reason (hardware-assisted only). */
  readonly exits: Record<ExitReasonName, number>;
  /** Guest instructions the monitor executed on the guest's behalf. */
  emulated: number;
  /** Blocks translated (binary translation). */
  translations: number;
  /** Guest instructions translated. */
  translatedInstructions: number;
  /** Translation-cache lookups that found a block. */
  cacheHits: number;
  /** Translation-cache lookups that had to translate. */
  cacheMisses: number;
  /** Block-to-block transfers through a chained direct branch (no lookup). */
  chainedTransfers: number;
  /** Sensitive instructions rewritten inline in translated code and executed there. */
  inlineSensitive: number;
  /** Hypercalls (paravirtualization): VMCALLs the hypervisor served, plus I/O-ring notifications. */
  hypercalls: number;
  /** I/O requests queued in shared rings instead of exiting (paravirtualization). */
  ringRequests: number;
  /** Reads and writes of the shared-info page that replace privileged instructions (paravirtualization). */
  sharedInfoAccesses: number;
  /** Timer interrupts delivered into the guest. */
  interrupts: number;
  /** Instruction-times spent halted, waiting for the timer. */
  idleInstructionTimes: number;
}

/** Swimlanes for a timeline view. */
export type Lane = 'guest-user' | 'guest-kernel' | 'monitor' | 'hardware';

/** What a trace event shows. */
export type TraceKind =
  | 'guest'
  | 'interpret'
  | 'translated'
  | 'trap'
  | 'exit'
  | 'emulate'
  | 'reflect'
  | 'translate'
  | 'cache-hit'
  | 'hypercall'
  | 'ring'
  | 'shared-info'
  | 'interrupt'
  | 'idle'
  | 'stop';

/**
 * One event in a step's trace. `at` and `cycles` place it on a time axis;
 * `text` is assembly (language-neutral); `reason` is a key the UI translates.
 *
 * @example
 * { kind: 'trap', lane: 'monitor', pc: 7, at: 1520, cycles: 1500, text: 'DI', reason: 'interrupt-flag' }
 */
export interface TraceEvent {
  readonly kind: TraceKind;
  readonly lane: Lane;
  readonly pc: number;
  readonly at: number;
  readonly cycles: number;
  readonly text: string;
  readonly reason?: TrapReason | ExitReasonName;
  /** Intel basic exit reason number, for `exit` events. */
  readonly exitCode?: number;
  /** Instructions covered, for `translate` and `cache-hit` events. */
  readonly blockLength?: number;
}

/** Paravirtualization bookkeeping. */
export interface PvState {
  /** Requests queued in the I/O ring since the last notification hypercall. */
  ringPending: number;
  /** Requests per notification (the batch size); also page-table updates per `mmu_update` hypercall. */
  readonly batchSize: number;
  /** Page-table updates queued since the last `mmu_update` hypercall. */
  ptPending: number;
}

/**
 * A guest program running under one strategy. Mutable plain data: `run`
 * mutates it in place for speed; `step` works on a copy (see `cloneSession`).
 */
export interface Session {
  readonly strategy: StrategyName;
  readonly variant: MachineVariant;
  /** The program the guest runs: under paravirtualization, the paravirtualized guest. */
  readonly program: Program;
  /** The program as given (before paravirtualization). */
  readonly original: Program;
  /**
   * What the monitor executes when it performs the instruction at pc for the guest:
   * the guest's code, except that each hypercall reads as the operation it asks for.
   */
  readonly hypervisorCode: Int32Array;
  readonly cpu: CpuState;
  readonly costs: CostModel;
  readonly counters: Counters;
  readonly exitControls: ExitControls;
  /** Context the guest runs in under this strategy. */
  readonly ctx: ExecContext;
  /** Bare-machine context, used when the monitor executes an instruction for the guest. */
  readonly nativeCtx: ExecContext;
  /**
   * Cycles still to charge for the instruction at pc, which the monitor (or the
   * paravirtual guest's replacement code) executes next; -1 when none.
   */
  pendingEmulation: number;
  /** How that pending work shows in a trace: `emulate` (monitor), `ring` or `shared-info` (guest). */
  pendingKind: TraceKind;
  /** Hardware assist: interrupt-window exiting armed (a tick waits for IF). */
  windowArmed: boolean;
  readonly pv: PvState;
  readonly bt: BtState;
}
