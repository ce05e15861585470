import { CR_CAUSE, CR_EPC, CR_PTB, CR_STATUS, CR_VEC } from './isa.ts';
import { portIn, portOut, type CpuState } from './cpu.ts';

// Why local copies of the ISA constants: V8 turns a `switch` into a jump table
// only when the case labels are constants it can see, and it does not fold
// imported bindings. With imported opcodes this interpreter ran at ~80 M
// instructions/s; with module-local ones at ~190 M. A unit test checks that
// every copy equals its export in isa.ts.
const FLAG_IF = 4;
const FLAG_N = 2;
const FLAG_Z = 1;
const FLAGS_MASK = 7;
const MODE_KERNEL = 0;
const MODE_USER = 1;
const OP_ADD = 3;
const OP_ADDI = 11;
const OP_AND = 6;
const OP_CALL = 21;
const OP_CMP = 12;
const OP_CMPI = 13;
const OP_DI = 32;
const OP_EI = 31;
const OP_END = 38;
const OP_HLT = 33;
const OP_IN = 29;
const OP_IRET = 35;
const OP_JGE = 20;
const OP_JLT = 19;
const OP_JMP = 16;
const OP_JNZ = 18;
const OP_JZ = 17;
const OP_LD = 14;
const OP_LI = 1;
const OP_LPTB = 34;
const OP_MFCR = 36;
const OP_MOV = 2;
const OP_MTCR = 37;
const OP_MUL = 5;
const OP_NOP = 0;
const OP_OR = 7;
const OP_OUT = 30;
const OP_POP = 24;
const OP_POPF = 26;
const OP_PUSH = 23;
const OP_PUSHF = 25;
const OP_RET = 22;
const OP_SHL = 9;
const OP_SHR = 10;
const OP_ST = 15;
const OP_SUB = 4;
const OP_SYSCALL = 27;
const OP_VMCALL = 28;
const OP_XOR = 8;
const OP_VEI = 39;
const OP_VDI = 40;
const OP_VPOPF = 41;
const OP_VMFCR = 42;
const OP_VMTCR = 43;
const OP_VCLOCK = 44;
const OP_RING = 45;
const OP_VIRET = 46;
const PAGE_TABLE_WORDS = 64;
const SP = 7;
const STATUS_FLAGS_SHIFT = 1;
const STATUS_PREV_USER = 1;
const STATUS_MASK = 15;

/** The interpreter's private copies of ISA constants, for the test that they match `isa.ts`. */
export const INTERPRETER_CONSTANTS: Readonly<Record<string, number>> = {
  FLAG_IF,
  FLAG_N,
  FLAG_Z,
  FLAGS_MASK,
  MODE_KERNEL,
  MODE_USER,
  OP_ADD,
  OP_ADDI,
  OP_AND,
  OP_CALL,
  OP_CMP,
  OP_CMPI,
  OP_DI,
  OP_EI,
  OP_END,
  OP_HLT,
  OP_IN,
  OP_IRET,
  OP_JGE,
  OP_JLT,
  OP_JMP,
  OP_JNZ,
  OP_JZ,
  OP_LD,
  OP_LI,
  OP_LPTB,
  OP_MFCR,
  OP_MOV,
  OP_MTCR,
  OP_MUL,
  OP_NOP,
  OP_OR,
  OP_OUT,
  OP_POP,
  OP_POPF,
  OP_PUSH,
  OP_PUSHF,
  OP_RET,
  OP_SHL,
  OP_SHR,
  OP_ST,
  OP_SUB,
  OP_SYSCALL,
  OP_VMCALL,
  OP_XOR,
  OP_VEI,
  OP_VDI,
  OP_VPOPF,
  OP_VMFCR,
  OP_VMTCR,
  OP_VCLOCK,
  OP_RING,
  OP_VIRET,
  PAGE_TABLE_WORDS,
  SP,
  STATUS_FLAGS_SHIFT,
  STATUS_MASK,
  STATUS_PREV_USER,
};

/** Ran out of fuel; pc is the next instruction. */
export const EXIT_FUEL = 0;
/** The instruction at pc is marked trapping for the current mode; it was NOT executed. */
export const EXIT_TRAP = 1;
/** SYSCALL retired; pc is the next instruction; the number is in the SYSCALL's `a` slot. */
export const EXIT_SYSCALL = 2;
/** VMCALL retired; pc is the next instruction. */
export const EXIT_VMCALL = 3;
/** HLT retired; pc is the next instruction. */
export const EXIT_HALT = 4;
/** The instruction at pc faulted (bad data address or bad jump target); it was NOT executed. */
export const EXIT_FAULT = 5;
/** pc reached the END sentinel. */
export const EXIT_END = 6;
/** The instruction retired and IF became 1 while an interrupt is pending. */
export const EXIT_RESYNC = 7;
/**
 * `OUT TIMER` retired and reprogrammed the timer. The new period counts from the
 * next instruction, so the caller must not charge this run's instructions to it.
 */
