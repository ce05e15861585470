import { CONTROL_REGISTERS, opInfo, PORTS, ZERO_REGISTER, type OperandSpec } from './isa.ts';
import { hypercallOf } from './hypercalls.ts';
import { instructionAt, type Program } from './program.ts';

const portNames = new Map(Object.entries(PORTS).map(([name, n]) => [n, name]));
const crNames = new Map(Object.entries(CONTROL_REGISTERS).map(([name, n]) => [n, name]));

function slotValue(spec: OperandSpec, ins: { a: number; b: number; c: number }): number {
  return spec.slot === 'a' ? ins.a : spec.slot === 'b' ? ins.b : ins.c;
}

function memOperand(base: number, offset: number): string {
  if (base === ZERO_REGISTER) return `[${offset}]`;
  if (offset === 0) return `[r${base}]`;
  return offset > 0 ? `[r${base}+${offset}]` : `[r${base}${offset}]`;
}

/**
 * The assembly text of instruction `pc`, naming jump targets by label when known.
 *
 * @example
 * disassemble(assembleOrThrow('loop: ADDI r1, r1, 1\nJMP loop').code, 1, labels) // 'JMP loop'
 */
export function disassemble(code: Int32Array, pc: number, labels?: ReadonlyMap<string, number>): string {
  const ins = instructionAt(code, pc);
  const info = opInfo(ins.op);
  const targetNames = new Map<number, string>();
  if (labels !== undefined) for (const [name, address] of labels) if (!targetNames.has(address)) targetNames.set(address, name);
  // VMCALL shows the arguments its hypercall takes, and any other non-zero one.
  const shown =
    info.optionalFrom === undefined
      ? info.operands
      : info.operands.slice(0, Math.max(1 + (hypercallOf(ins.a)?.args ?? 0), ins.c !== 0 ? 3 : ins.b !== 0 ? 2 : 1));
  const parts = shown.map((spec) => {
    const v = slotValue(spec, ins);
    switch (spec.kind) {
      case 'reg':
        return `r${v}`;
      case 'imm':
        return String(v);
      case 'hypercall':
        return hypercallOf(v)?.name ?? String(v);
      case 'target':
        return targetNames.get(v) ?? String(v);
      case 'port':
        return portNames.get(v) ?? String(v);
      case 'cr':
        return crNames.get(v) ?? String(v);
      case 'mem':
        return memOperand(ins.b, ins.c);
    }
  });
  return parts.length === 0 ? info.mnemonic : `${info.mnemonic} ${parts.join(', ')}`;
}

/**
 * Every instruction of a program as assembly text, by address (for listings).
 *
 * @example
 * disassembleProgram(assembleOrThrow('LI r1, 2\nHLT')) // ['LI r1, 2', 'HLT']
 */
export function disassembleProgram(program: Program): string[] {
  return Array.from({ length: program.length }, (_, pc) => disassemble(program.code, pc, program.labels));
}
