/**
 * Runs a micro-guest in a worker thread and relays its exits. The only entry point the server uses
 * for the raw KVM API.
 */
import { Worker } from 'node:worker_threads';
import type { KvmExit, MicroGuestResult, KvmErrorCode } from './kvm-api.ts';
import type { MicroWorkerReply, MicroWorkerRequest } from './kvm-worker.ts';
import type { MicroProgramName } from '../protocol/schema.ts';

export type MicroGuestOutcome = { ok: true; result: MicroGuestResult } | { ok: false; code: KvmErrorCode; detail: string };

/** Longest a run may take; the programs halt within about a second, so this only catches a hung vCPU. */
const RUN_TIMEOUT_MS = 30_000;

/** After an abort, how long the run may take to notice it before the worker is terminated. */
const ABORT_GRACE_MS = 2000;

/**
 * Resolves with the run's outcome, or null once `signal` aborted it (the client left, the bridge
 * stops): the run then stops at its next exit and no result is reported.
 */
export function runMicroGuestInWorker(
  request: { program: MicroProgramName; iterations: number; devicePath: string; streamLimit: number },
  onExit: (exit: KvmExit) => void,
  signal?: AbortSignal,
): Promise<MicroGuestOutcome | null> {
  if (signal?.aborted) return Promise.resolve(null);
  const stop = new SharedArrayBuffer(4);
  const workerRequest: MicroWorkerRequest = { ...request, stop };
  const worker = new Worker(new URL('./kvm-worker.ts', import.meta.url), { workerData: workerRequest });
  return new Promise((resolve) => {
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const settle = (outcome: MicroGuestOutcome | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = (): void => {
      Atomics.store(new Int32Array(stop), 0, 1);
      // A vCPU stuck inside one KVM_RUN never reaches the check: end the thread after a grace period.
      graceTimer = setTimeout(() => void worker.terminate(), ABORT_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      void worker.terminate();
      settle({ ok: false, code: 'kvm-unusable', detail: `micro-guest did not halt within ${RUN_TIMEOUT_MS} ms` });
    }, RUN_TIMEOUT_MS);
    worker.on('message', (reply: MicroWorkerReply) => {
      if (signal?.aborted) {
        // Nothing more is reported for an aborted run; wait for the worker to end.
        if (reply.kind !== 'exit') settle(null);
        return;
      }
      if (reply.kind === 'exit') onExit(reply.exit);
      else if (reply.kind === 'done') settle({ ok: true, result: reply.result });
      else if (reply.kind === 'aborted') settle(null);
      else settle({ ok: false, code: reply.code, detail: reply.detail });
    });
    worker.on('error', (error) =>
      settle(signal?.aborted ? null : { ok: false, code: 'kvm-ffi-unavailable', detail: String(error) }),
    );
    worker.on('exit', (code) =>
      settle(signal?.aborted ? null : { ok: false, code: 'kvm-unusable', detail: `worker exited (${code}) without a result` }),
    );
  });
}
