/**
 * The measured comparison (issue 15): one row per workload, time per operation on each engine.
 * `npm run bench:bridge` fills it (its `compare` section); the page's chart will read the same
 * shape, from the learner's own run or from the project's reference figures. No Node imports.
 *
 * What one operation is, per workload, and what runs it natively: the host runs the course's own
 * fixed `vbench` binary (scripts/guest/tools/vbench.c), never anything a client names.
 *   compute  — one xorshift32 step in registers; natively `vbench cpu`, the same computation
 *              (same seed, same checksum for the same count).
 *   memory   — the first write to a fresh 4 KiB page; natively `vbench pagefault` (the kernel finds,
 *              zeroes and maps a page). In the real-mode micro-guest there are no guest page tables:
 *              under KVM it is the EPT/NPT fill by the host kernel, under TCG and v86 the emulator's
 *              own first write to its RAM.
 *   syscall  — one getppid(); needs a kernel, so only natively here (the micro-guest has none; in
 *              the course's Linux guest `vbench syscall` measures it, see bench:guest).
 *   out-loop — one `out` to port 0x80; natively `vbench portio` (needs root for ioperm).
 */
import type { MicroWorkloadName } from './schema.ts';

export const COMPARE_WORKLOADS = ['compute', 'memory', 'syscall', 'out-loop'] as const;
export type CompareWorkload = (typeof COMPARE_WORKLOADS)[number];
export const COMPARE_ENGINES = ['native', 'kvm', 'tcg', 'v86'] as const;
export type CompareEngine = (typeof COMPARE_ENGINES)[number];

/** The vbench workload that is each row's native figure. */
export const NATIVE_VBENCH: Record<CompareWorkload, 'cpu' | 'pagefault' | 'syscall' | 'portio'> = {
  compute: 'cpu',
  memory: 'pagefault',
  syscall: 'syscall',
  'out-loop': 'portio',
};

/** The micro-guest program of each row, or null where the row needs a kernel. */
export const MICRO_WORKLOAD: Record<CompareWorkload, MicroWorkloadName | null> = {
  compute: 'compute',
  memory: 'memory',
  syscall: null,
  'out-loop': 'out-loop',
};

/** One figure: nanoseconds per operation, or null and why. */
export type Figure = { ns: number } | { ns: null; reason: string };

/** One row as bench:bridge prints it: `<engine>` in ns per operation, `<engine>NullReason` where null. */
export type CompareRow = { workload: CompareWorkload } & { [E in CompareEngine]: number | null } & {
  [E in CompareEngine as `${E}NullReason`]?: string;
};

/**
 * Flattens the figures of a row into what bench:bridge prints.
 * @example compareRow('syscall', { native: { ns: 10700 }, kvm: { ns: null, reason: 'needs a kernel' }, … })
 *   // → { workload: 'syscall', native: 10700, kvm: null, kvmNullReason: 'needs a kernel', … }
 */
export function compareRow(workload: CompareWorkload, figures: Record<CompareEngine, Figure>): CompareRow {
  const row: Record<string, unknown> = { workload };
  for (const engine of COMPARE_ENGINES) {
    const figure = figures[engine];
    row[engine] = figure.ns;
    if (figure.ns === null) row[`${engine}NullReason`] = figure.reason;
  }
  return row as CompareRow;
}

/** One line vbench prints (see vbench.c `report`). */
export interface VbenchLine {
  workload: string;
  iterations?: number;
  elapsed_ns?: number;
  ns_per_op?: number;
  /** `0x…`, for `cpu`. */
  checksum?: string;
  skipped?: string;
}

/**
 * vbench's JSON lines from its output; other lines are ignored.
 * @example parseVbench('{"tool":"vbench","workload":"cpu","iterations":10,"elapsed_ns":50,"ns_per_op":5.00,"checksum":"0x1"}\n')
 *   // → [{ workload: 'cpu', iterations: 10, elapsed_ns: 50, ns_per_op: 5, checksum: '0x1' }]
 */
export function parseVbench(output: string): VbenchLine[] {
  const lines: VbenchLine[] = [];
  for (const text of output.split('\n')) {
    if (!text.startsWith('{"tool":"vbench"')) continue;
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      if (typeof value['workload'] !== 'string') continue;
      const { tool: _tool, ...line } = value;
      lines.push(line as unknown as VbenchLine);
    } catch {
      // a line cut short: not a result
    }
  }
  return lines;
}
