/**
 * `hello-kvm`: the runs one request makes and the `hello-kvm-done` they add up to. The page shows
 * every exit of one run as it happens, and sending each exit to the page costs more than the exit
 * itself, so the time per exit of that run is not the cost of an exit. The exit is timed apart:
 * after a warm-up, `out-loop` unstreamed at two counts (start-up cancels, as in micro-run), and the
 * requested program once more unstreamed, so the streaming cost is the difference.
 */
import type { MicroGuestResult } from './kvm-api.ts';
import type { MicroWorkerRun } from './kvm-worker.ts';
import { EXIT_TIMING_COUNTS, EXIT_TIMING_REPEATS, nsPerIteration, runPlan } from '../protocol/micro-timing.ts';
import type { MicroProgramName, ServerMessage } from '../protocol/schema.ts';

type HelloKvmDone = Extract<ServerMessage, { type: 'hello-kvm-done' }>;

/** Exits streamed to the page one by one; the rest are only counted. */
export const HELLO_STREAM_LIMIT = 64;

/** Index of the streamed run in {@link helloKvmRuns}. */
const STREAMED = 1;

/**
 * The runs of one request, in order: warm-up, the streamed run, the same unstreamed, then the
 * exit timing.
 * @example helloKvmRuns('hello', 1).map((r) => r.streamLimit) // [0, 64, 0, 0, 0, 0, 0]
 */
export function helloKvmRuns(program: MicroProgramName, iterations: number): MicroWorkerRun[] {
  const counts: readonly [number, number] = EXIT_TIMING_COUNTS;
  return [
    { program: 'out-loop', iterations: counts[0], streamLimit: 0 },
    { program, iterations, streamLimit: HELLO_STREAM_LIMIT },
    { program, iterations, streamLimit: 0 },
    ...runPlan(counts, EXIT_TIMING_REPEATS).map((n) => ({ program: 'out-loop' as const, iterations: n, streamLimit: 0 })),
  ];
}

/**
 * The answer from the results of {@link helloKvmRuns} (same order).
 * @example helloKvmDone(results, 'kvm_pvm').microsecondsPerExit // 8.4
 */
export function helloKvmDone(results: readonly MicroGuestResult[], kvmModule: string): Omit<HelloKvmDone, 'ref'> {
  const streamed = results[STREAMED];
  const unstreamed = results[STREAMED + 1];
  if (!streamed || !unstreamed) throw new Error('hello-kvm: missing runs');
  const timing = results.slice(STREAMED + 2);
  // One exit per out-loop iteration, so ns per iteration is ns per exit (plus the loop's three instructions).
  const ns = nsPerIteration(timing.map((r) => ({ iterations: r.totalExits, microseconds: r.elapsedMicroseconds })));
  const microsecondsPerExit = ns !== null && ns > 0 ? ns / 1000 : null;
  return {
    type: 'hello-kvm-done',
    program: streamed.program,
    totalExits: streamed.totalExits,
    streamedExits: streamed.streamedExits,
    exitCounts: streamed.exitCounts,
    consoleText: streamed.consoleText,
    elapsedMicroseconds: streamed.elapsedMicroseconds,
    streamedMicrosecondsPerExit: streamed.totalExits > 0 ? streamed.elapsedMicroseconds / streamed.totalExits : 0,
    unstreamedElapsedMicroseconds: unstreamed.elapsedMicroseconds,
    microsecondsPerExit,
    exitsPerSecond: microsecondsPerExit === null ? null : 1e6 / microsecondsPerExit,
    streamingMicrosecondsPerExit:
      streamed.streamedExits > 0
        ? (streamed.elapsedMicroseconds - unstreamed.elapsedMicroseconds) / streamed.streamedExits
        : null,
    exitTimingCounts: [EXIT_TIMING_COUNTS[0], EXIT_TIMING_COUNTS[1]],
    kvmModule,
  };
}
