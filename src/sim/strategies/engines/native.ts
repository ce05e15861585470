import { deliverTimerInterrupt, STOP_END } from '../../machine/cpu.ts';
import { EXIT_END, EXIT_FAULT, EXIT_HALT, EXIT_SYSCALL, EXIT_TRAP, EXIT_VMCALL, type ExitCode } from '../../machine/execute.ts';
import { haltUntilInterrupt, trapIllegal, trapMemory, trapPrivileged, trapSyscall } from '../../machine/hardware.ts';
import { MODE_USER, OP_DI, OP_EI, OP_END, OP_IN, OP_IRET, OP_LPTB, OP_OUT, OP_VIRET } from '../../machine/isa.ts';
import { charge } from '../account.ts';
import type { CostModel } from '../costs.ts';
import type { Lane, Session, TraceEvent } from '../types.ts';
import { runDirect, runPendingEmulation, scheduleEmulation, type Engine } from './engine.ts';

/**
 * What `op` costs when the real CPU executes it: device access, CLI/STI, IRET and
 * CR3 loads are dearer than an ordinary instruction (see `CostModel`).
 *
 * @example
 * nativeCostOf(DEFAULT_COSTS, OP_IN) // 3200: a real device port [AA06]
 */
export function nativeCostOf(costs: CostModel, op: number): number {
  switch (op) {
    case OP_IN:
    case OP_OUT:
      return costs.nativeDeviceAccess;
    case OP_DI:
    case OP_EI:
      return costs.nativeInterruptFlag;
    case OP_IRET:
    case OP_VIRET:
      return costs.nativeIret;
    case OP_LPTB:
      return costs.nativePtbLoad;
    default:
      return costs.nativeInstruction;
  }
}

/** A kernel-mode instruction with a native cost stopped the interpreter: the CPU runs it at that cost. */
export function runOnCpu(s: Session): void {
  scheduleEmulation(s, nativeCostOf(s.costs, s.program.code[s.cpu.pc * 4] ?? OP_END), 'guest');
}

/**
 * Shared by the native and emulation engines: the guest's own kernel receives
 * every trap, as on real hardware; only the costs differ.
 */
export function bareMetalExit(s: Session, exit: ExitCode, trace: TraceEvent[] | null, trapCost: number, lane: Lane): void {
  const cpu = s.cpu;
  const { code, length } = s.program;
  switch (exit) {
    case EXIT_TRAP:
      s.counters.traps.fault++;
      charge(s, trace, 'transition', trapCost, 'trap', lane, cpu.pc, { reason: 'fault' });
      trapPrivileged(cpu, length);
      return;
    case EXIT_SYSCALL:
      s.counters.traps.syscall++;
      charge(s, trace, 'transition', trapCost, 'trap', lane, cpu.pc - 1, { reason: 'syscall' });
      trapSyscall(cpu, code, length);
      return;
    case EXIT_VMCALL:
      s.counters.traps.fault++;
      charge(s, trace, 'transition', trapCost, 'trap', lane, cpu.pc - 1, { reason: 'fault' });
      trapIllegal(cpu, length);
      return;
    case EXIT_FAULT:
      s.counters.traps.fault++;
      charge(s, trace, 'transition', trapCost, 'trap', lane, cpu.pc, { reason: 'fault' });
      trapMemory(cpu, length);
      return;
    case EXIT_HALT:
      idle(s, trace);
      return;
    case EXIT_END:
      cpu.stop = STOP_END;
      return;
    default:
      return;
  }
}

/** HLT retired: sleep until the timer (charging idle time) or stop for good. Returns whether a tick woke the CPU. */
export function idle(s: Session, trace: TraceEvent[] | null): boolean {
  const instructions = haltUntilInterrupt(s.cpu);
  if (instructions < 0) return false;
  s.counters.idleInstructionTimes += instructions;
  charge(s, trace, 'idle', instructions * s.costs.nativeInstruction, 'idle', 'hardware', s.cpu.pc, { text: 'HLT' });
  return true;
}

/**
 * Native execution: the baseline. An ordinary instruction costs `nativeInstruction`,
 * device access, CLI/STI, IRET and CR3 loads what the real CPU charges for them;
 * traps and interrupts cost what bare hardware charges.
 */
export const nativeEngine: Engine = {
  run(s, hard, soft, trace) {
    return runPendingEmulation(s, trace) ?? runDirect(s, Math.min(hard, soft), trace, s.costs.nativeInstruction, 'guest');
  },
  exit(s, exit, trace) {
    if (exit === EXIT_TRAP && s.cpu.mode !== MODE_USER) runOnCpu(s);
    else bareMetalExit(s, exit, trace, s.costs.nativeTrap, 'hardware');
  },
  tick() {
    // The timer is real hardware here: nothing to pay until delivery.
  },
  interrupt(s, trace) {
    s.counters.interrupts++;
    s.counters.traps.timer++;
    charge(s, trace, 'transition', s.costs.nativeInterrupt, 'interrupt', 'hardware', s.cpu.pc, { reason: 'timer', text: 'IRQ' });
    deliverTimerInterrupt(s.cpu, s.program.length);
  },
};
