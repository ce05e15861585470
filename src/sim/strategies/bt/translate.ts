import {
  CR_CAUSE,
  CR_EPC,
  CR_PTB,
  CR_STATUS,
  CR_VEC,
  isPrivileged,
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
  OP_RING,
  OP_VCLOCK,
  OP_VDI,
  OP_VEI,
  OP_VMFCR,
  OP_VMTCR,
  OP_VPOPF,
  OP_VIRET,
  PAGE_TABLE_WORDS,
  STATUS_MASK,
  type MachineVariant,
} from '../../machine/isa.ts';
import { disassemble } from '../../machine/disasm.ts';
import { execute, EXIT_FAULT, EXIT_FUEL, EXIT_PT_WRITE, EXIT_RESYNC, type ExecContext } from '../../machine/execute.ts';
import { instructionAt } from '../../machine/program.ts';
import type { CostModel } from '../costs.ts';
import type { Block, BlockFn, CompileMode, Translation } from './state.ts';

/** Instructions always handed to the monitor, in any mode: they touch devices, the MMU or control flow across modes. */
// Paravirtual operations (VEI … RING) only appear here if a learner types them: rare,
// so the monitor executes them rather than the translator learning them.
const CALLOUT_OPS: ReadonlySet<number> = new Set([
  OP_IN,
  OP_OUT,
  OP_HLT,
  OP_LPTB,
  OP_IRET,
  OP_SYSCALL,
  OP_VMCALL,
  OP_VEI,
  OP_VDI,
  OP_VPOPF,
  OP_VMFCR,
  OP_VMTCR,
  OP_VCLOCK,
  OP_RING,
  OP_VIRET,
]);
/** Sensitive instructions a kernel-mode block rewrites into plain code on the virtual CPU [AA06]. */
const INLINE_KERNEL_OPS: ReadonlySet<number> = new Set([OP_EI, OP_DI, OP_POPF, OP_MFCR, OP_MTCR]);

/**
 * How the translator treats `op` in `mode`: `callout` (the monitor executes it),
 * `inline-sensitive` (rewritten into code on the virtual CPU), `branch` (ends the
 * block, translated in place), `end` (the program's END) or `identical`.
 *
 * @example
 * classify(OP_DI, MODE_KERNEL, 'classic')   // 'inline-sensitive': DI becomes `vIF = 0`
 * classify(OP_DI, MODE_USER, 'classic')     // 'callout': the monitor reflects a fault
 * classify(OP_POPF, MODE_USER, 'classic')   // 'inline-sensitive': user POPF keeps IF
 */
export function classify(
  op: number,
  mode: number,
  variant: MachineVariant,
): 'callout' | 'inline-sensitive' | 'branch' | 'end' | 'identical' {
  if (op === OP_END) return 'end';
  if (CALLOUT_OPS.has(op)) return 'callout';
  if (mode === MODE_USER) {
    if (isPrivileged(op, variant)) return 'callout';
    if (op === OP_POPF) return 'inline-sensitive';
  } else if (INLINE_KERNEL_OPS.has(op)) {
    return 'inline-sensitive';
  }
  if (op === OP_JMP || op === OP_JZ || op === OP_JNZ || op === OP_JLT || op === OP_JGE || op === OP_CALL || op === OP_RET) {
    return 'branch';
  }
  return 'identical';
}

/** Extent of a block found by {@link scanBlock}. */
export interface BlockShape {
  readonly start: number;
  readonly length: number;
  readonly callout: boolean;
  readonly translations: readonly Translation[];
}

/**
 * Finds the basic block starting at `start`: instructions up to and including
 * the first branch, stopping before a callout or END, at most `maxLength`.
 * A callout at `start` gives a callout block of length 0. Instructions in
 * `adaptive` (stores that wrote the page table) are callouts too.
 */
export function scanBlock(
  code: Int32Array,
  start: number,
  mode: number,
  variant: MachineVariant,
  maxLength: number,
  adaptive: ReadonlySet<number> = new Set(),
): BlockShape {
  const translations: Translation[] = [];
  let pc = start;
  while (translations.length < maxLength) {
    const kind = adaptive.has(pc) ? 'callout' : classify(code[pc * 4] ?? OP_END, mode, variant);
    if (kind === 'end') break;
    if (kind === 'callout') {
      return { start, length: translations.length, callout: translations.length === 0, translations };
    }
    translations.push(kind === 'branch' ? 'branch' : kind);
    pc++;
    if (kind === 'branch') break;
  }
  return { start, length: translations.length, callout: false, translations };
}

