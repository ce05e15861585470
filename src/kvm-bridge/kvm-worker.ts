/**
 * Worker thread that runs micro-guests (KVM_RUN blocks its thread, so it must not run on the
 * bridge's event loop). Receives {@link MicroWorkerRequest} as workerData: one or more runs, one
 * after another in this one thread, so a warm-up run leaves the code that times the later ones
 * compiled. Posts `exit` messages (of the runs that stream), then one `done`, `error` or `aborted`,
 * and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KvmError, MicroGuestAborted, runMicroGuest, type KvmExit, type MicroGuestResult } from './kvm-api.ts';
import type { MicroProgramName } from '../protocol/schema.ts';

/** One run: a fresh VM with the program; `streamLimit` exits are posted one by one. */
export interface MicroWorkerRun {
  program: MicroProgramName;
  iterations: number;
  streamLimit: number;
}

export interface MicroWorkerRequest {
  runs: MicroWorkerRun[];
  devicePath: string;
  /**
   * One Int32 the bridge sets to 1 to stop the run (its client left). Checked after every exit, so
   * the run ends within one exit and releases its fds itself; terminating the worker would not.
   */
  stop: SharedArrayBuffer;
}

export type MicroWorkerReply =
  | { kind: 'exit'; exit: KvmExit }
  | { kind: 'done'; results: MicroGuestResult[] }
  | { kind: 'error'; code: KvmError['code']; detail: string }
  | { kind: 'aborted' };

const port = parentPort;
if (port) {
  const request = workerData as MicroWorkerRequest;
  const stop = new Int32Array(request.stop);
  const post = (reply: MicroWorkerReply): void => port.postMessage(reply);
  try {
    const results = request.runs.map((run) =>
      runMicroGuest({
        ...run,
        devicePath: request.devicePath,
        onExit: (exit) => post({ kind: 'exit', exit }),
        shouldStop: () => Atomics.load(stop, 0) !== 0,
      }),
    );
    post({ kind: 'done', results });
  } catch (error) {
    if (error instanceof MicroGuestAborted) post({ kind: 'aborted' });
    else if (error instanceof KvmError) post({ kind: 'error', code: error.code, detail: error.message });
    else post({ kind: 'error', code: 'kvm-unusable', detail: String(error) });
  }
}
