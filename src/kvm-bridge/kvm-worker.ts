/**
 * Worker thread that runs one micro-guest (KVM_RUN blocks its thread, so it must not run on the
 * bridge's event loop). Receives {@link MicroWorkerRequest} as workerData; posts `exit` messages,
 * then one `done` or `error`, and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KvmError, runMicroGuest, type KvmExit, type MicroGuestResult } from './kvm-api.ts';
import type { MicroProgramName } from './protocol.ts';

export interface MicroWorkerRequest {
  program: MicroProgramName;
  iterations: number;
  devicePath: string;
  streamLimit: number;
}

export type MicroWorkerReply =
  | { kind: 'exit'; exit: KvmExit }
  | { kind: 'done'; result: MicroGuestResult }
  | { kind: 'error'; code: KvmError['code']; detail: string };

const port = parentPort;
if (port) {
  const request = workerData as MicroWorkerRequest;
  const post = (reply: MicroWorkerReply): void => port.postMessage(reply);
  try {
    const result = runMicroGuest({
      program: request.program,
      iterations: request.iterations,
      devicePath: request.devicePath,
      streamLimit: request.streamLimit,
      onExit: (exit) => post({ kind: 'exit', exit }),
    });
    post({ kind: 'done', result });
  } catch (error) {
    if (error instanceof KvmError) post({ kind: 'error', code: error.code, detail: error.message });
    else post({ kind: 'error', code: 'kvm-unusable', detail: String(error) });
  }
}
