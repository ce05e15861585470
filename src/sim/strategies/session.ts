import { archState, type ArchState } from '../machine/arch.ts';
import { cloneCpu, createCpu, STOP_RUNNING } from '../machine/cpu.ts';
import { disassemble } from '../machine/disasm.ts';
import { deprivilegedContext, nativeContext, privilegedOps, trapTable } from '../machine/context.ts';
import type { ExecContext } from '../machine/execute.ts';
import {
  OP_DI,
  OP_EI,
  OP_HLT,
  OP_IN,
  OP_IRET,
  OP_LPTB,
  OP_OUT,
  OP_VIRET,
  OP_VMCALL,
  OP_VPOPF,
  type MachineVariant,
} from '../machine/isa.ts';
import type { Program } from '../machine/program.ts';
import { hypervisorView, paravirtualize } from '../paravirt/rewrite.ts';
import { cloneBtState, createBtState, DEFAULT_BT_OPTIONS, type Block, type BtOptions } from './bt/state.ts';
import { resolveCosts, type CostModel } from './costs.ts';
import { drive } from './driver.ts';
import {
  DEFAULT_EXIT_CONTROLS,
  TRAP_REASONS,
  type Counters,
  type ExitControls,
  type ExitReasonName,
  type Session,
  type StrategyName,
  type TraceEvent,
  type TrapReason,
} from './types.ts';

/** Parameters for {@link init}. Only `program` and `strategy` are required. */
export interface SessionParams {
  readonly program: Program;
  readonly strategy: StrategyName;
  /** Machine variant; default `classic` (POPF is sensitive but unprivileged). */
  readonly variant?: MachineVariant;
  /** Cost overrides; see `DEFAULT_COSTS`. */
  readonly costs?: Partial<CostModel>;
  /** VMCS exit controls for `hardware-assisted`; see `DEFAULT_EXIT_CONTROLS`. */
  readonly exitControls?: Partial<ExitControls>;
  /** Paravirtualization: I/O ring requests per notification hypercall. Default 16. */
  readonly pvBatchSize?: number;
  /** Binary-translation options; see `DEFAULT_BT_OPTIONS`. */
  readonly bt?: Partial<BtOptions>;
  /** Data memory words (default: the program's `.memory` or 4096). */
  readonly memoryWords?: number;
}

const EXIT_REASON_NAMES: readonly ExitReasonName[] = [
  'exception',
  'external-interrupt',
  'interrupt-window',
  'hlt',
  'vmcall',
  'cr-access',
  'io-instruction',
];

/** All-zero counters. */
export function createCounters(): Counters {
  return {
    instructions: 0,
    cycles: 0,
    cyclesBy: { guest: 0, monitor: 0, transition: 0, translation: 0, idle: 0 },
    traps: Object.fromEntries(TRAP_REASONS.map((r) => [r, 0])) as Record<TrapReason, number>,
    exits: Object.fromEntries(EXIT_REASON_NAMES.map((r) => [r, 0])) as Record<ExitReasonName, number>,
    emulated: 0,
    translations: 0,
    translatedInstructions: 0,
    cacheHits: 0,
    cacheMisses: 0,
    chainedTransfers: 0,
    inlineSensitive: 0,
    hypercalls: 0,
    ringRequests: 0,
    sharedInfoAccesses: 0,
    interrupts: 0,
    idleInstructionTimes: 0,
  };
}

function cloneCounters(c: Counters): Counters {
  return { ...c, cyclesBy: { ...c.cyclesBy }, traps: { ...c.traps }, exits: { ...c.exits } };
}

/**
 * Privileged instructions that cost more than an ordinary one on the real CPU
 * (device access, CLI/STI, IRET, CR3 loads; see `CostModel`). Where they run on the
 * CPU itself (natively, or in VT-x non-root mode) they leave the interpreter so the
 * engine can charge that cost, then run with bare-machine semantics.
 */
export const NATIVE_COSTED_OPS: readonly number[] = [OP_IN, OP_OUT, OP_DI, OP_EI, OP_IRET, OP_LPTB];

/** The execution context each strategy runs the guest in. */
export function contextFor(strategy: StrategyName, variant: MachineVariant, controls: ExitControls): ExecContext {
  const privileged = privilegedOps(variant);
  switch (strategy) {
    case 'native':
      return { ...nativeContext(variant), trapKernel: trapTable(NATIVE_COSTED_OPS) };
    case 'binary-translation':
      // User code runs by direct execution and kernel code as translated blocks, both
      // under the monitor's shadow page tables (which write-protect the guest's).
      return { ...nativeContext(variant), protectPageTable: true };
    case 'emulation':
      return {
        trapUser: trapTable(privileged),
        trapKernel: trapTable([OP_IN, OP_OUT, OP_IRET]),
        deprivileged: false,
        protectPageTable: false,
      };
    case 'trap-and-emulate':
      return { ...deprivilegedContext(variant), protectPageTable: true };
    case 'paravirtualization':
      // The paravirtualized kernel runs deprivileged (Xen: ring 1). Its shared-info and
      // ring operations and its hypercalls leave the interpreter so the engine can
      // account for them; in user mode they fault like the instructions they replace.
      // Its page tables are read-only to it: Xen validates every update.
      return {
        trapUser: trapTable([...privileged, OP_VMCALL]),
        trapKernel: trapTable([...privileged, OP_VPOPF, OP_VIRET, OP_VMCALL]),
        deprivileged: true,
        protectPageTable: true,
      };
    case 'hardware-assisted':
      return {
        trapUser: trapTable(privileged),
        trapKernel: trapTable(controls.hltExiting ? [OP_HLT, ...NATIVE_COSTED_OPS] : NATIVE_COSTED_OPS),
        deprivileged: false,
        protectPageTable: !controls.nestedPaging,
      };
  }
}

