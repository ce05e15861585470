import { EXIT_HALT, EXIT_SYSCALL, EXIT_TRAP } from '../../machine/execute.ts';
import { trapPrivileged, trapSyscall } from '../../machine/hardware.ts';
import { hypercallOperation } from '../../machine/hypercalls.ts';
import {
  MODE_USER,
  OP_HLT,
  OP_RING,
  OP_VCLOCK,
  OP_VDI,
  OP_VEI,
  OP_VMCALL,
  OP_VMFCR,
  OP_VMTCR,
  OP_VPOPF,
} from '../../machine/isa.ts';
import { instructionAt } from '../../machine/program.ts';
import { charge } from '../account.ts';
import type { Session, TraceEvent } from '../types.ts';
import { runDirect, runPendingEmulation, scheduleEmulation, type Engine } from './engine.ts';
import { idle } from './native.ts';
import { isIo, trapReasonOf } from './reasons.ts';
import { reflectGuestEvent } from './reflect.ts';
import { hostTimerTick, injectTimer } from './trapAndEmulate.ts';

/** Paravirtual operations on the shared-info page: the guest does them itself, no exit. */
const SHARED_INFO_OPS: ReadonlySet<number> = new Set([OP_VEI, OP_VDI, OP_VPOPF, OP_VMFCR, OP_VMTCR, OP_VCLOCK]);

/** The back end takes the queued ring requests: one notification (an event-channel hypercall) for the batch. */
function notifyRing(s: Session, trace: TraceEvent[] | null): void {
  s.pv.ringPending = 0;
  s.counters.hypercalls++;
  charge(s, trace, 'transition', s.costs.hypercall, 'hypercall', 'monitor', s.cpu.pc, { reason: 'io', text: 'notify' });
  charge(s, trace, 'monitor', s.costs.deviceEmulation, 'emulate', 'monitor', s.cpu.pc, { text: 'ring' });
}

/** A guest *user* program tried a kernel-only operation: the hypervisor reflects a fault, as hardware would. */
function reflectPrivileged(s: Session, trace: TraceEvent[] | null): void {
  const cpu = s.cpu;
  s.counters.traps.fault++;
  charge(s, trace, 'transition', s.costs.trapRoundTrip, 'trap', 'monitor', cpu.pc, { reason: 'fault' });
  charge(s, trace, 'monitor', s.costs.injectVirtual, 'reflect', 'monitor', cpu.pc, { reason: 'fault' });
  trapPrivileged(cpu, s.program.length);
}

/** The guest kernel's instruction at pc left the interpreter: serve it. */
function serve(s: Session, trace: TraceEvent[] | null): void {
  const cpu = s.cpu;
  const ins = instructionAt(s.program.code, cpu.pc);
  const operation = hypercallOperation(ins);
  if (ins.op === OP_VMCALL && operation === undefined) {
    // No such hypercall: the VMCALL retires and the guest gets an illegal-instruction fault, as on bare metal.
    scheduleEmulation(s, s.costs.nativeInstruction, 'guest');
    return;
  }
  if (cpu.mode === MODE_USER) {
    reflectPrivileged(s, trace);
    return;
  }
  if (SHARED_INFO_OPS.has(ins.op)) {
    s.counters.sharedInfoAccesses++;
    scheduleEmulation(s, s.costs.sharedInfoUpdate, 'shared-info');
    return;
  }
  if (ins.op === OP_RING) {
    s.counters.ringRequests++;
    s.pv.ringPending++;
    scheduleEmulation(s, s.costs.ringAppend, 'ring');
    if (s.pv.ringPending >= s.pv.batchSize) notifyRing(s, trace);
    return;
  }
  if (operation === undefined) {
    // An unmodified privileged instruction in the deprivileged kernel (not in a rewritten guest): a fault.
    reflectPrivileged(s, trace);
    return;
  }
  s.counters.hypercalls++;
  charge(s, trace, 'transition', s.costs.hypercall, 'hypercall', 'monitor', cpu.pc, { reason: trapReasonOf(operation.op) });
  if (operation.op === OP_HLT && s.pv.ringPending > 0) {
    // The guest blocks: the same hypercall hands over what is still queued in the ring.
    s.pv.ringPending = 0;
    charge(s, trace, 'monitor', s.costs.deviceEmulation, 'emulate', 'monitor', cpu.pc, { text: 'ring' });
  }
  scheduleEmulation(s, s.costs.monitorEmulation + (isIo(operation.op) ? s.costs.deviceEmulation : 0));
}

/**
 * Paravirtualization (Xen, Barham et al. SOSP 2003): the guest kernel is
 * modified. The session runs `paravirtualize(program)`: instead of privileged
 * instructions the guest updates the virtual IF and its saved trap state in a
 * shared-info page and reads the clock there (VEI, VDI, VPOPF, VMFCR, VMTCR,
 * VCLOCK: no exit), queues console/NIC output in a shared ring notified once per
 * batch (RING), and makes explicit hypercalls for the rest (`VMCALL BLOCK`,
 * `IRET`, `NEW_BASEPTR`, `SET_TIMER_OP`, `SET_TRAP_TABLE`, `PORT_IN`, `PORT_OUT`).
 * System calls go straight to the guest kernel's registered fast handler.
 */
export const paravirtEngine: Engine = {
  run(s, hard, soft, trace) {
    return runPendingEmulation(s, trace) ?? runDirect(s, Math.min(hard, soft), trace, s.costs.nativeInstruction, 'guest');
  },
  exit(s, exit, trace) {
    const cpu = s.cpu;
    if (exit === EXIT_TRAP) {
      serve(s, trace);
    } else if (exit === EXIT_SYSCALL) {
      s.counters.traps.syscall++;
      charge(s, trace, 'transition', s.costs.nativeTrap, 'trap', 'hardware', cpu.pc - 1, { reason: 'syscall' });
      trapSyscall(cpu, s.program.code, s.program.length);
    } else if (exit === EXIT_HALT) {
      if (idle(s, trace)) hostTimerTick(s, trace);
    } else {
      reflectGuestEvent(s, exit, trace, s.costs.hypercall);
    }
  },
  tick: hostTimerTick,
  interrupt(s, trace) {
    injectTimer(s, trace, s.costs.eventUpcall);
  },
};
