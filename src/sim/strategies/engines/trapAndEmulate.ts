import { deliverTimerInterrupt } from '../../machine/cpu.ts';
import { EXIT_HALT, EXIT_PT_WRITE, EXIT_TRAP } from '../../machine/execute.ts';
import { trapPrivileged } from '../../machine/hardware.ts';
import { MODE_USER, OP_END, OP_LPTB } from '../../machine/isa.ts';
import { charge } from '../account.ts';
import type { Session, TraceEvent } from '../types.ts';
import { runDirect, runPendingEmulation, scheduleEmulation, type Engine } from './engine.ts';
import { idle } from './native.ts';
import { isIo, trapReasonOf } from './reasons.ts';
import { reflectGuestEvent } from './reflect.ts';

/** A privileged instruction trapped into the monitor: emulate it (virtual kernel) or reflect a fault (virtual user). */
export function monitorTrap(s: Session, trace: TraceEvent[] | null): void {
  const cpu = s.cpu;
  const op = s.program.code[cpu.pc * 4] ?? OP_END;
  const reason = trapReasonOf(op);
  s.counters.traps[reason]++;
  charge(s, trace, 'transition', s.costs.trapRoundTrip, 'trap', 'monitor', cpu.pc, { reason });
  if (cpu.mode === MODE_USER) {
    // The guest's *user* code tried it: on real hardware its own kernel would see a fault.
    charge(s, trace, 'monitor', s.costs.injectVirtual, 'reflect', 'monitor', cpu.pc, { reason: 'fault' });
    trapPrivileged(cpu, s.program.length);
    return;
  }
  const c = s.costs;
  // Device access costs the device model; a CR3 load switches shadow page tables.
  scheduleEmulation(s, c.monitorEmulation + (isIo(op) ? c.deviceEmulation : 0) + (op === OP_LPTB ? c.pageTableSwitch : 0));
}

/**
 * A store hit the write-protected page table (shadow paging): it faults into the
 * monitor, which emulates it and updates the shadow entry. `entry` is the cost of
 * getting there and back.
 */
export function pageTableWriteTrap(s: Session, trace: TraceEvent[] | null, entry: number): void {
  s.counters.traps['page-table']++;
  charge(s, trace, 'transition', entry, 'trap', 'monitor', s.cpu.pc, { reason: 'page-table' });
  scheduleEmulation(s, s.costs.monitorEmulation + s.costs.pageTableUpdate);
}

/** A host timer interrupt while the guest runs: the monitor takes it and marks a virtual tick. */
export function hostTimerTick(s: Session, trace: TraceEvent[] | null): void {
  s.counters.traps.timer++;
  charge(s, trace, 'transition', s.costs.hostInterrupt, 'trap', 'monitor', s.cpu.pc, { reason: 'timer', text: 'IRQ' });
}

/** The monitor injects the pending virtual timer interrupt into the guest kernel. */
export function injectTimer(s: Session, trace: TraceEvent[] | null, cycles: number): void {
  s.counters.interrupts++;
  charge(s, trace, 'monitor', cycles, 'interrupt', 'monitor', s.cpu.pc, { reason: 'timer', text: 'IRQ' });
  deliverTimerInterrupt(s.cpu, s.program.length);
}

/**
 * Classic trap-and-emulate (Popek & Goldberg 1974): the guest runs directly but
 * deprivileged — its kernel at user level — so every privileged instruction
 * traps into the monitor, which emulates it on the virtual CPU. On the classic
 * machine POPF does not trap and silently keeps IF: the guest kernel breaks.
 * Memory is virtualized with shadow page tables: page-table writes and guest page
 * faults trap too.
 */
export const trapAndEmulateEngine: Engine = {
  run(s, hard, soft, trace) {
    return runPendingEmulation(s, trace) ?? runDirect(s, Math.min(hard, soft), trace, s.costs.nativeInstruction, 'guest');
  },
  exit(s, exit, trace) {
    if (exit === EXIT_TRAP) {
      monitorTrap(s, trace);
    } else if (exit === EXIT_PT_WRITE) {
      pageTableWriteTrap(s, trace, s.costs.trapRoundTrip);
    } else if (exit === EXIT_HALT) {
      if (idle(s, trace)) hostTimerTick(s, trace);
    } else {
      reflectGuestEvent(s, exit, trace, s.costs.trapRoundTrip, s.costs.shadowPageFault);
    }
  },
  tick: hostTimerTick,
  interrupt(s, trace) {
    injectTimer(s, trace, s.costs.injectVirtual);
  },
};
