import { STOP_END } from '../../machine/cpu.ts';
import { EXIT_END, EXIT_FAULT, EXIT_SYSCALL, EXIT_VMCALL, type ExitCode } from '../../machine/execute.ts';
import { trapIllegal, trapMemory, trapSyscall } from '../../machine/hardware.ts';
import { charge } from '../account.ts';
import type { Session, TraceEvent } from '../types.ts';

/**
 * Monitor-side handling shared by trap-and-emulate, binary translation and
 * paravirtualization: guest system calls, illegal instructions and faults reach
 * the monitor first, which *reflects* them into the guest kernel's vector.
 * `syscallEntry` is what a guest syscall costs to reach the monitor.
 * Returns false when `exit` is not one of these.
 */
export function reflectGuestEvent(s: Session, exit: ExitCode, trace: TraceEvent[] | null, syscallEntry: number): boolean {
  const cpu = s.cpu;
  const { code, length } = s.program;
  const { costs, counters } = s;
  switch (exit) {
    case EXIT_SYSCALL:
      counters.traps.syscall++;
      charge(s, trace, 'transition', syscallEntry, 'trap', 'monitor', cpu.pc - 1, { reason: 'syscall' });
      charge(s, trace, 'monitor', costs.injectVirtual, 'reflect', 'monitor', cpu.pc - 1, { reason: 'syscall' });
      trapSyscall(cpu, code, length);
      return true;
    case EXIT_VMCALL:
      counters.traps.fault++;
      charge(s, trace, 'transition', syscallEntry, 'trap', 'monitor', cpu.pc - 1, { reason: 'fault' });
      charge(s, trace, 'monitor', costs.injectVirtual, 'reflect', 'monitor', cpu.pc - 1, { reason: 'fault' });
      trapIllegal(cpu, length);
      return true;
    case EXIT_FAULT:
      counters.traps.fault++;
      charge(s, trace, 'transition', costs.trapRoundTrip, 'trap', 'monitor', cpu.pc, { reason: 'fault' });
      charge(s, trace, 'monitor', costs.injectVirtual, 'reflect', 'monitor', cpu.pc, { reason: 'fault' });
      trapMemory(cpu, length);
      return true;
    case EXIT_END:
      cpu.stop = STOP_END;
      return true;
    default:
      return false;
  }
}
