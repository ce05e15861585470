import { deliverTimerInterrupt } from '../../machine/cpu.ts';
import { EXIT_HALT, EXIT_TRAP } from '../../machine/execute.ts';
import { trapPrivileged } from '../../machine/hardware.ts';
import { MODE_USER, OP_END } from '../../machine/isa.ts';
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
  scheduleEmulation(s, s.costs.monitorEmulation + (isIo(op) ? s.costs.deviceEmulation : 0));
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
 */
export const trapAndEmulateEngine: Engine = {
  run(s, hard, soft, trace) {
    return runPendingEmulation(s, trace) ?? runDirect(s, Math.min(hard, soft), trace, s.costs.nativeInstruction, 'guest');
  },
  exit(s, exit, trace) {
    if (exit === EXIT_TRAP) {
      monitorTrap(s, trace);
    } else if (exit === EXIT_HALT) {
      if (idle(s, trace)) hostTimerTick(s, trace);
    } else {
      reflectGuestEvent(s, exit, trace, s.costs.trapRoundTrip);
    }
  },
  tick: hostTimerTick,
  interrupt(s, trace) {
    injectTimer(s, trace, s.costs.injectVirtual);
  },
};
