import {
  HC_BLOCK,
  HC_NEW_BASEPTR,
  HC_PORT_IN,
  HC_PORT_OUT,
  HC_SET_TIMER_OP,
  HC_SET_TRAP_TABLE,
  hypercallOperation,
} from '../machine/hypercalls.ts';
import {
  CR_VEC,
  OP_DI,
  OP_EI,
  OP_HLT,
  OP_IN,
  OP_IRET,
  OP_LPTB,
  OP_MFCR,
  OP_MTCR,
  OP_OUT,
  OP_POPF,
  OP_RING,
  OP_VCLOCK,
  OP_VDI,
  OP_VEI,
  OP_VIRET,
  OP_VMCALL,
  OP_VMFCR,
  OP_VMTCR,
  OP_VPOPF,
  PORT_CONSOLE,
  PORT_NIC,
  PORT_TIMER,
} from '../machine/isa.ts';
import { instructionAt, programFromInstructions, type Instruction, type Program } from '../machine/program.ts';

const vmcall = (n: number, reg = 0, port = 0): Instruction => ({ op: OP_VMCALL, a: n, b: reg, c: port });

/**
 * The paravirtual replacement of one instruction, or the instruction itself when
 * it needs none. Sensitive operations on the virtual CPU's own state become
 * shared-info operations (no exit); console and NIC output goes to the shared I/O
 * ring (one notification per batch); IRET becomes VIRET, a direct return (see
 * `OP_VIRET`); everything the hypervisor must do becomes an explicit hypercall.
 *
 * @example
 * paravirtualInstruction({ op: OP_HLT, a: 0, b: 0, c: 0 }) // { op: OP_VMCALL, a: HC_BLOCK, b: 0, c: 0 }  (VMCALL BLOCK)
 * paravirtualInstruction({ op: OP_DI, a: 0, b: 0, c: 0 })  // { op: OP_VDI, ... }
 */
export function paravirtualInstruction(ins: Instruction): Instruction {
  const { op, a, b } = ins;
  switch (op) {
    case OP_EI:
      return { ...ins, op: OP_VEI };
    case OP_DI:
      return { ...ins, op: OP_VDI };
    case OP_POPF:
      return { ...ins, op: OP_VPOPF };
    case OP_MFCR:
      return { ...ins, op: OP_VMFCR };
    case OP_MTCR:
      // The trap vector is the hypervisor's business (it bounces traps to it); the rest is the guest's saved state.
      return b === CR_VEC ? vmcall(HC_SET_TRAP_TABLE, a) : { ...ins, op: OP_VMTCR };
    case OP_IN:
      return b === PORT_TIMER ? { op: OP_VCLOCK, a, b: 0, c: 0 } : vmcall(HC_PORT_IN, a, b);
    case OP_OUT:
      if (b === PORT_CONSOLE || b === PORT_NIC) return { ...ins, op: OP_RING };
      return b === PORT_TIMER ? vmcall(HC_SET_TIMER_OP, a) : vmcall(HC_PORT_OUT, a, b);
    case OP_HLT:
      return vmcall(HC_BLOCK);
    case OP_LPTB:
      return vmcall(HC_NEW_BASEPTR, a);
    case OP_IRET:
      // Xen's fast path: a direct IRET after restoring the virtual IF, no hypercall.
      return { ...ins, op: OP_VIRET };
    default:
      return ins;
  }
}

/**
 * The paravirtualized guest: `program` with every privileged (and the sensitive
 * POPF) instruction replaced by its paravirtual form, one for one, so addresses,
 * labels, source lines and data stay the same and the guest computes exactly
 * what the original computes on bare metal. This is the "modified guest kernel"
 * of Xen-style paravirtualization, done by a program instead of by hand.
 *
 * @example
 * const pv = paravirtualize(assembleOrThrow('DI\nOUT CONSOLE, r1\nHLT'));
 * disassembleProgram(pv) // ['VDI', 'RING CONSOLE, r1', 'VMCALL BLOCK']
 */
export function paravirtualize(program: Program): Program {
  const instructions = Array.from({ length: program.length }, (_, pc) => paravirtualInstruction(instructionAt(program.code, pc)));
  return programFromInstructions(instructions, {
    data: program.data,
    labels: program.labels,
    lines: program.lines,
    ...(program.memoryWords === undefined ? {} : { memoryWords: program.memoryWords }),
  });
}

/**
 * What the hypervisor executes on the virtual CPU at each address of a
 * paravirtualized guest: for a known hypercall, the operation it asks for
 * (decoded from its number and arguments); elsewhere the guest's own instruction.
 * Computed once when the guest is loaded, like a hypervisor's decoded call sites.
 *
 * @example
 * hypervisorView(paravirtualize(p)) // code where `VMCALL BLOCK` reads as HLT
 */
export function hypervisorView(program: Program): Int32Array {
  const code = program.code.slice();
  for (let pc = 0; pc < program.length; pc++) {
    const operation = hypercallOperation(instructionAt(code, pc));
    if (operation === undefined) continue;
    code.set([operation.op, operation.a, operation.b, operation.c], pc * 4);
  }
  return code;
}