export const EXIT_TIMER_SET = 8;
/**
 * The store at pc targets the write-protected page table (the
 * {@link PAGE_TABLE_WORDS} words at PTB, with `ctx.protectPageTable`); it was NOT executed.
 */
export const EXIT_PT_WRITE = 9;
export type ExitCode =
  | typeof EXIT_FUEL
  | typeof EXIT_TRAP
  | typeof EXIT_SYSCALL
  | typeof EXIT_VMCALL
  | typeof EXIT_HALT
  | typeof EXIT_FAULT
  | typeof EXIT_END
  | typeof EXIT_RESYNC
  | typeof EXIT_TIMER_SET
  | typeof EXIT_PT_WRITE;

/**
 * How the hardware treats the guest: which opcodes leave the interpreter
 * (to the kernel, the monitor or the hypervisor, as the caller decides) in each
 * mode, and whether kernel code really runs deprivileged.
 */
export interface ExecContext {
  /** Per opcode, 1 when executing it in kernel mode exits with {@link EXIT_TRAP}. */
  readonly trapKernel: Uint8Array;
  /** Per opcode, 1 when executing it in user mode exits with {@link EXIT_TRAP}. */
  readonly trapUser: Uint8Array;
  /**
   * True when the (virtual) kernel actually runs at user privilege, as in classic
   * trap-and-emulate. Then POPF in kernel mode behaves as in user mode.
   */
  readonly deprivileged: boolean;
  /**
   * True under shadow paging (and Xen's read-only page tables): a store into the
   * guest's page table exits with {@link EXIT_PT_WRITE} instead of being executed.
   */
  readonly protectPageTable: boolean;
}

/**
 * The reference interpreter: runs at most `fuel` instructions of `code` on `cpu`
 * and returns why it stopped. Allocation-free; a decoded-instruction array and a
 * switch dispatch. Every strategy is built on it: the strategy decides what an
 * exit means and what it costs.
 *
 * `cpu.retired` grows by the number of instructions retired.
 *
 * @example
 * const exit = execute(cpu, 1_000_000, NATIVE_CONTEXT, program.code);
 * if (exit === EXIT_SYSCALL) { ... }
 */
