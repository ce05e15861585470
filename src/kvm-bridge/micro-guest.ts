/**
 * Runs a micro-guest in a worker thread and relays its exits. The only entry point the server uses
 * for the raw KVM API.
 */
import { Worker } from 'node:worker_threads';
import type { KvmExit, MicroGuestResult, KvmErrorCode } from './kvm-api.ts';
import type { MicroWorkerReply, MicroWorkerRequest } from './kvm-worker.ts';
import type { MicroProgramName } from './protocol.ts';

export type MicroGuestOutcome = { ok: true; result: MicroGuestResult } | { ok: false; code: KvmErrorCode; detail: string };

/** Longest a run may take; the programs halt within about a second, so this only catches a hung vCPU. */
const RUN_TIMEOUT_MS = 30_000;

export function runMicroGuestInWorker(
  request: { program: MicroProgramName; iterations: number; devicePath: string; streamLimit: number },
  onExit: (exit: KvmExit) => void,
): Promise<MicroGuestOutcome> {
  const workerRequest: MicroWorkerRequest = request;
  const worker = new Worker(new URL('./kvm-worker.ts', import.meta.url), { workerData: workerRequest });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: MicroGuestOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      void worker.terminate();
      settle({ ok: false, code: 'kvm-unusable', detail: `micro-guest did not halt within ${RUN_TIMEOUT_MS} ms` });
    }, RUN_TIMEOUT_MS);
    worker.on('message', (reply: MicroWorkerReply) => {
      if (reply.kind === 'exit') onExit(reply.exit);
      else if (reply.kind === 'done') settle({ ok: true, result: reply.result });
      else settle({ ok: false, code: reply.code, detail: reply.detail });
    });
    worker.on('error', (error) => settle({ ok: false, code: 'kvm-ffi-unavailable', detail: String(error) }));
    worker.on('exit', (code) => settle({ ok: false, code: 'kvm-unusable', detail: `worker exited (${code}) without a result` }));
  });
}
