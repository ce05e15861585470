/**
 * The instruction set of the teaching machine ("Mesin Ajar").
 *
 * A small 32-bit register machine: eight general registers r0–r7 (r7 doubles as
 * the stack pointer `sp`), flags Z (zero), N (negative / less-than) and IF
 * (interrupt enable), a kernel and a user privilege level, word-addressed data
 * memory and a separate, read-only code store (a Harvard layout: code cannot be
 * modified, which keeps binary translation free of self-modifying-code problems).
 *
 * Instructions are decoded once into an `Int32Array` with four slots per
 * instruction: `[op, a, b, c]`. Operand meaning per opcode is in {@link OPS}.
 *
 * The deliberate flaw: `POPF` is sensitive but *not* privileged on the classic
 * machine. In user mode it silently leaves IF unchanged instead of trapping, as
 * x86 POPF does (Robin & Irvine, USENIX Security 2000, list POPF among the
 * 17 sensitive-but-unprivileged Pentium instructions). A deprivileged guest
 * kernel therefore cannot restore IF with POPF, and the monitor never notices:
 * the Popek–Goldberg condition (CACM 17(7), 1974: sensitive ⊆ privileged) fails.
 * The `fixed` variant makes POPF privileged, so the condition holds.
 */

// Opcodes are plain numeric constants (not a TS enum) so the sources run under
// Node's type stripping and the interpreter's switch compiles to a jump table.
export const OP_NOP = 0;
export const OP_LI = 1;
export const OP_MOV = 2;
export const OP_ADD = 3;
export const OP_SUB = 4;
export const OP_MUL = 5;
export const OP_AND = 6;
export const OP_OR = 7;
export const OP_XOR = 8;
export const OP_SHL = 9;
export const OP_SHR = 10;
export const OP_ADDI = 11;
export const OP_CMP = 12;
export const OP_CMPI = 13;
export const OP_LD = 14;
export const OP_ST = 15;
export const OP_JMP = 16;
export const OP_JZ = 17;
export const OP_JNZ = 18;
export const OP_JLT = 19;
export const OP_JGE = 20;
export const OP_CALL = 21;
export const OP_RET = 22;
export const OP_PUSH = 23;
export const OP_POP = 24;
export const OP_PUSHF = 25;
export const OP_POPF = 26;
export const OP_SYSCALL = 27;
export const OP_VMCALL = 28;
export const OP_IN = 29;
export const OP_OUT = 30;
export const OP_EI = 31;
export const OP_DI = 32;
export const OP_HLT = 33;
export const OP_LPTB = 34;
export const OP_IRET = 35;
export const OP_MFCR = 36;
export const OP_MTCR = 37;
/** Internal: the sentinel placed after the last instruction; reaching it ends the program. */
export const OP_END = 38;
// The paravirtual operations a paravirtualized guest kernel uses instead of
// privileged instructions (see `paravirt/rewrite.ts`). Each acts on the virtual
// CPU's state as published in the shared-info page, so under a paravirtualizing
// hypervisor they need no exit; in user mode they fault like what they replace.
/** Sets the virtual IF (shared-info page) — replaces EI. */
export const OP_VEI = 39;
/** Clears the virtual IF — replaces DI. */
export const OP_VDI = 40;
/** Pops flags including the virtual IF — replaces POPF. */
export const OP_VPOPF = 41;
/** Reads saved trap state (EPC, STATUS, CAUSE, VEC, PTB) from the shared-info page — replaces MFCR. */
export const OP_VMFCR = 42;
/** Writes saved trap state in the shared-info page — replaces MTCR EPC/STATUS/CAUSE. */
export const OP_VMTCR = 43;
/** Reads the clock the hypervisor publishes in the shared-info page — replaces `IN rd, TIMER`. */
export const OP_VCLOCK = 44;
/** Queues a console or NIC word in the shared I/O ring — replaces `OUT CONSOLE|NIC, rs`. */
export const OP_RING = 45;
/**
 * Returns from a trap like IRET, with the virtual IF restored from the saved
 * STATUS into the shared-info page — replaces IRET. No hypercall: on 32-bit x86
 * a ring-1 guest kernel may IRET to ring 1 or ring 3 itself (Linux's xen_iret).
 */
export const OP_VIRET = 46;
/** Number of opcodes, for per-opcode tables. */
export const OP_COUNT = 47;

/** Flag bits in the flags register. */
export const FLAG_Z = 1;
export const FLAG_N = 2;
export const FLAG_IF = 4;
export const FLAGS_MASK = 7;

/** Privilege levels. */
export const MODE_KERNEL = 0;
export const MODE_USER = 1;
export type Mode = typeof MODE_KERNEL | typeof MODE_USER;

/** Control registers, read with MFCR and written with MTCR (PTB only via LPTB). */
export const CR_VEC = 0;
export const CR_EPC = 1;
export const CR_STATUS = 2;
export const CR_CAUSE = 3;
export const CR_PTB = 4;
export const CONTROL_REGISTERS: Readonly<Record<string, number>> = {
  VEC: CR_VEC,
  EPC: CR_EPC,
  STATUS: CR_STATUS,
  CAUSE: CR_CAUSE,
  PTB: CR_PTB,
};

