import type { CpuState } from '../../machine/cpu.ts';
import type { ExitCode } from '../../machine/execute.ts';

/**
 * Translated code for one block: runs the block (and, for a self-loop, further
 * iterations while `fuel` allows a whole iteration), updating pc, flags and
 * `retired` like the interpreter would. Returns the interpreter exit code.
 */
export type BlockFn = (c: CpuState, r: Int32Array, m: Int32Array, fuel: number) => ExitCode;

/** How a translated instruction is treated. */
export type Translation = 'identical' | 'inline-sensitive' | 'branch';

/** One translated basic block in the translation cache. */
export interface Block {
  /** Cache key: `start * 2 + mode`. */
  readonly key: number;
  readonly start: number;
  readonly mode: number;
  /** Instructions in the translated body; 0 for a callout block. */
  readonly length: number;
  /** True when the instruction at `start` is handed to the monitor (I/O, HLT, IRET, LPTB, SYSCALL, adaptive stores...). */
  readonly callout: boolean;
  /** The block ends with a branch back to its own start (compiled as a loop). */
  readonly selfLoop: boolean;
  /** Direct successors (branch target and fall-through) that can be chained. */
  readonly successors: readonly number[];
  /** Per body instruction, how it was translated. */
  readonly translations: readonly Translation[];
  /** Cycles of the first k body instructions, k = 0..length. */
  readonly costPrefix: readonly number[];
  /** Inline-sensitive instructions among the first k, k = 0..length. */
  readonly sensitivePrefix: readonly number[];
  /** The generated JavaScript (for display; also what `run` was compiled from). */
  readonly source: string;
  /** Whether `run` is compiled JavaScript or the interpreter fallback. */
  readonly compiled: boolean;
  readonly run: BlockFn;
}

/** How translated blocks are turned into something runnable. */
export type CompileMode = 'function' | 'interpret';

/** Binary-translation options. */
export interface BtOptions {
  /** Longest block in instructions. Default 64. */
  readonly maxBlockLength: number;
  /** Blocks kept before the whole cache is flushed (as QEMU does when its buffer fills). Default 4096. */
  readonly cacheCapacity: number;
  /** Patch direct branches between blocks so they skip the lookup. Default true. */
  readonly chaining: boolean;
  /**
   * `function`: compile each block to a JavaScript function (fast; needs `new Function`,
   * falls back automatically where a content-security policy forbids it).
   * `interpret`: run blocks with the reference interpreter (same results, slower).
   */
  readonly compile: CompileMode;
}

export const DEFAULT_BT_OPTIONS: BtOptions = {
  maxBlockLength: 64,
  cacheCapacity: 4096,
  chaining: true,
  compile: 'function',
};

/** Translation cache and chaining state of one session. */
export interface BtState {
  readonly options: BtOptions;
  /** Indexed by `pc * 2 + mode`. */
  cache: (Block | undefined)[];
  /** Number of blocks in `cache`. */
  size: number;
  /** Chained edges, keyed `fromKey * edgeStride + toPc`. */
  chained: Set<number>;
  /** The block that just ran and exited normally (for chaining), or null after any monitor event. */
  last: Block | null;
  /** Times the cache was flushed because it was full. */
  flushes: number;
  /**
   * Kernel stores that wrote the write-protected page table: retranslated as
   * callouts (adaptive binary translation [AA06]), by guest pc.
   */
  adaptive: Set<number>;
}

/** A fresh, empty translation cache. */
export function createBtState(options: BtOptions): BtState {
  return { options, cache: [], size: 0, chained: new Set(), last: null, flushes: 0, adaptive: new Set() };
}

/** Copies the cache bookkeeping (translated blocks are immutable and shared). */
export function cloneBtState(bt: BtState): BtState {
  return { ...bt, cache: bt.cache.slice(), chained: new Set(bt.chained), adaptive: new Set(bt.adaptive) };
}
