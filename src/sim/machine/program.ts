import { OP_END } from './isa.ts';

/** Initial contents for a run of data memory (from `.data` / `.ascii` directives). */
export interface DataSegment {
  readonly address: number;
  readonly values: readonly number[];
}

/**
 * A decoded program: what the assembler produces and every strategy runs.
 * `code` holds `length + 1` instructions of four slots each; the last one is the
 * END sentinel, so jumping to the address just past the last instruction ends the
 * program and the interpreter never needs a bounds check on the program counter.
 */
export interface Program {
  /** Decoded instructions, `[op, a, b, c]` per instruction, END sentinel last. Treat as read-only. */
  readonly code: Int32Array;
  /** Number of real instructions (excluding the sentinel). */
  readonly length: number;
  /** Source line (1-based) of each instruction, for traces and editors. */
  readonly lines: readonly number[];
  /** Label name → instruction address. */
  readonly labels: ReadonlyMap<string, number>;
  /** Initial data memory. */
  readonly data: readonly DataSegment[];
  /** Data memory size in words requested by `.memory` (undefined: the machine default). */
  readonly memoryWords?: number;
}

/** One instruction as plain numbers. */
export interface Instruction {
  readonly op: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

/**
 * Builds a {@link Program} from instruction tuples; mainly for tests and generators
 * (the assembler is the usual way).
 *
 * @example
 * const p = programFromInstructions([{ op: OP_LI, a: 1, b: 5, c: 0 }, { op: OP_HLT, a: 0, b: 0, c: 0 }]);
 * p.length // 2
 */
export function programFromInstructions(
  instructions: readonly Instruction[],
  options: {
    readonly data?: readonly DataSegment[];
    readonly labels?: ReadonlyMap<string, number>;
    readonly lines?: readonly number[];
    readonly memoryWords?: number;
  } = {},
): Program {
  const n = instructions.length;
  const code = new Int32Array((n + 1) * 4);
  instructions.forEach((ins, i) => {
    code[i * 4] = ins.op;
    code[i * 4 + 1] = ins.a;
    code[i * 4 + 2] = ins.b;
    code[i * 4 + 3] = ins.c;
  });
  code[n * 4] = OP_END;
  const program: Program = {
    code,
    length: n,
    lines: options.lines ?? instructions.map((_, i) => i + 1),
    labels: options.labels ?? new Map(),
    data: options.data ?? [],
    ...(options.memoryWords === undefined ? {} : { memoryWords: options.memoryWords }),
  };
  return program;
}

/** Reads instruction `pc` of a program as an object (for tools, not for the hot path). */
export function instructionAt(code: Int32Array, pc: number): Instruction {
  const i = pc * 4;
  return { op: code[i] ?? OP_END, a: code[i + 1] ?? 0, b: code[i + 2] ?? 0, c: code[i + 3] ?? 0 };
}