interface CodegenInput {
  readonly code: Int32Array;
  readonly shape: BlockShape;
  readonly mode: number;
  readonly memSize: number;
  readonly codeLength: number;
  /** Stores check the write-protected page table (shadow paging) and leave the block before writing it. */
  readonly protectPageTable?: boolean;
}

const CONDITIONS: Readonly<Record<number, string>> = {
  [OP_JZ]: '(f & 1) !== 0',
  [OP_JNZ]: '(f & 1) === 0',
  [OP_JLT]: '(f & 2) !== 0',
  [OP_JGE]: '(f & 2) === 0',
};

const CONTROL_FIELDS: Readonly<Record<number, string>> = {
  [CR_VEC]: 'vec',
  [CR_EPC]: 'epc',
  [CR_STATUS]: 'status',
  [CR_CAUSE]: 'cause',
  [CR_PTB]: 'ptb',
};

/** Whether the block's last instruction branches back to its start. */
export function isSelfLoop(code: Int32Array, shape: BlockShape): boolean {
  if (shape.length === 0) return false;
  const last = instructionAt(code, shape.start + shape.length - 1);
  return (last.op === OP_JMP || last.op in CONDITIONS) && last.a === shape.start;
}

/**
 * Generates the body of a {@link BlockFn} for a block: straight-line JavaScript
 * over the register file `r`, memory `m` and CPU `c`, with the flags in a local.
 * Sensitive kernel instructions become operations on the virtual CPU (no trap);
 * a branch back to the start becomes a loop bounded by `fuel`.
 *
 * @example
 * // loop: ADDI r1, r1, 1 / CMPI r1, 10 / JLT loop   (kernel mode)
 * generateBlockSource(...) // "let f = c.flags; let n = 0; for (;;) { r[1] = (r[1] + 1) | 0; ..."
 */
