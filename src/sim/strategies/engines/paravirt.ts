import { EXIT_HALT, EXIT_PT_WRITE, EXIT_SYSCALL, EXIT_TRAP } from '../../machine/execute.ts';
import { trapPrivileged, trapSyscall } from '../../machine/hardware.ts';
import { hypercallOperation } from '../../machine/hypercalls.ts';
import {
  MODE_USER,
  OP_HLT,
  OP_LPTB,
  OP_RING,
  OP_VCLOCK,
  OP_VDI,
  OP_VEI,
  OP_VIRET,
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
import { hostTimerTick, injectTimer, pageTableWriteTrap } from './trapAndEmulate.ts';

/** Paravirtual operations on the shared-info page: the guest does them itself, no exit. */
const SHARED_INFO_OPS: ReadonlySet<number> = new Set([OP_VEI, OP_VDI, OP_VPOPF, OP_VMFCR, OP_VMTCR, OP_VCLOCK]);

/**
 * The back end takes the queued ring requests: one notification (an event-channel
 * hypercall) for the batch; the device model still serves each request.
 */
function notifyRing(s: Session, trace: TraceEvent[] | null): void {
  const requests = s.pv.ringPending;
  s.pv.ringPending = 0;
  s.counters.hypercalls++;
  charge(s, trace, 'transition', s.costs.hypercall, 'hypercall', 'monitor', s.cpu.pc, { reason: 'io', text: 'notify' });
  charge(s, trace, 'monitor', requests * s.costs.deviceEmulation, 'emulate', 'monitor', s.cpu.pc, { text: 'ring' });
}

/**
 * The queued page-table updates go to Xen in one `mmu_update` hypercall, which
 * validates and applies each [Xen03].
 */
function flushPageTableUpdates(s: Session, trace: TraceEvent[] | null): void {
  const updates = s.pv.ptPending;
  if (updates === 0) return;
  s.pv.ptPending = 0;
  s.counters.hypercalls++;
  const pc = s.cpu.pc;
  charge(s, trace, 'transition', s.costs.hypercall, 'hypercall', 'monitor', pc, { reason: 'page-table', text: 'mmu_update' });
  charge(s, trace, 'monitor', updates * s.costs.pageTableValidate, 'emulate', 'monitor', pc, { text: 'mmu_update' });
}

/**
 * A store into the guest's page table, which is read-only to it. The paravirtualized
 * kernel does not write page tables; it queues the update and Xen applies a batch
 * at a time. The rewrite cannot tell which stores hit the page table, so the engine
 * treats such a store as that queued request: it costs the guest a queue entry, and
 * the batch a hypercall when it is full, when the kernel switches page tables and
 * before it returns to its user code.
 */
function queuePageTableUpdate(s: Session, trace: TraceEvent[] | null): void {
  s.pv.ptPending++;
  scheduleEmulation(s, s.costs.ringAppend, 'guest');
  if (s.pv.ptPending >= s.pv.batchSize) flushPageTableUpdates(s, trace);
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
  if (ins.op === OP_VIRET) {
    flushPageTableUpdates(s, trace);
    // Xen's fast path (32-bit Linux's xen_iret): the saved IF goes to the shared-info
    // page and the ring-1 kernel executes IRET itself — x86 lets ring 1 return to
    // ring 3 (or ring 1) without the hypervisor. So a system call never enters Xen:
    // it arrives through the fast trap handler and returns by this direct IRET. An
    // event that is already pending when IF comes back on is delivered as an upcall.
    s.counters.sharedInfoAccesses++;
    scheduleEmulation(s, s.costs.sharedInfoUpdate + s.costs.nativeIret, 'shared-info');
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
  if (operation.op === OP_LPTB) flushPageTableUpdates(s, trace);
  s.counters.hypercalls++;
  charge(s, trace, 'transition', s.costs.hypercall, 'hypercall', 'monitor', cpu.pc, { reason: trapReasonOf(operation.op) });
  if (operation.op === OP_HLT && s.pv.ringPending > 0) {
    // The guest blocks: the same hypercall hands over what is still queued in the ring.
    charge(s, trace, 'monitor', s.pv.ringPending * s.costs.deviceEmulation, 'emulate', 'monitor', cpu.pc, { text: 'ring' });
    s.pv.ringPending = 0;
  }
  const c = s.costs;
  // NEW_BASEPTR: Xen validates and pins the new page table before switching to it.
  scheduleEmulation(
    s,
    c.monitorEmulation + (isIo(operation.op) ? c.deviceEmulation : 0) + (operation.op === OP_LPTB ? c.pageTableSwitch : 0),
  );
}

/**
 * Paravirtualization (Xen, Barham et al. SOSP 2003): the guest kernel is
 * modified. The session runs `paravirtualize(program)`: instead of privileged
 * instructions the guest updates the virtual IF and its saved trap state in a
 * shared-info page and reads the clock there (VEI, VDI, VPOPF, VMFCR, VMTCR,
 * VCLOCK: no exit), returns from traps with a direct IRET (VIRET), queues
 * console/NIC output in a shared ring notified once per batch (RING), and makes
 * explicit hypercalls for the rest (`VMCALL BLOCK`, `NEW_BASEPTR`,
 * `SET_TIMER_OP`, `SET_TRAP_TABLE`, `PORT_IN`, `PORT_OUT`). System calls go
 * straight to the guest kernel's registered fast handler and back: no hypercall.
 * The guest's page tables are read-only to it: updates go to Xen in batches.
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
    } else if (exit === EXIT_PT_WRITE) {
      // From user code (not something a real guest does) the write faults into Xen, which emulates it.
      if (cpu.mode === MODE_USER) pageTableWriteTrap(s, trace, s.costs.trapRoundTrip);
      else queuePageTableUpdate(s, trace);
    } else if (exit === EXIT_HALT) {
      if (idle(s, trace)) hostTimerTick(s, trace);
    } else {
      // Faults (and VMCALLs the ABI lacks) go through Xen, which bounces them to the guest.
      reflectGuestEvent(s, exit, trace, s.costs.trapRoundTrip);
    }
  },
  tick: hostTimerTick,
  interrupt(s, trace) {
    injectTimer(s, trace, s.costs.eventUpcall);
  },
};
