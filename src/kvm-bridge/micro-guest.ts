/**
 * Runs a micro-guest in a worker thread and relays its exits. The only entry point the server uses
 * for the raw KVM API.
 */
import { Worker } from 'node:worker_threads';
import type { KvmExit, MicroGuestResult, KvmErrorCode } from './kvm-api.ts';
import type { MicroWorkerReply, MicroWorkerRequest, MicroWorkerRun } from './kvm-worker.ts';

export type { MicroWorkerRun } from './kvm-worker.ts';
export type MicroGuestOutcome = { ok: true; results: MicroGuestResult[] } | { ok: false; code: KvmErrorCode; detail: string };

/** Longest one run may take; the programs halt within seconds, so this only catches a hung vCPU. */
const RUN_TIMEOUT_MS = 30_000;

/** After an abort, how long the run may take to notice it before the worker is terminated. */
const ABORT_GRACE_MS = 2000;

/**
 * Runs `request.runs` one after another in one worker thread and resolves with their results, or
 * null once `signal` aborted them (the client left, the bridge stops): the current run then stops at
 * its next exit and no result is reported.
 */
export function runMicroGuestInWorker(
  request: { runs: MicroWorkerRun[]; devicePath: string },
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
    const timer = setTimeout(
      () => {
        void worker.terminate();
        settle({ ok: false, code: 'kvm-unusable', detail: `micro-guest did not halt within ${RUN_TIMEOUT_MS} ms` });
      },
      RUN_TIMEOUT_MS * Math.max(1, request.runs.length),
    );
    worker.on('message', (reply: MicroWorkerReply) => {
      if (signal?.aborted) {
        // Nothing more is reported for an aborted run; wait for the worker to end.
        if (reply.kind !== 'exit') settle(null);
        return;
      }
      if (reply.kind === 'exit') onExit(reply.exit);
      else if (reply.kind === 'done') settle({ ok: true, results: reply.results });
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