export function generateBlockSource(input: CodegenInput): string {
  const { code, shape, mode, memSize, codeLength } = input;
  const protect = input.protectPageTable === true;
  const loop = isSelfLoop(code, shape);
  const len = shape.length;
  const ex = (k: number): string => (loop ? `n + ${k}` : String(k));
  const leave = (pc: number, executed: string, exit: number): string =>
    `{ c.pc = ${pc}; c.flags = f; c.retired += ${executed}; return ${exit}; }`;
  const fault = (k: number): string => leave(shape.start + k, ex(k), EXIT_FAULT);
  const bounds = (v: string, k: number): string => `if ((${v} >>> 0) >= ${memSize}) ${fault(k)}`;
  // A store into the page table leaves before writing, for the monitor (LPTB is a callout, so PTB is fixed here).
  const check = (v: string, k: number, store = false): string =>
    store && protect
      ? `${bounds(v, k)} if (pt !== 0 && ((${v} - pt) >>> 0) < ${PAGE_TABLE_WORDS}) ${leave(shape.start + k, ex(k), EXIT_PT_WRITE)}`
      : bounds(v, k);
  const lines: string[] = ['let f = c.flags;'];
  if (protect) lines.push('const pt = c.ptb > 0 ? c.ptb : 0;');
  if (loop) lines.push('let n = 0;', 'for (;;) {');
  let ended = false;

  for (let k = 0; k < len; k++) {
    const pc = shape.start + k;
    const { op, a, b, c } = instructionAt(code, pc);
    lines.push(`// ${pc}: ${disassemble(code, pc)}`);
    switch (op) {
      case OP_NOP:
        break;
      case OP_LI:
        lines.push(`r[${a}] = ${b};`);
        break;
      case OP_MOV:
        lines.push(`r[${a}] = r[${b}];`);
        break;
      case OP_ADD:
        lines.push(`r[${a}] = (r[${b}] + r[${c}]) | 0;`);
        break;
      case OP_SUB:
        lines.push(`r[${a}] = (r[${b}] - r[${c}]) | 0;`);
        break;
      case OP_MUL:
        lines.push(`r[${a}] = Math.imul(r[${b}], r[${c}]);`);
        break;
      case OP_AND:
        lines.push(`r[${a}] = r[${b}] & r[${c}];`);
        break;
      case OP_OR:
        lines.push(`r[${a}] = r[${b}] | r[${c}];`);
        break;
      case OP_XOR:
        lines.push(`r[${a}] = r[${b}] ^ r[${c}];`);
        break;
      case OP_SHL:
        lines.push(`r[${a}] = r[${b}] << (r[${c}] & 31);`);
        break;
      case OP_SHR:
        lines.push(`r[${a}] = r[${b}] >>> (r[${c}] & 31);`);
        break;
      case OP_ADDI:
        lines.push(`r[${a}] = (r[${b}] + ${c}) | 0;`);
        break;
      case OP_CMP:
        lines.push(`{ const x = r[${a}], y = r[${b}]; f = (f & 4) | (x === y ? 1 : 0) | (x < y ? 2 : 0); }`);
        break;
      case OP_CMPI:
        lines.push(`{ const x = r[${a}]; f = (f & 4) | (x === ${b} ? 1 : 0) | (x < ${b} ? 2 : 0); }`);
        break;
      case OP_LD:
        lines.push(`{ const e = (r[${b}] + ${c}) | 0; ${check('e', k)} r[${a}] = m[e]; }`);
        break;
      case OP_ST:
        lines.push(`{ const e = (r[${b}] + ${c}) | 0; ${check('e', k, true)} m[e] = r[${a}]; }`);
        break;
      case OP_PUSH:
        lines.push(`{ const s = (r[7] - 1) | 0; ${check('s', k, true)} m[s] = r[${a}]; r[7] = s; }`);
        break;
      case OP_POP:
        lines.push(`{ const s = r[7]; ${check('s', k)} const v = m[s]; r[7] = (s + 1) | 0; r[${a}] = v; }`);
        break;
      case OP_PUSHF:
        lines.push(`{ const s = (r[7] - 1) | 0; ${check('s', k, true)} m[s] = f; r[7] = s; }`);
        break;
      case OP_POPF:
        if (mode === MODE_USER) {
          // User-mode POPF on the classic machine: the popped IF is ignored.
          lines.push(`{ const s = r[7]; ${check('s', k)} const v = m[s]; r[7] = (s + 1) | 0; f = (f & 4) | (v & 3); }`);
        } else {
          // Rewritten: the translator knows this is the guest kernel, so it restores
          // the *virtual* IF — exactly what trap-and-emulate cannot do on this machine.
          lines.push(
            `{ const s = r[7]; ${check('s', k)} const v = m[s]; r[7] = (s + 1) | 0; f = v & 7; ` +
              `if ((f & 4) !== 0 && c.irqPending !== 0) ${leave(pc + 1, ex(k + 1), EXIT_RESYNC)} }`,
          );
        }
        break;
      case OP_EI:
        lines.push(`f |= 4; if (c.irqPending !== 0) ${leave(pc + 1, ex(k + 1), EXIT_RESYNC)}`);
        break;
      case OP_DI:
        lines.push('f &= -5;');
        break;
      case OP_MFCR: {
        const field = CONTROL_FIELDS[b];
        lines.push(field === undefined ? `r[${a}] = 0;` : `r[${a}] = c.${field};`);
        break;
      }
      case OP_MTCR: {
        const field = CONTROL_FIELDS[b];
        if (b === CR_STATUS) lines.push(`c.status = r[${a}] & ${STATUS_MASK};`);
        else if (field !== undefined && b !== CR_PTB) lines.push(`c.${field} = r[${a}];`);
        break;
      }
      case OP_JMP:
      case OP_JZ:
      case OP_JNZ:
      case OP_JLT:
      case OP_JGE: {
        ended = true;
        const cond = op === OP_JMP ? 'true' : (CONDITIONS[op] ?? 'true');
        if (loop) {
          lines.push(
            `if (${cond}) { n += ${len}; if (n + ${len} > fuel) { c.pc = ${shape.start}; break; } continue; }`,
            `c.pc = ${pc + 1}; n += ${len}; break;`,
            '}',
            'c.flags = f; c.retired += n; return 0;',
          );
        } else {
          lines.push(`c.pc = ${cond} ? ${a} : ${pc + 1};`, `c.flags = f; c.retired += ${len}; return 0;`);
        }
        break;
      }
      case OP_CALL:
        ended = true;
        lines.push(
          `{ const s = (r[7] - 1) | 0; ${check('s', k, true)} m[s] = ${pc + 1}; r[7] = s; }`,
          `c.pc = ${a}; c.flags = f; c.retired += ${len}; return 0;`,
        );
        break;
      case OP_RET:
        ended = true;
        lines.push(
          `{ const s = r[7]; ${check('s', k)} const t = m[s]; if ((t >>> 0) > ${codeLength}) ${fault(k)} r[7] = (s + 1) | 0; c.pc = t; }`,
          `c.flags = f; c.retired += ${len}; return 0;`,
        );
        break;
      default:
        throw new RangeError(`opcode ${op} at ${pc} cannot be inside a translated block`);
    }
  }
  if (!ended) lines.push(`c.pc = ${shape.start + len}; c.flags = f; c.retired += ${len}; return 0;`);
  return lines.join('\n');
}

