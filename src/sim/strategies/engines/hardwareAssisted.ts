import { deliverTimerInterrupt } from '../../machine/cpu.ts';
import {
  EXIT_FAULT,
  EXIT_HALT,
  EXIT_PT_WRITE,
  EXIT_RESYNC,
  EXIT_SYSCALL,
  EXIT_TRAP,
  EXIT_VMCALL,
} from '../../machine/execute.ts';
import { trapIllegal, trapMemory, trapPrivileged } from '../../machine/hardware.ts';
import { FLAG_IF, MODE_USER, OP_END, OP_HLT, OP_IN, OP_LPTB, OP_OUT } from '../../machine/isa.ts';
import { charge } from '../account.ts';
import {
  effectiveExceptionBitmap,
  effectivePtbLoadExiting,
  EXCEPTION_MNEMONICS,
  EXCEPTION_VECTORS,
  VMX_EXIT_CODES,
  type ExitReasonName,
  type GuestException,
  type Session,
  type TraceEvent,
} from '../types.ts';
import { runDirect, runPendingEmulation, scheduleEmulation, type Engine } from './engine.ts';
import { bareMetalExit, idle, runOnCpu } from './native.ts';
import { exitReasonOf } from './reasons.ts';

function handlerCost(s: Session, reason: ExitReasonName): number {
  const c = s.costs;
  switch (reason) {
    case 'hlt':
      return c.exitHandlerHlt;
    case 'io-instruction':
      return c.exitHandlerIo;
    case 'cr-access':
      return c.exitHandlerCr;
    case 'vmcall':
      return c.exitHandlerVmcall;
    case 'external-interrupt':
      return c.exitHandlerExternalInterrupt;
    case 'interrupt-window':
      return c.exitHandlerInterruptWindow;
    case 'exception':
      return c.exitHandlerException;
  }
}

/**
 * A guest exception. If its bit is set in the exception bitmap it exits first
 * (reason 0, "exception or NMI"), and the hypervisor injects it back on entry;
 * otherwise the CPU delivers it to the guest's own handler without an exit.
 * Under shadow paging #PF always exits, and the handler first walks the guest's
 * table to tell a hidden fault from the guest's own. Returns false when the
 * exception did not exit.
 */
function exceptionExit(s: Session, trace: TraceEvent[] | null, exception: GuestException): boolean {
  if ((effectiveExceptionBitmap(s.exitControls) & (1 << EXCEPTION_VECTORS[exception])) === 0) return false;
  const pc = s.cpu.pc;
  const text = EXCEPTION_MNEMONICS[exception];
  vmExit(s, trace, 'exception', pc, text);
  const shadow = exception === 'page-fault' && !s.exitControls.nestedPaging ? s.costs.shadowPageFault : 0;
  charge(s, trace, 'monitor', s.costs.exitHandlerException + shadow, 'emulate', 'monitor', pc, { text });
  charge(s, trace, 'transition', s.costs.vmEventInjection, 'reflect', 'hardware', pc, { reason: 'fault', text });
  s.counters.traps.fault++;
  return true;
}

/** Records one VM exit (the hardware round trip). */
function vmExit(s: Session, trace: TraceEvent[] | null, reason: ExitReasonName, pc: number, text?: string): void {
  s.counters.exits[reason]++;
  charge(s, trace, 'transition', s.costs.vmExitRoundTrip, 'exit', 'monitor', pc, {
    reason,
    exitCode: VMX_EXIT_CODES[reason],
    ...(text === undefined ? {} : { text }),
  });
}

/**
 * A privileged instruction of the guest kernel stopped the interpreter: it exits
 * if the controls say so (HLT, port I/O, CR3 loads), otherwise it runs in
 * non-root mode at the real CPU's cost — CLI/STI and IRET never exit, and port
 * I/O without I/O exiting reaches the real device.
 */
function kernelInstruction(s: Session, trace: TraceEvent[] | null): void {
  const pc = s.cpu.pc;
  const op = s.program.code[pc * 4] ?? OP_END;
  const c = s.costs;
  const controls = s.exitControls;
  if (op === OP_HLT || ((op === OP_IN || op === OP_OUT) && controls.ioExiting)) {
    const reason = exitReasonOf(op);
    vmExit(s, trace, reason, pc);
    // The device model is the same software as under the other strategies; the exit adds its transition.
    scheduleEmulation(s, handlerCost(s, reason) + (op === OP_HLT ? 0 : c.deviceEmulation));
  } else if (op === OP_LPTB && effectivePtbLoadExiting(controls)) {
    vmExit(s, trace, 'cr-access', pc);
    scheduleEmulation(s, c.exitHandlerCr + (controls.nestedPaging ? 0 : c.pageTableSwitch));
  } else {
    runOnCpu(s);
  }
}

