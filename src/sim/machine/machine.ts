import { advanceTimer, cloneCpu, createCpu, deliverTimerInterrupt, STOP_RUNNING, type CpuState } from './cpu.ts';
import { nativeContext } from './context.ts';
import { disassemble } from './disasm.ts';
import {
  execute,
  EXIT_FAULT,
  EXIT_SYSCALL,
  EXIT_TIMER_SET,
  EXIT_TRAP,
  EXIT_VMCALL,
  type ExecContext,
  type ExitCode,
} from './execute.ts';
import { applyHardwareExit } from './hardware.ts';
import { FLAG_IF, type MachineVariant } from './isa.ts';
import type { Program } from './program.ts';

/** Parameters of a bare machine. */
export interface MachineParams {
  readonly program: Program;
  /** Defaults to `classic` (the machine with the POPF flaw). */
  readonly variant?: MachineVariant;
  readonly memoryWords?: number;
  readonly startInUserMode?: boolean;
}

/** A bare teaching machine running one program (no hypervisor, no costs). */
export interface MachineState {
  readonly program: Program;
  readonly variant: MachineVariant;
  readonly cpu: CpuState;
  readonly ctx: ExecContext;
}

/**
 * A machine reset to run `params.program`.
 *
 * @example
 * const m = init({ program: assembleOrThrow('LI r1, 2\nHLT') });
 * run(m, 100); m.cpu.regs[1] // 2
 */
export function init(params: MachineParams): MachineState {
  const variant = params.variant ?? 'classic';
  return {
    program: params.program,
    variant,
    cpu: createCpu(params.program, {
      ...(params.memoryWords === undefined ? {} : { memoryWords: params.memoryWords }),
      ...(params.startInUserMode === undefined ? {} : { startInUserMode: params.startInUserMode }),
    }),
    ctx: nativeContext(variant),
  };
}

/** Something the bare machine did during a {@link step}. */
export type MachineEvent =
  | { readonly kind: 'instruction'; readonly pc: number; readonly mode: number; readonly text: string }
  | { readonly kind: 'interrupt'; readonly pc: number }
  | { readonly kind: 'trap'; readonly cause: number; readonly epc: number }
  | { readonly kind: 'idle'; readonly instructions: number }
  | { readonly kind: 'stop'; readonly reason: number };

/**
 * Runs until `maxInstructions` more instructions retired or the machine stops.
 * Mutates `state` (the fast path: no events, no allocation per instruction).
 * Returns the number of instructions retired.
 */
export function run(state: MachineState, maxInstructions: number): number {
  const { cpu, program, ctx } = state;
  const start = cpu.retired;
  const target = start + maxInstructions;
  while (cpu.stop === STOP_RUNNING && cpu.retired < target) {
    if (cpu.irqPending && cpu.flags & FLAG_IF) {
      deliverTimerInterrupt(cpu, program.length);
      continue;
    }
    runChunk(cpu, target - cpu.retired, ctx, program);
  }
  return cpu.retired - start;
}

/** Runs one interpreter chunk with bare-metal exit handling; returns the exit and idle time. */
function runChunk(cpu: CpuState, budget: number, ctx: ExecContext, program: Program): [ExitCode, number] {
  const fuel = cpu.timerPeriod > 0 ? Math.min(budget, cpu.timerLeft) : budget;
  const before = cpu.retired;
  const exit = execute(cpu, fuel, ctx, program.code);
  if (exit !== EXIT_TIMER_SET) advanceTimer(cpu, cpu.retired - before);
  return [exit, applyHardwareExit(cpu, exit, program.code, program.length)];
}

/**
 * Executes one instruction (delivering a pending interrupt first) on a copy of
 * the state and says what happened. Pure: `state` is not changed.
 *
 * @example
 * const { state: s1, events } = step(init({ program }));
 * events[0] // { kind: 'instruction', pc: 0, mode: 0, text: 'LI r1, 2' }
 */
export function step(state: MachineState): { state: MachineState; events: MachineEvent[] } {
  const next: MachineState = { ...state, cpu: cloneCpu(state.cpu) };
  const { cpu, program } = next;
  const events: MachineEvent[] = [];
  if (cpu.stop !== STOP_RUNNING) return { state: next, events };
  if (cpu.irqPending && cpu.flags & FLAG_IF) {
    events.push({ kind: 'interrupt', pc: cpu.pc });
    deliverTimerInterrupt(cpu, program.length);
  }
  if (cpu.stop === STOP_RUNNING) {
    const pc = cpu.pc;
    events.push({ kind: 'instruction', pc, mode: cpu.mode, text: disassemble(program.code, pc, program.labels) });
    const [exit, idle] = runChunk(cpu, 1, next.ctx, program);
    if (TRAPPING_EXITS.has(exit) && cpu.stop === STOP_RUNNING) {
      events.push({ kind: 'trap', cause: cpu.cause, epc: cpu.epc });
    }
    if (idle > 0) events.push({ kind: 'idle', instructions: idle });
  }
  if (cpu.stop !== STOP_RUNNING) events.push({ kind: 'stop', reason: cpu.stop });
  return { state: next, events };
}

const TRAPPING_EXITS: ReadonlySet<ExitCode> = new Set([EXIT_TRAP, EXIT_SYSCALL, EXIT_VMCALL, EXIT_FAULT]);
