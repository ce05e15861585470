import { CR_VEC, OP_HLT, OP_VMCALL, OP_IN, OP_IRET, OP_LPTB, OP_MTCR, OP_OUT, PORT_TIMER } from './isa.ts';
import type { Instruction } from './program.ts';

/**
 * The hypercall ABI of a paravirtualized guest: `VMCALL n[, rX[, port]]`, the
 * number in slot a, a register in b, a port in c. Where Xen has a hypercall for
 * the same job its number is borrowed (`__HYPERVISOR_set_trap_table` 0,
 * `set_timer_op` 15, `iret` 23, `mmuext_op` 26, `sched_op` 29, `physdev_op` 33);
 * PORT_OUT (34) is ours. On a machine without a hypervisor, or for a number the
 * hypervisor does not know, VMCALL is an illegal instruction.
 */
export interface Hypercall {
  readonly name: string;
  readonly number: number;
  /** Operands after the number: none, a register, or a register and a port. */
  readonly args: 0 | 1 | 2;
}

export const HC_SET_TRAP_TABLE = 0;
export const HC_SET_TIMER_OP = 15;
export const HC_IRET = 23;
export const HC_NEW_BASEPTR = 26;
export const HC_BLOCK = 29;
export const HC_PORT_IN = 33;
export const HC_PORT_OUT = 34;

export const HYPERCALLS: readonly Hypercall[] = [
  { name: 'SET_TRAP_TABLE', number: HC_SET_TRAP_TABLE, args: 1 },
  { name: 'SET_TIMER_OP', number: HC_SET_TIMER_OP, args: 1 },
  { name: 'IRET', number: HC_IRET, args: 0 },
  { name: 'NEW_BASEPTR', number: HC_NEW_BASEPTR, args: 1 },
  { name: 'BLOCK', number: HC_BLOCK, args: 0 },
  { name: 'PORT_IN', number: HC_PORT_IN, args: 2 },
  { name: 'PORT_OUT', number: HC_PORT_OUT, args: 2 },
];

/** Hypercall name (upper case) → number, for the assembler. */
export const HYPERCALL_NUMBERS: Readonly<Record<string, number>> = Object.fromEntries(HYPERCALLS.map((h) => [h.name, h.number]));

const BY_NUMBER = new Map(HYPERCALLS.map((h) => [h.number, h]));

/** The hypercall with number `n`, if the ABI defines one. */
export function hypercallOf(n: number): Hypercall | undefined {
  return BY_NUMBER.get(n);
}

/**
 * What the hypervisor does for a hypercall instruction, as the privileged
 * instruction it performs on the virtual CPU; undefined for anything else
 * (including unknown hypercall numbers).
 *
 * @example
 * hypercallOperation({ op: OP_VMCALL, a: HC_NEW_BASEPTR, b: 3, c: 0 }) // { op: OP_LPTB, a: 3, b: 0, c: 0 }
 */
export function hypercallOperation(ins: Instruction): Instruction | undefined {
  if (ins.op !== OP_VMCALL) return undefined;
  switch (ins.a) {
    case HC_SET_TRAP_TABLE:
      return { op: OP_MTCR, a: ins.b, b: CR_VEC, c: 0 };
    case HC_SET_TIMER_OP:
      return { op: OP_OUT, a: ins.b, b: PORT_TIMER, c: 0 };
    case HC_IRET:
      return { op: OP_IRET, a: 0, b: 0, c: 0 };
    case HC_NEW_BASEPTR:
      return { op: OP_LPTB, a: ins.b, b: 0, c: 0 };
    case HC_BLOCK:
      return { op: OP_HLT, a: 0, b: 0, c: 0 };
    case HC_PORT_IN:
      return { op: OP_IN, a: ins.b, b: ins.c, c: 0 };
    case HC_PORT_OUT:
      return { op: OP_OUT, a: ins.b, b: ins.c, c: 0 };
    default:
      return undefined;
  }
}
