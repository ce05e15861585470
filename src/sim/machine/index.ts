/**
 * The teaching machine: instruction set, CPU state, the reference interpreter
 * and a bare-metal runner. See `isa.ts` for the architecture and its flaw.
 *
 * @example
 * import { init, run } from './index.ts';
 * const m = init({ program }); run(m, 10_000); m.cpu.console
 */
export * from './isa.ts';
export * from './program.ts';
export * from './cpu.ts';
export * from './execute.ts';
export * from './context.ts';
export * from './hardware.ts';
export * from './disasm.ts';
export * from './hypercalls.ts';
export * from './arch.ts';
export { init, run, step, type MachineEvent, type MachineParams, type MachineState } from './machine.ts';
