import { deliverTimerInterrupt } from '../../machine/cpu.ts';
import { EXIT_TRAP } from '../../machine/execute.ts';
import { MODE_USER, OP_END, OP_IRET } from '../../machine/isa.ts';
import { charge } from '../account.ts';
import { runDirect, runPendingEmulation, scheduleEmulation, type Engine } from './engine.ts';
import { bareMetalExit } from './native.ts';

/**
 * Pure emulation (Bochs-style): a software interpreter executes every guest
 * instruction on a virtual CPU, so no instruction ever reaches the real CPU and
 * nothing needs to trap. Port I/O leaves the interpreter loop for the device
 * model, and traps and IRET build or unwind frames in software; everything else
 * is interpretation overhead per instruction.
 */
export const emulationEngine: Engine = {
  run(s, hard, soft, trace) {
    return (
      runPendingEmulation(s, trace) ?? runDirect(s, Math.min(hard, soft), trace, s.costs.interpretedInstruction, 'interpret')
    );
  },
  exit(s, exit, trace) {
    if (exit === EXIT_TRAP && s.cpu.mode !== MODE_USER) {
      // Kernel-mode IN/OUT: call the device model; IRET: unwind the trap frame in software.
      const c = s.costs;
      const iret = (s.program.code[s.cpu.pc * 4] ?? OP_END) === OP_IRET;
      scheduleEmulation(s, c.interpretedInstruction + (iret ? c.emulatedTrap : c.deviceEmulation));
      return;
    }
    bareMetalExit(s, exit, trace, s.costs.emulatedTrap, 'monitor');
  },
  tick() {
    // The emulated timer is just a counter in the interpreter loop.
  },
  interrupt(s, trace) {
    s.counters.interrupts++;
    s.counters.traps.timer++;
    charge(s, trace, 'monitor', s.costs.emulatedTrap, 'interrupt', 'monitor', s.cpu.pc, { reason: 'timer', text: 'IRQ' });
    deliverTimerInterrupt(s.cpu, s.program.length);
  },
};
