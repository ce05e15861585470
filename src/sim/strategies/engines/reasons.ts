import {
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
  OP_VMFCR,
  OP_VMTCR,
  OP_VPOPF,
} from '../../machine/isa.ts';
import type { ExitReasonName, TrapReason } from '../types.ts';

/**
 * The trap reason for a trapped instruction.
 *
 * @example
 * trapReasonOf(OP_DI) // 'interrupt-flag'
 */
export function trapReasonOf(op: number): TrapReason {
  switch (op) {
    case OP_EI:
    case OP_DI:
    case OP_POPF:
    case OP_VEI:
    case OP_VDI:
    case OP_VPOPF:
      return 'interrupt-flag';
    case OP_IN:
    case OP_OUT:
    case OP_VCLOCK:
    case OP_RING:
      return 'io';
    case OP_HLT:
      return 'halt';
    case OP_LPTB:
      return 'page-table';
    case OP_IRET:
    case OP_VIRET:
      return 'trap-return';
    case OP_MFCR:
    case OP_MTCR:
    case OP_VMFCR:
    case OP_VMTCR:
      return 'control-register';
    default:
      return 'fault';
  }
}

/** The VM exit reason for an instruction that exits under hardware assist. */
export function exitReasonOf(op: number): ExitReasonName {
  switch (op) {
    case OP_HLT:
      return 'hlt';
    case OP_IN:
    case OP_OUT:
      return 'io-instruction';
    default:
      return 'cr-access';
  }
}

/** Whether `op` is port I/O (and so also costs device-model work). */
export function isIo(op: number): boolean {
  return op === OP_IN || op === OP_OUT || op === OP_VCLOCK || op === OP_RING;
}
