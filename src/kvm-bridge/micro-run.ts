/**
 * `micro-run`: a micro-guest program timed under KVM (the raw KVM API in a worker, micro-guest.ts)
 * or QEMU TCG (the same bytes as a BIOS, micro-qemu.ts). Runs one after another — side by side they
 * would compete for the CPU — and answers with one `micro-run-result`, or the `error` to send.
 */
import type { MessageKey, MessageParams } from '../protocol/texts.ts';
import { runMicroGuestInWorker } from './micro-guest.ts';
import { haltedAtProgramEnd, MicroQemuError, runMicroInQemu } from './micro-qemu.ts';
import { microHaltedEip } from '../protocol/micro-rom.ts';
import { nsPerIteration, runPlan } from '../protocol/micro-timing.ts';
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

export async function runMicroProgram(request: MicroRunRequest, settings: MicroRunSettings): Promise<MicroRunOutcome | null> {
  const plan: (number | null)[] =
    request.program === 'out-loop' ? runPlan(request.counts, request.repeats) : Array<null>(request.repeats).fill(null);
  const runs: Run[] = [];
  let consoleText = '';
  let exits: MicroRunResult['exits'] = null;
  let engine = '';
  try {
    for (const iterations of plan) {
      if (settings.signal.aborted) return null;
      if (request.accel === 'kvm') {
        const outcome = await runMicroGuestInWorker(
          { program: request.program, iterations: iterations ?? 1, devicePath: settings.kvmDevice, streamLimit: 0 },
          () => undefined,
          settings.signal,
        );
        if (outcome === null) return null; // aborted
        if (!outcome.ok) {
          const params: MessageParams =
            outcome.code === 'kvm-not-a-kvm-device' ? { path: settings.kvmDevice } : { detail: outcome.detail };
          return { ok: false, code: outcome.code, params };
        }
        const r = outcome.result;
        runs.push({ iterations, microseconds: r.elapsedMicroseconds, exits: r.totalExits });
        consoleText = r.consoleText;
        const microsecondsPerExit = r.totalExits > 0 ? r.elapsedMicroseconds / r.totalExits : 0;
        exits = { total: r.totalExits, counts: r.exitCounts, microsecondsPerExit };
      } else {
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
        runs.push({ iterations, microseconds: run.microseconds, exits: null });
        consoleText = run.consoleText;
        engine = `QEMU ${run.qemuVersion}`;
      }
    }
    if (request.accel === 'kvm') engine = await settings.kvmModule();
  } catch (error) {
    if (settings.signal.aborted) return null;
    if (error instanceof MicroQemuError) return { ok: false, code: error.code, params: error.params };
    throw error;
  }
  const timed = runs.map((r) => ({ iterations: r.iterations ?? 0, microseconds: r.microseconds }));
  return {
    ok: true,
    result: {
      type: 'micro-run-result',
      accel: request.accel,
      program: request.program,
      engine,
      timer: request.accel === 'kvm' ? 'kvm-run-loop' : 'vcpu-thread-runnable',
      runs,
      nsPerIteration: request.program === 'out-loop' ? nsPerIteration(timed) : null,
      consoleText: consoleText.slice(0, 256),
      exits,
    },
  };
}