/**
 * STATUS, saved on a trap and restored by IRET: bit 0 = the interrupted code ran
 * in user mode; bits 1–3 = its flags (Z, N, IF), so a handler may freely
 * compare and branch. Entering user mode with interrupts on is STATUS = 9.
 */
export const STATUS_PREV_USER = 1;
export const STATUS_FLAGS_SHIFT = 1;
export const STATUS_PREV_IF = FLAG_IF << STATUS_FLAGS_SHIFT;
export const STATUS_MASK = STATUS_PREV_USER | (FLAGS_MASK << STATUS_FLAGS_SHIFT);

/** Trap causes stored in CAUSE (low 8 bits; the syscall number sits above, `cause >> 8`). */
export const CAUSE_TIMER = 1;
export const CAUSE_SYSCALL = 2;
export const CAUSE_PRIVILEGED = 3;
export const CAUSE_MEMORY = 4;
export const CAUSE_ILLEGAL = 5;

/**
 * The guest's page table: this many words starting at PTB (when PTB > 0). The
 * machine does not translate addresses (see `memory/` for paging), but a monitor
 * using shadow paging write-protects these words, so a store into them is a
 * page-table write it must see — the `ptemod` of Adams & Agesen 2006.
 */
export const PAGE_TABLE_WORDS = 64;

/** I/O ports. */
export const PORT_CONSOLE = 1;
export const PORT_TIMER = 2;
export const PORT_NIC = 3;
export const PORTS: Readonly<Record<string, number>> = {
  CONSOLE: PORT_CONSOLE,
  TIMER: PORT_TIMER,
  NIC: PORT_NIC,
};

/** Register count including the hidden always-zero register used for `[imm]` addressing. */
export const REGISTER_SLOTS = 9;
/** Index of the hidden zero register: `LD r1, [100]` encodes base = ZERO_REGISTER. */
export const ZERO_REGISTER = 8;
export const SP = 7;

/**
 * How an operand is written in assembly and which slot(s) it fills.
 * `mem` is `[reg]`, `[reg+imm]`, `[reg-imm]` or `[imm]` and fills slots b (base) and c (offset).
 */
export type OperandKind = 'reg' | 'imm' | 'target' | 'port' | 'cr' | 'mem' | 'hypercall';
export type Slot = 'a' | 'b' | 'c';
export interface OperandSpec {
  readonly kind: OperandKind;
  readonly slot: Slot;
}

/**
 * How the Popek–Goldberg classification sees an instruction.
 * - `innocuous`: neither reads nor changes privileged state.
 * - `privileged`: traps in user mode (on both machine variants).
 * - `sensitive-unprivileged`: touches privileged state but does not trap (POPF on the classic machine).
 * - `trap`: always transfers to the kernel/monitor (SYSCALL, VMCALL).
 */
export type SensitivityClass = 'innocuous' | 'privileged' | 'sensitive-unprivileged' | 'trap';

/** Static facts about one opcode. */
export interface OpInfo {
  readonly op: number;
  readonly mnemonic: string;
  readonly operands: readonly OperandSpec[];
  readonly sensitivity: SensitivityClass;
  /** True for instructions that may change the program counter other than by +1. */
  readonly branch: boolean;
  /** Operands from this index on may be left out (they encode as 0). Default: none may. */
  readonly optionalFrom?: number;
}

const r = (slot: Slot): OperandSpec => ({ kind: 'reg', slot });
const imm = (slot: Slot): OperandSpec => ({ kind: 'imm', slot });
const target: OperandSpec = { kind: 'target', slot: 'a' };
const mem: OperandSpec = { kind: 'mem', slot: 'b' };

function info(
  op: number,
  mnemonic: string,
  operands: readonly OperandSpec[],
  sensitivity: SensitivityClass = 'innocuous',
  branch = false,
  optionalFrom?: number,
): OpInfo {
  return { op, mnemonic, operands, sensitivity, branch, ...(optionalFrom === undefined ? {} : { optionalFrom }) };
}

/**
 * Every opcode, indexed by its number.
 *
 * @example
 * OPS[OP_ADD].mnemonic // 'ADD'
 * OPS[OP_POPF].sensitivity // 'sensitive-unprivileged'
 */