/**
 * Turns generated source into a function. Uses the `Function` constructor —
 * this is the "translation to host code" of binary translation; the source is
 * built only from decoded integers, never from user text. If the environment
 * forbids it (a CSP without 'unsafe-eval'), returns undefined and the caller
 * uses the interpreter fallback.
 */
function compileSource(source: string): BlockFn | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- deliberate: this is the translator's code generator (see above)
    return new Function('c', 'r', 'm', 'fuel', `"use strict";\n${source}`) as BlockFn;
  } catch {
    return undefined;
  }
}

/** The interpreter fallback: same semantics as the generated code, via the reference interpreter. */
function interpretedBlock(code: Int32Array, shape: BlockShape, loop: boolean, ctx: ExecContext): BlockFn {
  const len = shape.length;
  return (c, _r, _m, fuel) => {
    const before = c.retired;
    for (;;) {
      const exit = execute(c, len, ctx, code);
      if (exit !== EXIT_FUEL) return exit;
      if (!loop || c.pc !== shape.start || c.retired - before + len > fuel) return exit;
    }
  };
}

/** Everything {@link translateBlock} needs. */
export interface TranslateInput {
  readonly code: Int32Array;
  readonly start: number;
  readonly mode: number;
  readonly variant: MachineVariant;
  readonly memSize: number;
  readonly maxBlockLength: number;
  readonly costs: CostModel;
  readonly compile: CompileMode;
  /** The context translated code runs under, for the interpreter fallback (its `protectPageTable` applies to the code too). */
  readonly ctx: ExecContext;
  /** Stores that are callouts (adaptive binary translation). */
  readonly adaptive: ReadonlySet<number>;
}

/**
 * Translates the block at `start` in `mode`.
 *
 * @example
 * const b = translateBlock({ code, start: 4, mode: MODE_KERNEL, ... });
 * b.length; b.selfLoop; b.source // the generated JavaScript
 */
export function translateBlock(input: TranslateInput): Block {
  const { code, start, mode, costs } = input;
  const codeLength = (code.length >> 2) - 1;
  const shape = scanBlock(code, start, mode, input.variant, input.maxBlockLength, input.adaptive);
  const loop = isSelfLoop(code, shape);
  const costPrefix = [0];
  const sensitivePrefix = [0];
  for (const t of shape.translations) {
    costPrefix.push(
      (costPrefix.at(-1) ?? 0) + (t === 'inline-sensitive' ? costs.translatedSensitiveInline : costs.translatedInstruction),
    );
    sensitivePrefix.push((sensitivePrefix.at(-1) ?? 0) + (t === 'inline-sensitive' ? 1 : 0));
  }
  const successors: number[] = [];
  if (shape.length > 0) {
    const last = instructionAt(code, start + shape.length - 1);
    if (last.op === OP_JMP || last.op === OP_CALL) successors.push(last.a);
    else if (last.op in CONDITIONS) successors.push(last.a, start + shape.length);
    else if (last.op !== OP_RET) successors.push(start + shape.length);
  }
  const source = shape.callout
    ? `// ${start}: ${disassemble(code, start)}\n// callout: the monitor emulates this instruction`
    : generateBlockSource({
        code,
        shape,
        mode,
        memSize: input.memSize,
        codeLength,
        protectPageTable: input.ctx.protectPageTable,
      });
  const compiledFn = shape.callout || input.compile !== 'function' ? undefined : compileSource(source);
  const run = compiledFn ?? interpretedBlock(code, shape, loop, input.ctx);
  return {
    key: start * 2 + mode,
    start,
    mode,
    length: shape.length,
    callout: shape.callout,
    selfLoop: loop,
    successors,
    translations: shape.translations,
    costPrefix,
    sensitivePrefix,
    source,
    compiled: compiledFn !== undefined,
    run,
  };
}
