import type { CpuState } from './cpu.ts';

/**
 * Everything a program can observe about a finished run, as plain data: the
 * state two strategies must agree on. Cycle counts are deliberately absent
 * (they are what strategies differ in).
 */
export interface ArchState {
  readonly regs: readonly number[];
  readonly pc: number;
  readonly flags: number;
  readonly mode: number;
  readonly vec: number;
  readonly epc: number;
  readonly status: number;
  readonly cause: number;
  readonly ptb: number;
  readonly timerPeriod: number;
  readonly timerLeft: number;
  readonly ticks: number;
  readonly irqPending: number;
  readonly memory: readonly number[];
  readonly console: string;
  readonly consoleCount: number;
  readonly consoleChecksum: number;
  readonly nicWords: number;
  readonly nicChecksum: number;
  readonly retired: number;
  readonly stop: number;
}

/**
 * Snapshot of the architectural state (registers r0–r7, memory, devices...).
 *
 * @example
 * archState(cpu).regs // [0, 5, 0, 0, 0, 0, 0, 4096]
 */
export function archState(cpu: CpuState): ArchState {
  return {
    regs: Array.from(cpu.regs.subarray(0, 8)),
    pc: cpu.pc,
    flags: cpu.flags,
    mode: cpu.mode,
    vec: cpu.vec,
    epc: cpu.epc,
    status: cpu.status,
    cause: cpu.cause,
    ptb: cpu.ptb,
    timerPeriod: cpu.timerPeriod,
    timerLeft: cpu.timerLeft,
    ticks: cpu.ticks,
    irqPending: cpu.irqPending,
    memory: Array.from(cpu.mem),
    console: String.fromCharCode(...cpu.console),
    consoleCount: cpu.consoleCount,
    consoleChecksum: cpu.consoleChecksum,
    nicWords: cpu.nicWords,
    nicChecksum: cpu.nicChecksum,
    retired: cpu.retired,
    stop: cpu.stop,
  };
}

/** One difference found by {@link diffArch}. */
export interface ArchDifference {
  /** Field name, or `memory[addr]` / `regs[i]`. */
  readonly field: string;
  readonly expected: number | string;
  readonly actual: number | string;
}

/**
 * Differences between two architectural states (empty when equal). At most
 * `limit` memory words are listed.
 *
 * @example
 * diffArch(archState(native), archState(trapAndEmulate))
 * // [{ field: 'flags', expected: 4, actual: 0 }, { field: 'memory[100]', expected: 7, actual: 1 }]
 */
export function diffArch(expected: ArchState, actual: ArchState, limit = 8): ArchDifference[] {
  const out: ArchDifference[] = [];
  for (let i = 0; i < 8; i++) {
    const e = expected.regs[i] ?? 0;
    const a = actual.regs[i] ?? 0;
    if (e !== a) out.push({ field: `regs[${i}]`, expected: e, actual: a });
  }
  const scalar = [
    'pc',
    'flags',
    'mode',
    'vec',
    'epc',
    'status',
    'cause',
    'ptb',
    'timerPeriod',
    'timerLeft',
    'ticks',
    'irqPending',
    'console',
    'consoleCount',
    'consoleChecksum',
    'nicWords',
    'nicChecksum',
    'retired',
    'stop',
  ] as const;
  for (const key of scalar) {
    if (expected[key] !== actual[key]) out.push({ field: key, expected: expected[key], actual: actual[key] });
  }
  const words = Math.max(expected.memory.length, actual.memory.length);
  let listed = 0;
  for (let i = 0; i < words && listed < limit; i++) {
    const e = expected.memory[i] ?? 0;
    const a = actual.memory[i] ?? 0;
    if (e !== a) {
      out.push({ field: `memory[${i}]`, expected: e, actual: a });
      listed++;
    }
  }
  return out;
}