export function execute(cpu: CpuState, fuel: number, ctx: ExecContext, code: Int32Array): ExitCode {
  const r = cpu.regs;
  const m = cpu.mem;
  const memSize = m.length;
  const codeLength = (code.length >> 2) - 1;
  let pc = cpu.pc;
  let flags = cpu.flags;
  let mode = cpu.mode;
  let trap = mode === MODE_USER ? ctx.trapUser : ctx.trapKernel;
  // Start of the write-protected page table, 0 when stores need no check.
  const protect = ctx.protectPageTable;
  let pt = protect && cpu.ptb > 0 ? cpu.ptb : 0;
  let n = 0;
  let exit: ExitCode = EXIT_FUEL;

  run: while (n < fuel) {
    const i = pc << 2;
    const op = code[i] ?? OP_END;
    const a = code[i + 1] ?? 0;
    const b = code[i + 2] ?? 0;
    const c = code[i + 3] ?? 0;
    switch (op) {
      case OP_NOP:
        pc++;
        break;
      case OP_LI:
        r[a] = b;
        pc++;
        break;
      case OP_MOV:
        r[a] = r[b] ?? 0;
        pc++;
        break;
      case OP_ADD:
        r[a] = ((r[b] ?? 0) + (r[c] ?? 0)) | 0;
        pc++;
        break;
      case OP_SUB:
        r[a] = ((r[b] ?? 0) - (r[c] ?? 0)) | 0;
        pc++;
        break;
      case OP_MUL:
        r[a] = Math.imul(r[b] ?? 0, r[c] ?? 0);
        pc++;
        break;
      case OP_AND:
        r[a] = (r[b] ?? 0) & (r[c] ?? 0);
        pc++;
        break;
      case OP_OR:
        r[a] = (r[b] ?? 0) | (r[c] ?? 0);
        pc++;
        break;
      case OP_XOR:
        r[a] = (r[b] ?? 0) ^ (r[c] ?? 0);
        pc++;
        break;
      case OP_SHL:
        r[a] = (r[b] ?? 0) << ((r[c] ?? 0) & 31);
        pc++;
        break;
      case OP_SHR:
        r[a] = (r[b] ?? 0) >>> ((r[c] ?? 0) & 31);
        pc++;
        break;
      case OP_ADDI:
        r[a] = ((r[b] ?? 0) + c) | 0;
        pc++;
        break;
      case OP_CMP: {
        const x = r[a] ?? 0;
        const y = r[b] ?? 0;
        flags = (flags & FLAG_IF) | (x === y ? FLAG_Z : 0) | (x < y ? FLAG_N : 0);
        pc++;
        break;
      }
      case OP_CMPI: {
        const x = r[a] ?? 0;
        flags = (flags & FLAG_IF) | (x === b ? FLAG_Z : 0) | (x < b ? FLAG_N : 0);
        pc++;
        break;
      }
      case OP_LD: {
        const ea = ((r[b] ?? 0) + c) | 0;
        if (ea >>> 0 >= memSize) {
          exit = EXIT_FAULT;
          break run;
        }
        r[a] = m[ea] ?? 0;
        pc++;
        break;
      }
      case OP_ST: {
        const ea = ((r[b] ?? 0) + c) | 0;
        if (ea >>> 0 >= memSize) {
          exit = EXIT_FAULT;
          break run;
        }
        if (pt !== 0 && (ea - pt) >>> 0 < PAGE_TABLE_WORDS) {
          exit = EXIT_PT_WRITE;
          break run;
        }
        m[ea] = r[a] ?? 0;
        pc++;
        break;
      }
      case OP_JMP:
        pc = a;
        break;
      case OP_JZ:
        pc = flags & FLAG_Z ? a : pc + 1;
        break;
      case OP_JNZ:
        pc = flags & FLAG_Z ? pc + 1 : a;
        break;
      case OP_JLT:
        pc = flags & FLAG_N ? a : pc + 1;
        break;
      case OP_JGE:
        pc = flags & FLAG_N ? pc + 1 : a;
        break;
      case OP_CALL: {
        const sp = ((r[SP] ?? 0) - 1) | 0;
        if (sp >>> 0 >= memSize) {
          exit = EXIT_FAULT;
          break run;
        }
        if (pt !== 0 && (sp - pt) >>> 0 < PAGE_TABLE_WORDS) {
          exit = EXIT_PT_WRITE;
          break run;
        }
        m[sp] = pc + 1;
        r[SP] = sp;
        pc = a;
        break;
      }
      case OP_RET: {
        const sp = r[SP] ?? 0;
        if (sp >>> 0 >= memSize) {
          exit = EXIT_FAULT;
          break run;
        }
        const target = m[sp] ?? 0;
        if (target >>> 0 > codeLength) {
          exit = EXIT_FAULT;
          break run;
        }
        r[SP] = (sp + 1) | 0;
        pc = target;
        break;
      }
      case OP_PUSH: {
        const sp = ((r[SP] ?? 0) - 1) | 0;
        if (sp >>> 0 >= memSize) {
          exit = EXIT_FAULT;
          break run;
        }
        if (pt !== 0 && (sp - pt) >>> 0 < PAGE_TABLE_WORDS) {
          exit = EXIT_PT_WRITE;
          break run;
        }
        m[sp] = r[a] ?? 0;
        r[SP] = sp;
        pc++;
        break;
      }
      case OP_POP: {
        const sp = r[SP] ?? 0;
        if (sp >>> 0 >= memSize) {
          exit = EXIT_FAULT;
          break run;
        }
        const v = m[sp] ?? 0;
        r[SP] = (sp + 1) | 0;
        r[a] = v;
        pc++;
        break;
      }
      case OP_PUSHF: {
        const sp = ((r[SP] ?? 0) - 1) | 0;
        if (sp >>> 0 >= memSize) {
          exit = EXIT_FAULT;
          break run;
        }
        if (pt !== 0 && (sp - pt) >>> 0 < PAGE_TABLE_WORDS) {
          exit = EXIT_PT_WRITE;
          break run;
        }
        m[sp] = flags;
        r[SP] = sp;
        pc++;
        break;
      }
      // Each paravirtual operation does to the virtual CPU what the instruction it
      // replaces does; what differs is only whether it exits (the trap tables).
      case OP_POPF:
      case OP_VPOPF: {
        if (trap[op] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        const sp = r[SP] ?? 0;
        if (sp >>> 0 >= memSize) {
          exit = EXIT_FAULT;
          break run;
        }
        const v = m[sp] ?? 0;
        r[SP] = (sp + 1) | 0;
        // The flaw: at user privilege (really, or because the monitor runs the
        // guest kernel deprivileged) the IF bit of the popped value is ignored.
        if (mode === MODE_USER || ctx.deprivileged) {
          flags = (flags & FLAG_IF) | (v & (FLAG_Z | FLAG_N));
        } else {
          flags = v & FLAGS_MASK;
        }
        pc++;
        if (flags & FLAG_IF && cpu.irqPending) {
          n++;
          exit = EXIT_RESYNC;
          break run;
        }
        break;
      }
      case OP_SYSCALL:
        pc++;
        n++;
        exit = EXIT_SYSCALL;
        break run;
      case OP_VMCALL:
        // A paravirtualizing hypervisor takes hypercalls before they retire (see strategies/engines/paravirt.ts).
        if (trap[OP_VMCALL] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        pc++;
        n++;
        exit = EXIT_VMCALL;
        break run;
      case OP_VCLOCK:
        if (trap[OP_VCLOCK] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        r[a] = cpu.ticks;
        pc++;
        break;
      case OP_IN:
        if (trap[OP_IN] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        r[a] = portIn(cpu, b);
        pc++;
        break;
      case OP_OUT:
      case OP_RING:
        if (trap[op] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        pc++;
        if (portOut(cpu, b, r[a] ?? 0)) {
          n++;
          exit = EXIT_TIMER_SET;
          break run;
        }
        break;
      case OP_EI:
      case OP_VEI:
        if (trap[op] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        flags |= FLAG_IF;
        pc++;
        if (cpu.irqPending) {
          n++;
          exit = EXIT_RESYNC;
          break run;
        }
        break;
      case OP_DI:
      case OP_VDI:
        if (trap[op] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        flags &= ~FLAG_IF;
        pc++;
        break;
      case OP_HLT:
        if (trap[OP_HLT] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        pc++;
        n++;
        exit = EXIT_HALT;
        break run;
      case OP_LPTB:
        if (trap[OP_LPTB] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        cpu.ptb = r[a] ?? 0;
        pt = protect && cpu.ptb > 0 ? cpu.ptb : 0;
        pc++;
        break;
      case OP_IRET:
      case OP_VIRET: {
        if (trap[op] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        const target = cpu.epc;
        if (target >>> 0 > codeLength) {
          exit = EXIT_FAULT;
          break run;
        }
        mode = cpu.status & STATUS_PREV_USER ? MODE_USER : MODE_KERNEL;
        flags = (cpu.status >> STATUS_FLAGS_SHIFT) & FLAGS_MASK;
        trap = mode === MODE_USER ? ctx.trapUser : ctx.trapKernel;
        pc = target;
        if (flags & FLAG_IF && cpu.irqPending) {
          n++;
          exit = EXIT_RESYNC;
          break run;
        }
        break;
      }
      case OP_MFCR:
      case OP_VMFCR:
        if (trap[op] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        r[a] = readControl(cpu, b);
        pc++;
        break;
      case OP_MTCR:
      case OP_VMTCR:
        if (trap[op] === 1) {
          exit = EXIT_TRAP;
          break run;
        }
        writeControl(cpu, b, r[a] ?? 0);
        pc++;
        break;
      default:
        // OP_END (or garbage): the program is over.
        exit = EXIT_END;
        break run;
    }
    n++;
  }

  cpu.pc = pc;
  cpu.flags = flags;
  cpu.mode = mode;
  cpu.retired += n;
  return exit;
}

/** Value of control register `cr` (MFCR). */
export function readControl(cpu: CpuState, cr: number): number {
  switch (cr) {
    case CR_VEC:
      return cpu.vec;
    case CR_EPC:
      return cpu.epc;
    case CR_STATUS:
      return cpu.status;
    case CR_CAUSE:
      return cpu.cause;
    case CR_PTB:
      return cpu.ptb;
    default:
      return 0;
  }
}

/** Writes control register `cr` (MTCR). PTB is written only by LPTB; other values are ignored. */
export function writeControl(cpu: CpuState, cr: number, value: number): void {
  switch (cr) {
    case CR_VEC:
      cpu.vec = value;
      break;
    case CR_EPC:
      cpu.epc = value;
      break;
    case CR_STATUS:
      cpu.status = value & STATUS_MASK;
      break;
    case CR_CAUSE:
      cpu.cause = value;
      break;
    default:
      break;
  }
}
