import { isPrivileged, OP_COUNT, type MachineVariant } from './isa.ts';
import type { ExecContext } from './execute.ts';

/**
 * A per-opcode table with 1 for the listed opcodes.
 *
 * @example
 * trapTable([OP_HLT])[OP_HLT] // 1
 */
export function trapTable(ops: Iterable<number>): Uint8Array {
  const table = new Uint8Array(OP_COUNT);
  for (const op of ops) table[op] = 1;
  return table;
}

/** Opcodes that trap in user mode on `variant`. */
export function privilegedOps(variant: MachineVariant): number[] {
  const ops: number[] = [];
  for (let op = 0; op < OP_COUNT; op++) if (isPrivileged(op, variant)) ops.push(op);
  return ops;
}

/**
 * The bare machine: privileged instructions trap in user mode, kernel mode runs everything.
 *
 * @example
 * execute(cpu, 100, nativeContext('classic'), program.code)
 */
export function nativeContext(variant: MachineVariant): ExecContext {
  return { trapUser: trapTable(privilegedOps(variant)), trapKernel: trapTable([]), deprivileged: false, protectPageTable: false };
}

/**
 * Classic trap-and-emulate: the guest kernel runs at user privilege, so every
 * privileged instruction traps in both virtual modes — and POPF, on the classic
 * machine, silently loses IF instead.
 */
export function deprivilegedContext(variant: MachineVariant): ExecContext {
  const ops = privilegedOps(variant);
  return { trapUser: trapTable(ops), trapKernel: trapTable(ops), deprivileged: true, protectPageTable: false };
}