/**
 * A guest program ready to run under one strategy.
 *
 * @example
 * const s = init({ program: guest('tiny-kernel').program, strategy: 'trap-and-emulate' });
 * run(s, 100_000);
 * s.counters.traps['interrupt-flag'] // how often EI/DI trapped
 */
export function init(params: SessionParams): Session {
  const variant = params.variant ?? 'classic';
  const exitControls: ExitControls = { ...DEFAULT_EXIT_CONTROLS, ...params.exitControls };
  const btOptions: BtOptions = { ...DEFAULT_BT_OPTIONS, ...params.bt };
  if (!(btOptions.maxBlockLength >= 1)) throw new RangeError('bt.maxBlockLength must be at least 1');
  if (!(btOptions.cacheCapacity >= 1)) throw new RangeError('bt.cacheCapacity must be at least 1');
  const batchSize = params.pvBatchSize ?? 16;
  if (!(batchSize >= 1)) throw new RangeError('pvBatchSize must be at least 1');
  // Paravirtualization runs a modified guest, derived here from the one given.
  const program = params.strategy === 'paravirtualization' ? paravirtualize(params.program) : params.program;
  return {
    strategy: params.strategy,
    variant,
    program,
    original: params.program,
    hypervisorCode: params.strategy === 'paravirtualization' ? hypervisorView(program) : program.code,
    cpu: createCpu(program, params.memoryWords === undefined ? {} : { memoryWords: params.memoryWords }),
    costs: resolveCosts(params.costs),
    counters: createCounters(),
    exitControls,
    ctx: contextFor(params.strategy, variant, exitControls),
    nativeCtx: nativeContext(variant),
    pendingEmulation: -1,
    pendingKind: 'emulate',
    windowArmed: false,
    pv: { ringPending: 0, batchSize, ptPending: 0 },
    bt: createBtState(btOptions),
  };
}

/** A deep copy (translated blocks, being immutable, are shared). */
export function cloneSession(s: Session): Session {
  return {
    ...s,
    cpu: cloneCpu(s.cpu),
    counters: cloneCounters(s.counters),
    pv: { ...s.pv },
    bt: cloneBtState(s.bt),
  };
}

/** What {@link step} should do. */
export interface StepInput {
  /**
   * Instructions to retire (default 1). Binary translation steps a whole
   * translated block (or loop iteration) at a time, since that is its unit.
   */
  readonly instructions?: number;
}

/** A step's new state and what happened, in order. */
export interface StepResult {
  readonly state: Session;
  readonly events: readonly TraceEvent[];
}

/**
 * Advances a copy of `state` by one unit (an instruction, or a block under
 * binary translation) with a full trace: guest instructions, traps and exits
 * with reasons, monitor emulation, translations, hypercalls, interrupts.
 * Pure: `state` is unchanged.
 *
 * @example
 * let s = init({ program, strategy: 'trap-and-emulate' });
 * const { state, events } = step(s);
 * events.map((e) => `${e.lane}: ${e.kind} ${e.text}`) // ['guest-kernel: guest LI r1, 12']
 */
export function step(state: Session, input: StepInput = {}): StepResult {
  const next = cloneSession(state);
  const events: TraceEvent[] = [];
  drive(next, Math.max(1, input.instructions ?? 1), events);
  return { state: next, events };
}

/**
 * The fast path: runs in place, without a trace, until `maxInstructions` more
 * instructions retired or the guest stopped. Returns the instructions retired
 * (binary translation may finish its last block a few instructions past the limit).
 *
 * @example
 * const s = init({ program, strategy: 'binary-translation' });
 * run(s, 10_000_000); s.counters.cacheHits
 */
export function run(state: Session, maxInstructions: number): number {
  return drive(state, maxInstructions, null);
}

/** Runs until the guest stops or `limit` instructions retired; returns the session. */
export function runToCompletion(state: Session, limit = 10_000_000): Session {
  run(state, limit);
  return state;
}

// ---- selectors -------------------------------------------------------------

/** The architectural state (what the guest can observe), for comparing strategies. */
export function architecturalState(s: Session): ArchState {
  return archState(s.cpu);
}

/** Whether the guest has stopped (halted for good, ended, or crashed). */
export function isStopped(s: Session): boolean {
  return s.cpu.stop !== STOP_RUNNING;
}

/** Console output so far. */
export function consoleText(s: Session): string {
  return String.fromCharCode(...s.cpu.console);
}

/** Simulated cycles per guest instruction (0 before anything ran). */
export function cyclesPerInstruction(s: Session): number {
  return s.cpu.retired === 0 ? 0 : s.counters.cycles / s.cpu.retired;
}

/** Simulated cycles relative to another session (e.g. native): the slowdown factor. */
export function slowdown(s: Session, baseline: Session): number {
  return baseline.counters.cycles === 0 ? 0 : s.counters.cycles / baseline.counters.cycles;
}

/**
 * The instruction the guest executes next, for highlighting a listing.
 *
 * @example
 * currentInstruction(s) // { pc: 7, line: 12, mode: 0, text: 'DI' }
 */
export function currentInstruction(s: Session): { pc: number; line: number; mode: number; text: string } {
  const pc = s.cpu.pc;
  return { pc, line: s.program.lines[pc] ?? 0, mode: s.cpu.mode, text: disassemble(s.program.code, pc, s.program.labels) };
}

/** Translated blocks currently cached, in address order (binary translation). */
export function translationCache(s: Session): Block[] {
  return s.bt.cache.filter((b): b is Block => b !== undefined).sort((a, b) => a.key - b.key);
}
