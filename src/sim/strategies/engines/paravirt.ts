import { EXIT_END, EXIT_HALT, EXIT_SYSCALL, EXIT_TRAP } from '../../machine/execute.ts';
import { trapPrivileged, trapSyscall } from '../../machine/hardware.ts';
import {
  MODE_USER,
  OP_DI,
  OP_EI,
  OP_END,
  OP_HLT,
  OP_IN,
  OP_IRET,
  OP_LPTB,
  OP_MFCR,
  OP_MTCR,
  OP_OUT,
  OP_POPF,
  PORT_CONSOLE,
  PORT_NIC,
  PORT_TIMER,
} from '../../machine/isa.ts';
import { charge } from '../account.ts';
import type { Session, TraceEvent } from '../types.ts';
import { runDirect, runPendingEmulation, scheduleEmulation, type Engine } from './engine.ts';
import { idle } from './native.ts';
import { isIo, trapReasonOf } from './reasons.ts';
import { reflectGuestEvent } from './reflect.ts';
import { hostTimerTick, injectTimer } from './trapAndEmulate.ts';

/** Instructions the paravirtualized guest kernel replaced, all of them sensitive. */
export const PV_REPLACED_OPS: readonly number[] = [
  OP_EI,
  OP_DI,
  OP_POPF,
  OP_MFCR,
  OP_MTCR,
  OP_IN,
  OP_OUT,
  OP_HLT,
  OP_LPTB,
  OP_IRET,
];

/** Replacements that touch only the shared-info page (virtual IF, saved trap state): no hypercall. */
const SHARED_INFO_OPS: ReadonlySet<number> = new Set([OP_EI, OP_DI, OP_POPF, OP_MFCR, OP_MTCR]);

/** Sends the queued ring requests to the back end with one notification hypercall. */
export function kickRing(s: Session, trace: TraceEvent[] | null): void {
  if (s.pv.ringPending === 0) return;
  s.pv.ringPending = 0;
  s.counters.hypercalls++;
  charge(s, trace, 'transition', s.costs.hypercall, 'hypercall', 'monitor', s.cpu.pc, { reason: 'io', text: 'notify' });
  charge(s, trace, 'monitor', s.costs.deviceEmulation, 'emulate', 'monitor', s.cpu.pc, { text: 'ring' });
}

function replacedInstruction(s: Session, trace: TraceEvent[] | null): void {
  const cpu = s.cpu;
  const { code } = s.program;
  const op = code[cpu.pc * 4] ?? OP_END;
  const port = code[cpu.pc * 4 + 2] ?? 0;
  // The clock is published in the shared-info page too, so reading it needs no hypercall.
  if (SHARED_INFO_OPS.has(op) || (op === OP_IN && port === PORT_TIMER)) {
    s.counters.sharedInfoAccesses++;
    scheduleEmulation(s, s.costs.sharedInfoUpdate, 'shared-info');
    return;
  }
  if (op === OP_OUT && (port === PORT_CONSOLE || port === PORT_NIC)) {
    s.counters.ringRequests++;
    s.pv.ringPending++;
    scheduleEmulation(s, s.costs.ringAppend, 'ring');
    if (s.pv.ringPending >= s.pv.batchSize) kickRing(s, trace);
    return;
  }
  if (op === OP_HLT) kickRing(s, trace);
  const reason = trapReasonOf(op);
  s.counters.hypercalls++;
  charge(s, trace, 'transition', s.costs.hypercall, 'hypercall', 'monitor', cpu.pc, { reason });
  scheduleEmulation(s, s.costs.monitorEmulation + (isIo(op) ? s.costs.deviceEmulation : 0));
}

/**
 * Paravirtualization (Xen, Barham et al. SOSP 2003): the guest kernel is
 * modified. Instead of privileged instructions it writes the virtual IF and
 * saved trap state in a shared-info page and reads the clock there (no exit),
 * queues console/NIC output in a shared ring notified once per batch, and makes
 * explicit hypercalls for the rest (halt, page-table switch, trap return, timer
 * programming, other input). System calls go straight to the guest kernel's
 * registered fast handler.
 *
 * The simulator runs the original binary and treats each replaced instruction
 * as its paravirtual replacement, so the architectural result stays comparable.
 */
export const paravirtEngine: Engine = {
  run(s, hard, soft, trace) {
    return runPendingEmulation(s, trace) ?? runDirect(s, Math.min(hard, soft), trace, s.costs.nativeInstruction, 'guest');
  },
  exit(s, exit, trace) {
    const cpu = s.cpu;
    if (exit === EXIT_TRAP) {
      if (cpu.mode === MODE_USER) {
        s.counters.traps.fault++;
        charge(s, trace, 'transition', s.costs.trapRoundTrip, 'trap', 'monitor', cpu.pc, { reason: 'fault' });
        charge(s, trace, 'monitor', s.costs.injectVirtual, 'reflect', 'monitor', cpu.pc, { reason: 'fault' });
        trapPrivileged(cpu, s.program.length);
      } else {
        replacedInstruction(s, trace);
      }
    } else if (exit === EXIT_SYSCALL) {
      s.counters.traps.syscall++;
      charge(s, trace, 'transition', s.costs.nativeTrap, 'trap', 'hardware', cpu.pc - 1, { reason: 'syscall' });
      trapSyscall(cpu, s.program.code, s.program.length);
    } else if (exit === EXIT_HALT) {
      if (idle(s, trace)) hostTimerTick(s, trace);
    } else {
      if (exit === EXIT_END) kickRing(s, trace);
      reflectGuestEvent(s, exit, trace, s.costs.hypercall);
    }
  },
  tick: hostTimerTick,
  interrupt(s, trace) {
    injectTimer(s, trace, s.costs.eventUpcall);
  },
};
