/**
 * The micro-guest program in v86: the same 64 KiB ROM as QEMU TCG gets (src/protocol/micro-rom.ts)
 * as v86's BIOS, so the bytes the raw-KVM micro-guest runs also run in the emulator of the page.
 * Works in the page and under Node: the caller passes the V86 class and how to get its wasm
 * (micro-v86-browser.ts for the page; the benchmark passes node_modules/v86).
 *
 * Timing: wall time from `run()` to v86's `cpu-event-halt`, which v86 raises when the CPU executes
 * `hlt` with interrupts off (the program's end). v86 also counts the guest instructions it ran.
 */
import type { V86, V86Options } from 'v86';
// Imports with `.ts`: the benchmark loads this file in plain Node (type stripping), not through Vite.
import { microRom } from '../../protocol/micro-rom.ts';
import { nsPerIteration, runPlan, type TimedRun } from '../../protocol/micro-timing.ts';
import type { MicroProgramName, MicroWorkloadName } from '../../protocol/schema.ts';
import { counterDelta } from '../pc/instruction-counter.ts';

/** The V86 class and its wasm, however the environment loads them. */
export interface V86Engine {
  V86: new (options: V86Options) => V86;
  /** `wasm_fn` (a compiled module, instantiated per run) or `wasm_path` (Node). */
  wasm: Pick<V86Options, 'wasm_fn' | 'wasm_path'>;
}

export interface V86MicroRun extends TimedRun {
  /** Guest instructions v86 executed from `run()` to the halt (ROM stub included). */
  instructions: number;
  /** What the program wrote to COM1. */
  consoleText: string;
}

/** v86 needs little RAM for a program at 0x1000 with its stack below 64 KiB. */
const MEMORY_BYTES = 1024 * 1024;
/** A program that has not halted by then never will. */
const RUN_TIMEOUT_MS = 30_000;

/**
 * Runs the program once in a fresh v86 and resolves at its halt. Rejects on timeout or abort.
 * `iterations` is the workload's loop count (ignored by `hello`).
 */
export function runMicroInV86(
  engine: V86Engine,
  program: MicroProgramName,
  iterations: number,
  signal?: AbortSignal,
): Promise<V86MicroRun> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const rom = microRom(program, iterations);
    const emulator = new engine.V86({
      ...engine.wasm,
      bios: { buffer: rom.buffer },
      memory_size: MEMORY_BYTES,
      vga_memory_size: 0,
      autostart: false,
      disable_keyboard: true,
      disable_mouse: true,
      disable_speaker: true,
    });
    let consoleText = '';
    let startedAt = 0;
    let startCounter = 0;
    let settled = false;
    const finish = (outcome: V86MicroRun | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // destroy() stops the CPU and frees its memory; the result does not wait for it.
      void emulator.destroy().catch(() => undefined);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = (): void => finish(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () => finish(new Error(`v86: the micro-program did not halt within ${RUN_TIMEOUT_MS} ms`)),
      RUN_TIMEOUT_MS,
    );
    emulator.add_listener('serial0-output-byte', (byte: number) => (consoleText += String.fromCharCode(byte)));
    emulator.add_listener('emulator-loaded', () => {
      startCounter = emulator.get_instruction_counter();
      startedAt = performance.now();
      void emulator.run();
    });
    // Not in v86.d.ts: the bus event of `hlt` with interrupts off (cpu_event_halt in v86's cpu).
    (emulator.add_listener as (event: string, listener: () => void) => void)('cpu-event-halt', () => {
      const microseconds = (performance.now() - startedAt) * 1000;
      const instructions = counterDelta(startCounter, emulator.get_instruction_counter());
      finish({ iterations, microseconds, instructions, consoleText });
    });
  });
}

export interface V86Timing {
  runs: V86MicroRun[];
  nsPerIteration: number | null;
}

/**
 * A workload (default `out-loop`) at both loop counts, alternately, `repeats` times each, one run
 * after another.
 * @example await timeMicroInV86(engine, [20_000, 200_000], 3) // { runs: [6 runs], nsPerIteration: 150.2 }
 */
export async function timeMicroInV86(
  engine: V86Engine,
  counts: readonly [number, number],
  repeats: number,
  signal?: AbortSignal,
  program: MicroWorkloadName = 'out-loop',
): Promise<V86Timing> {
  const runs: V86MicroRun[] = [];
  for (const iterations of runPlan(counts, repeats)) runs.push(await runMicroInV86(engine, program, iterations, signal));
  return { runs, nsPerIteration: nsPerIteration(runs) };
}
