import { CAUSE_ILLEGAL, CAUSE_MEMORY, CAUSE_PRIVILEGED, CAUSE_SYSCALL, FLAG_IF } from './isa.ts';
import { enterTrap, STOP_END, STOP_HALTED, type CpuState } from './cpu.ts';
import { EXIT_FAULT, EXIT_HALT, EXIT_END, EXIT_SYSCALL, EXIT_TRAP, EXIT_VMCALL, type ExitCode } from './execute.ts';

/**
 * The syscall number of the SYSCALL just retired (pc already points past it).
 *
 * @example
 * // SYSCALL 3 at address 10; after it retired cpu.pc === 11
 * syscallNumber(program.code, 11) // 3
 */
export function syscallNumber(code: Int32Array, pcAfter: number): number {
  return code[(pcAfter - 1) * 4 + 1] ?? 0;
}

/** A privileged instruction at cpu.pc was attempted in user mode: fault into the kernel. */
export function trapPrivileged(cpu: CpuState, codeLength: number): boolean {
  return enterTrap(cpu, CAUSE_PRIVILEGED, cpu.pc, codeLength);
}

/** SYSCALL n retired: enter the kernel with CAUSE = SYSCALL | n << 8, EPC after the SYSCALL. */
export function trapSyscall(cpu: CpuState, code: Int32Array, codeLength: number): boolean {
  const n = syscallNumber(code, cpu.pc);
  return enterTrap(cpu, CAUSE_SYSCALL | (n << 8), cpu.pc, codeLength);
}

/** VMCALL on a machine without a hypervisor: an illegal-instruction trap (EPC after it). */
export function trapIllegal(cpu: CpuState, codeLength: number): boolean {
  return enterTrap(cpu, CAUSE_ILLEGAL, cpu.pc, codeLength);
}

/** The instruction at cpu.pc faulted: enter the kernel with CAUSE = MEMORY, EPC at the instruction. */
export function trapMemory(cpu: CpuState, codeLength: number): boolean {
  return enterTrap(cpu, CAUSE_MEMORY, cpu.pc, codeLength);
}

/**
 * HLT retired. If interrupts are on and the timer runs, the CPU sleeps until the
 * next tick: the timer is fast-forwarded and the tick becomes pending. Returns
 * the instruction-times spent idle, or -1 when nothing can wake the CPU (the
 * machine stops with {@link STOP_HALTED}).
 */
export function haltUntilInterrupt(cpu: CpuState): number {
  if ((cpu.flags & FLAG_IF) === 0 || cpu.timerPeriod === 0) {
    cpu.stop = STOP_HALTED;
    return -1;
  }
  const idle = cpu.timerLeft;
  cpu.ticks++;
  cpu.irqPending = 1;
  cpu.timerLeft = cpu.timerPeriod;
  return idle;
}

/**
 * Applies bare-metal semantics to an interpreter exit (traps vector into the
 * guest's own kernel). Returns idle instruction-times for a HLT, else 0.
 * EXIT_FUEL, EXIT_RESYNC and EXIT_TIMER_SET need nothing.
 */
export function applyHardwareExit(cpu: CpuState, exit: ExitCode, code: Int32Array, codeLength: number): number {
  switch (exit) {
    case EXIT_TRAP:
      trapPrivileged(cpu, codeLength);
      return 0;
    case EXIT_SYSCALL:
      trapSyscall(cpu, code, codeLength);
      return 0;
    case EXIT_VMCALL:
      trapIllegal(cpu, codeLength);
      return 0;
    case EXIT_FAULT:
      trapMemory(cpu, codeLength);
      return 0;
    case EXIT_HALT:
      return Math.max(0, haltUntilInterrupt(cpu));
    case EXIT_END:
      cpu.stop = STOP_END;
      return 0;
    default:
      return 0;
  }
}
