/**
 * `micro-run`: a micro-guest program timed under KVM (the raw KVM API in a worker, micro-guest.ts)
 * or QEMU TCG (the same bytes as a BIOS, micro-qemu.ts). Runs one after another — side by side they
 * would compete for the CPU —, a warm-up run first, and answers with one `micro-run-result`, or the
 * `error` to send.
 */
import type { MessageKey, MessageParams } from '../protocol/texts.ts';
import { runMicroGuestInWorker } from './micro-guest.ts';
import { haltedAtProgramEnd, MicroQemuError, runMicroInQemu } from './micro-qemu.ts';
import { microHaltedEip } from '../protocol/micro-rom.ts';
import { microCounts, nsPerIteration, runPlan } from '../protocol/micro-timing.ts';
import type { ClientMessage, ServerMessage } from '../protocol/schema.ts';

type MicroRunRequest = Extract<ClientMessage, { type: 'micro-run' }>;
type MicroRunResult = Extract<ServerMessage, { type: 'micro-run-result' }>;
export type MicroRunOutcome =
  { ok: true; result: Omit<MicroRunResult, 'ref'> } | { ok: false; code: MessageKey; params: MessageParams };

export interface MicroRunSettings {
  kvmDevice: string;
  qemuDir: string | undefined;
  runtimeDir: string;
  /** The KVM module's name, for the result's `engine` (asked only for KVM runs). */
  kvmModule: () => Promise<string>;
  /** Aborted when the client leaves or the bridge stops: QEMU is killed, nothing is answered. */
  signal: AbortSignal;
}

type Run = MicroRunResult['runs'][number];

/**
 * The runs of a request: a warm-up (not reported), then the workload at both counts alternately,
 * or `hello` `repeats` times.
 */
function plan(request: MicroRunRequest): { warmUp: number; timed: (number | null)[] } {
  if (request.program === 'hello') return { warmUp: 1, timed: Array<null>(request.repeats).fill(null) };
  const counts = microCounts(request.program, request.counts);
  return { warmUp: counts[0], timed: runPlan(counts, request.repeats) };
}

export async function runMicroProgram(request: MicroRunRequest, settings: MicroRunSettings): Promise<MicroRunOutcome | null> {
  const { warmUp, timed } = plan(request);
  const runs: Run[] = [];
  let consoleText = '';
  let exits: MicroRunResult['exits'] = null;
  let engine = '';
  try {
    if (request.accel === 'kvm') {
      // One worker for the warm-up and every timed run: the timing code is compiled by the first.
      const outcome = await runMicroGuestInWorker(
        {
          runs: [warmUp, ...timed].map((iterations) => ({
            program: request.program,
            iterations: iterations ?? 1,
            streamLimit: 0,
          })),
          devicePath: settings.kvmDevice,
        },
        () => undefined,
        settings.signal,
      );
      if (outcome === null) return null; // aborted
      if (!outcome.ok) {
        const params: MessageParams =
          outcome.code === 'kvm-not-a-kvm-device' ? { path: settings.kvmDevice } : { detail: outcome.detail };
        return { ok: false, code: outcome.code, params };
      }
      outcome.results.slice(1).forEach((r, i) => {
        runs.push({ iterations: timed[i] ?? null, microseconds: r.elapsedMicroseconds, exits: r.totalExits });
        consoleText = r.consoleText;
        const microsecondsPerExit = r.totalExits > 0 ? r.elapsedMicroseconds / r.totalExits : 0;
        exits = { total: r.totalExits, counts: r.exitCounts, microsecondsPerExit };
      });
      engine = await settings.kvmModule();
    } else {
      for (const [index, iterations] of [warmUp, ...timed].entries()) {
        if (settings.signal.aborted) return null;
        const run = await runMicroInQemu({
          program: request.program,
          iterations: iterations ?? 1,
          qemuDir: settings.qemuDir,
          runtimeDir: settings.runtimeDir,
          signal: settings.signal,
        });
        // The ROM and the program ran as written only if the CPU halted right after the program's `hlt`.
        if (!haltedAtProgramEnd(run)) {
          const detail = `halted at EIP 0x${run.haltedEip.toString(16)}, expected 0x${microHaltedEip(run.program).toString(16)}`;
          return { ok: false, code: 'qemu-failed', params: { detail } };
        }
        if (index === 0) continue; // the warm-up
        runs.push({ iterations, microseconds: run.microseconds, exits: null });
        consoleText = run.consoleText;
        engine = `QEMU ${run.qemuVersion}`;
      }
    }
  } catch (error) {
    if (settings.signal.aborted) return null;
    if (error instanceof MicroQemuError) return { ok: false, code: error.code, params: error.params };
    throw error;
  }
  const timedRuns = runs.map((r) => ({ iterations: r.iterations ?? 0, microseconds: r.microseconds }));
  return {
    ok: true,
    result: {
      type: 'micro-run-result',
      accel: request.accel,
      program: request.program,
      engine,
      timer: request.accel === 'kvm' ? 'kvm-run-loop' : 'vcpu-thread-runnable',
      runs,
      nsPerIteration: request.program === 'hello' ? null : nsPerIteration(timedRuns),
      consoleText: consoleText.slice(0, 256),
      exits,
    },
  };
}