export const OPS: readonly OpInfo[] = [
  info(OP_NOP, 'NOP', []),
  info(OP_LI, 'LI', [r('a'), imm('b')]),
  info(OP_MOV, 'MOV', [r('a'), r('b')]),
  info(OP_ADD, 'ADD', [r('a'), r('b'), r('c')]),
  info(OP_SUB, 'SUB', [r('a'), r('b'), r('c')]),
  info(OP_MUL, 'MUL', [r('a'), r('b'), r('c')]),
  info(OP_AND, 'AND', [r('a'), r('b'), r('c')]),
  info(OP_OR, 'OR', [r('a'), r('b'), r('c')]),
  info(OP_XOR, 'XOR', [r('a'), r('b'), r('c')]),
  info(OP_SHL, 'SHL', [r('a'), r('b'), r('c')]),
  info(OP_SHR, 'SHR', [r('a'), r('b'), r('c')]),
  info(OP_ADDI, 'ADDI', [r('a'), r('b'), imm('c')]),
  info(OP_CMP, 'CMP', [r('a'), r('b')]),
  info(OP_CMPI, 'CMPI', [r('a'), imm('b')]),
  info(OP_LD, 'LD', [r('a'), mem]),
  info(OP_ST, 'ST', [mem, r('a')]),
  info(OP_JMP, 'JMP', [target], 'innocuous', true),
  info(OP_JZ, 'JZ', [target], 'innocuous', true),
  info(OP_JNZ, 'JNZ', [target], 'innocuous', true),
  info(OP_JLT, 'JLT', [target], 'innocuous', true),
  info(OP_JGE, 'JGE', [target], 'innocuous', true),
  info(OP_CALL, 'CALL', [target], 'innocuous', true),
  info(OP_RET, 'RET', [], 'innocuous', true),
  info(OP_PUSH, 'PUSH', [r('a')]),
  info(OP_POP, 'POP', [r('a')]),
  info(OP_PUSHF, 'PUSHF', []),
  info(OP_POPF, 'POPF', [], 'sensitive-unprivileged'),
  info(OP_SYSCALL, 'SYSCALL', [imm('a')], 'trap', true),
  // `VMCALL n[, rX[, port]]`: a hypercall number (or name, see hypercalls.ts) and its arguments.
  info(OP_VMCALL, 'VMCALL', [{ kind: 'hypercall', slot: 'a' }, r('b'), { kind: 'port', slot: 'c' }], 'trap', true, 1),
  info(OP_IN, 'IN', [r('a'), { kind: 'port', slot: 'b' }], 'privileged'),
  info(OP_OUT, 'OUT', [{ kind: 'port', slot: 'b' }, r('a')], 'privileged'),
  info(OP_EI, 'EI', [], 'privileged'),
  info(OP_DI, 'DI', [], 'privileged'),
  info(OP_HLT, 'HLT', [], 'privileged', true),
  info(OP_LPTB, 'LPTB', [r('a')], 'privileged'),
  info(OP_IRET, 'IRET', [], 'privileged', true),
  info(OP_MFCR, 'MFCR', [r('a'), { kind: 'cr', slot: 'b' }], 'privileged'),
  info(OP_MTCR, 'MTCR', [{ kind: 'cr', slot: 'b' }, r('a')], 'privileged'),
  info(OP_END, '.END', [], 'innocuous', true),
  info(OP_VEI, 'VEI', [], 'privileged'),
  info(OP_VDI, 'VDI', [], 'privileged'),
  info(OP_VPOPF, 'VPOPF', [], 'sensitive-unprivileged'),
  info(OP_VMFCR, 'VMFCR', [r('a'), { kind: 'cr', slot: 'b' }], 'privileged'),
  info(OP_VMTCR, 'VMTCR', [{ kind: 'cr', slot: 'b' }, r('a')], 'privileged'),
  info(OP_VCLOCK, 'VCLOCK', [r('a')], 'privileged'),
  info(OP_RING, 'RING', [{ kind: 'port', slot: 'b' }, r('a')], 'privileged'),
  info(OP_VIRET, 'VIRET', [], 'privileged', true),
];

/** Mnemonic → opcode, for the assembler. The internal END sentinel is not assemblable. */
export const MNEMONICS: ReadonlyMap<string, OpInfo> = new Map(OPS.filter((o) => o.op !== OP_END).map((o) => [o.mnemonic, o]));

/** Opcode facts, with a clear error for an out-of-range opcode. */
export function opInfo(op: number): OpInfo {
  const found = OPS[op];
  if (found === undefined) throw new RangeError(`unknown opcode ${op}`);
  return found;
}

/**
 * The two machine variants.
 * - `classic`: POPF is sensitive but unprivileged (the flaw).
 * - `fixed`: POPF is privileged, so every sensitive instruction traps in user mode.
 */
export type MachineVariant = 'classic' | 'fixed';

/**
 * Whether `op` traps when executed in user mode on `variant`.
 *
 * @example
 * isPrivileged(OP_POPF, 'classic') // false — the flaw
 * isPrivileged(OP_POPF, 'fixed')   // true
 */
export function isPrivileged(op: number, variant: MachineVariant): boolean {
  const s = opInfo(op).sensitivity;
  // VPOPF keeps POPF's user-mode behaviour, so a rewritten user program runs unchanged.
  return s === 'privileged' || (variant === 'fixed' && (op === OP_POPF || op === OP_VPOPF));
}

/**
 * Whether `op` is sensitive in the Popek–Goldberg sense (reads or changes
 * privileged state, or behaves differently by mode). Same on both variants;
 * only *privileged-ness* differs.
 */
export function isSensitive(op: number): boolean {
  const s = opInfo(op).sensitivity;
  return s === 'privileged' || s === 'sensitive-unprivileged';
}