/**
 * Hardware-assisted virtualization (Intel VT-x / AMD-V): the guest runs in
 * non-root mode at its own privilege levels, so POPF, EI, DI, IRET, MFCR and
 * MTCR just work (at the real CPU's cost). Only events selected by the VMCS-like
 * exit controls cause a VM exit (HLT, port I/O, page-table loads, timer
 * interrupts, VMCALL, and the guest exceptions set in the exception bitmap);
 * without nested paging (the first VT-x CPUs) the hypervisor shadows the guest's
 * page tables, so every page-table write exits as a #PF too [AA06]. System calls,
 * and exceptions not in the bitmap, stay inside the guest.
 */
export const hardwareAssistedEngine: Engine = {
  run(s, hard, soft, trace) {
    return runPendingEmulation(s, trace) ?? runDirect(s, Math.min(hard, soft), trace, s.costs.nativeInstruction, 'guest');
  },
  exit(s, exit, trace) {
    const cpu = s.cpu;
    switch (exit) {
      case EXIT_TRAP:
        if (cpu.mode === MODE_USER) {
          // A guest user program's #GP goes through the guest's own vector, unless the bitmap asks for an exit.
          if (exceptionExit(s, trace, 'general-protection')) trapPrivileged(cpu, s.program.length);
          else bareMetalExit(s, exit, trace, s.costs.nativeTrap, 'hardware');
        } else {
          kernelInstruction(s, trace);
        }
        return;
      case EXIT_PT_WRITE:
        // Shadow paging: the store hit a write-protected page. The handler fetches and
        // decodes the instruction in software, emulates it and updates the shadow entry.
        vmExit(s, trace, 'exception', cpu.pc, EXCEPTION_MNEMONICS['page-fault']);
        scheduleEmulation(s, s.costs.exitHandlerPageTableWrite + s.costs.pageTableUpdate);
        return;
      case EXIT_VMCALL: {
        // No hypercall ABI in our guests: the hypervisor injects an illegal-instruction fault, as bare metal would raise.
        vmExit(s, trace, 'vmcall', cpu.pc - 1);
        charge(s, trace, 'monitor', s.costs.exitHandlerVmcall, 'emulate', 'monitor', cpu.pc - 1);
        s.counters.traps.fault++;
        trapIllegal(cpu, s.program.length);
        return;
      }
      case EXIT_RESYNC:
        if (s.windowArmed) {
          s.windowArmed = false;
          vmExit(s, trace, 'interrupt-window', cpu.pc, 'IRQ window');
          charge(s, trace, 'monitor', s.costs.exitHandlerInterruptWindow, 'emulate', 'monitor', cpu.pc, {
            text: 'IRQ window',
          });
        }
        return;
      case EXIT_HALT:
        // With HLT exiting the vCPU already sits in the host and wakes there;
        // without it, the halted guest is kicked out by the timer interrupt.
        if (idle(s, trace) && !s.exitControls.hltExiting) this.tick(s, trace);
        return;
      case EXIT_FAULT:
        if (exceptionExit(s, trace, 'page-fault')) trapMemory(cpu, s.program.length);
        else bareMetalExit(s, exit, trace, s.costs.nativeTrap, 'hardware');
        return;
      case EXIT_SYSCALL:
      default:
        bareMetalExit(s, exit, trace, s.costs.nativeTrap, 'hardware');
    }
  },
  tick(s, trace) {
    // Off: the interrupt goes straight through the guest's IDT, without an exit.
    if (!s.exitControls.externalInterruptExiting) return;
    vmExit(s, trace, 'external-interrupt', s.cpu.pc, 'IRQ');
    charge(s, trace, 'monitor', s.costs.exitHandlerExternalInterrupt, 'emulate', 'monitor', s.cpu.pc, { text: 'IRQ' });
    if ((s.cpu.flags & FLAG_IF) === 0) s.windowArmed = true;
  },
  interrupt(s, trace) {
    s.windowArmed = false;
    s.counters.interrupts++;
    const cost = s.exitControls.externalInterruptExiting ? s.costs.vmEventInjection : s.costs.nativeInterrupt;
    charge(s, trace, 'transition', cost, 'interrupt', 'hardware', s.cpu.pc, { reason: 'timer', text: 'IRQ' });
    deliverTimerInterrupt(s.cpu, s.program.length);
  },
};
