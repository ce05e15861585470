import { STOP_END } from '../../machine/cpu.ts';
import { EXIT_END, EXIT_FAULT, EXIT_SYSCALL, EXIT_VMCALL, type ExitCode } from '../../machine/execute.ts';
import { trapIllegal, trapMemory, trapSyscall } from '../../machine/hardware.ts';
import { charge } from '../account.ts';
import type { Session, TraceEvent } from '../types.ts';

/**
 * A guest trap reached the monitor (`entry` cycles to get there) and the monitor
 * builds the guest's trap frame and enters its kernel (`injectVirtual` plus
 * `work`). The caller then applies the trap to the virtual CPU.
 */
export function chargeReflection(
  s: Session,
  trace: TraceEvent[] | null,
  pc: number,
  reason: 'syscall' | 'fault',
  entry: number,
  work = 0,
): void {
  s.counters.traps[reason]++;
  charge(s, trace, 'transition', entry, 'trap', 'monitor', pc, { reason });
  charge(s, trace, 'monitor', s.costs.injectVirtual + work, 'reflect', 'monitor', pc, { reason });
}

/**
 * Monitor-side handling shared by trap-and-emulate, binary translation and
 * paravirtualization: guest system calls, illegal instructions and faults reach
 * the monitor first, which *reflects* them into the guest kernel's vector.
 * `entry` is what reaching the monitor costs; `faultWork` is extra monitor work
 * for a fault (under shadow paging: telling a hidden fault from a guest one).
 * Returns false when `exit` is not one of these.
 */
export function reflectGuestEvent(s: Session, exit: ExitCode, trace: TraceEvent[] | null, entry: number, faultWork = 0): boolean {
  const cpu = s.cpu;
  const { code, length } = s.program;
  switch (exit) {
    case EXIT_SYSCALL:
      chargeReflection(s, trace, cpu.pc - 1, 'syscall', entry);
      trapSyscall(cpu, code, length);
      return true;
    case EXIT_VMCALL:
      chargeReflection(s, trace, cpu.pc - 1, 'fault', entry);
      trapIllegal(cpu, length);
      return true;
    case EXIT_FAULT:
      chargeReflection(s, trace, cpu.pc, 'fault', entry, faultWork);
      trapMemory(cpu, length);
      return true;
    case EXIT_END:
      cpu.stop = STOP_END;
      return true;
    default:
      return false;
  }
}
