import { CONTROL_REGISTERS, opInfo, PORTS, ZERO_REGISTER, type OperandSpec } from './isa.ts';
import { instructionAt } from './program.ts';

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
  const parts = info.operands.map((spec) => {
    const v = slotValue(spec, ins);
    switch (spec.kind) {
      case 'reg':
        return `r${v}`;
      case 'imm':
        return String(v);
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
