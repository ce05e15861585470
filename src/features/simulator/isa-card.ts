import { MNEMONICS, type OpInfo, type OperandSpec, type SensitivityClass } from '../../sim/machine/index.ts';

/** The card's sections, in the order a learner meets them. */
export type IsaGroup = 'basic' | 'flow' | 'system' | 'pv';

export interface IsaCardRow {
  readonly mnemonic: string;
  /** How it is written, e.g. `ADDI rA, rB, n`; the operand names are the ones isa-strings.ts uses. */
  readonly syntax: string;
  readonly sensitivity: SensitivityClass;
  readonly group: IsaGroup;
}

const FLOW = new Set(['JMP', 'JZ', 'JNZ', 'JLT', 'JGE', 'CALL', 'RET', 'PUSH', 'POP', 'PUSHF', 'POPF']);
const PARAVIRTUAL = new Set(['VEI', 'VDI', 'VPOPF', 'VMFCR', 'VMTCR', 'VCLOCK', 'RING', 'VIRET']);

function operandName(o: OperandSpec): string {
  switch (o.kind) {
    case 'reg':
      return `r${o.slot.toUpperCase()}`;
    case 'imm':
    case 'hypercall':
      return 'n';
    case 'target':
      return 'label';
    case 'port':
      return 'PORT';
    case 'cr':
      return 'CR';
    case 'mem':
      return '[addr]';
  }
}

/** `VMCALL n[, rB, PORT]`: operands from `optionalFrom` on in brackets. */
export function syntaxOf(info: OpInfo): string {
  const names = info.operands.map(operandName);
  if (names.length === 0) return info.mnemonic;
  const cut = info.optionalFrom ?? names.length;
  const required = names.slice(0, cut).join(', ');
  const optional = names.slice(cut);
  return `${info.mnemonic} ${required}${optional.length > 0 ? `[, ${optional.join(', ')}]` : ''}`;
}

function groupOf(info: OpInfo): IsaGroup {
  if (PARAVIRTUAL.has(info.mnemonic)) return 'pv';
  if (FLOW.has(info.mnemonic)) return 'flow';
  if (info.sensitivity !== 'innocuous') return 'system';
  return 'basic';
}

/**
 * Every assemblable instruction of the teaching machine, for the reference card.
 *
 * @example
 * isaCard().find((r) => r.mnemonic === 'MTCR') // { mnemonic: 'MTCR', syntax: 'MTCR CR, rA', sensitivity: 'privileged', group: 'system' }
 */
export function isaCard(): readonly IsaCardRow[] {
  return [...MNEMONICS.values()].map((info) => ({
    mnemonic: info.mnemonic,
    syntax: syntaxOf(info),
    sensitivity: info.sensitivity,
    group: groupOf(info),
  }));
}

export const ISA_GROUPS: readonly IsaGroup[] = ['basic', 'flow', 'system', 'pv'];
