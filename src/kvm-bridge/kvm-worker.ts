/**
 * Worker thread that runs one micro-guest (KVM_RUN blocks its thread, so it must not run on the
 * bridge's event loop). Receives {@link MicroWorkerRequest} as workerData; posts `exit` messages,
 * then one `done`, `error` or `aborted`, and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KvmError, MicroGuestAborted, runMicroGuest, type KvmExit, type MicroGuestResult } from './kvm-api.ts';
import type { MicroProgramName } from '../protocol/schema.ts';

export interface MicroWorkerRequest {
  program: MicroProgramName;
  iterations: number;
  devicePath: string;
  streamLimit: number;
  /**
   * One Int32 the bridge sets to 1 to stop the run (its client left). Checked after every exit, so
   * the run ends within one exit and releases its fds itself; terminating the worker would not.
   */
  stop: SharedArrayBuffer;
}

export type MicroWorkerReply =
  | { kind: 'exit'; exit: KvmExit }
  | { kind: 'done'; result: MicroGuestResult }
  | { kind: 'error'; code: KvmError['code']; detail: string }
  | { kind: 'aborted' };

const port = parentPort;
if (port) {
  const request = workerData as MicroWorkerRequest;
  const stop = new Int32Array(request.stop);
  const post = (reply: MicroWorkerReply): void => port.postMessage(reply);
  try {
    const result = runMicroGuest({
      program: request.program,
      iterations: request.iterations,
      devicePath: request.devicePath,
      streamLimit: request.streamLimit,
      onExit: (exit) => post({ kind: 'exit', exit }),
      shouldStop: () => Atomics.load(stop, 0) !== 0,
    });
    post({ kind: 'done', result });
  } catch (error) {
    if (error instanceof MicroGuestAborted) post({ kind: 'aborted' });
    else if (error instanceof KvmError) post({ kind: 'error', code: error.code, detail: error.message });
    else post({ kind: 'error', code: 'kvm-unusable', detail: String(error) });
  }
}
