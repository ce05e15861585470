import { execute, type ExitCode } from '../../machine/execute.ts';
import { charge, guestLane } from '../account.ts';
import type { Session, TraceEvent, TraceKind } from '../types.ts';

/**
 * One execution strategy, as four hooks the shared driver calls. Engines are
 * stateless; everything they change lives in the {@link Session}.
 */
export interface Engine {
  /**
   * Runs guest code. Must stop before the next timer tick (`hard` instructions)
   * and should stop after `soft` (the caller's budget; block-based engines may
   * finish the current block). Charges the cycles of what it ran.
   */
  run(s: Session, hard: number, soft: number, trace: TraceEvent[] | null): ExitCode;
  /** Handles the exit `run` returned: traps, exits, hypercalls, halts. */
  exit(s: Session, exit: ExitCode, trace: TraceEvent[] | null): void;
  /** The guest's timer fired. */
  tick(s: Session, trace: TraceEvent[] | null): void;
  /** A timer interrupt is pending and the guest has IF set: deliver it. */
  interrupt(s: Session, trace: TraceEvent[] | null): void;
}

/**
 * Runs the guest directly under `s.ctx` (native, deprivileged, non-root...),
 * charging `perInstruction` cycles each. When tracing, runs one instruction at a
 * time so every instruction gets its own event.
 */
export function runDirect(
  s: Session,
  fuel: number,
  trace: TraceEvent[] | null,
  perInstruction: number,
  kind: TraceKind,
): ExitCode {
  const cpu = s.cpu;
  if (trace === null) {
    const before = cpu.retired;
    const exit = execute(cpu, fuel, s.ctx, s.program.code);
    const n = cpu.retired - before;
    s.counters.cycles += n * perInstruction;
    s.counters.cyclesBy.guest += n * perInstruction;
    return exit;
  }
  const pc = cpu.pc;
  const lane = guestLane(cpu.mode);
  const before = cpu.retired;
  const exit = execute(cpu, 1, s.ctx, s.program.code);
  if (cpu.retired > before) charge(s, trace, 'guest', perInstruction, kind, lane, pc);
  return exit;
}

/** Schedules the instruction at pc to be executed next by the monitor (or PV replacement code). */
export function scheduleEmulation(s: Session, cycles: number, kind: TraceKind = 'emulate'): void {
  s.pendingEmulation = cycles;
  s.pendingKind = kind;
}

/**
 * If the monitor owes the guest the instruction at pc (it trapped and must be
 * emulated), executes it on the virtual CPU with bare-machine semantics and
 * returns the exit; otherwise returns undefined.
 */
export function runPendingEmulation(s: Session, trace: TraceEvent[] | null): ExitCode | undefined {
  if (s.pendingEmulation < 0) return undefined;
  const cycles = s.pendingEmulation;
  const kind = s.pendingKind;
  s.pendingEmulation = -1;
  if (kind === 'emulate') {
    charge(s, trace, 'monitor', cycles, kind, 'monitor', s.cpu.pc);
    s.counters.emulated++;
  } else {
    // Paravirtual replacement code runs in the guest itself (ring append, shared-info write).
    charge(s, trace, 'guest', cycles, kind, guestLane(s.cpu.mode), s.cpu.pc);
  }
  return execute(s.cpu, 1, s.nativeCtx, s.hypervisorCode);
}
