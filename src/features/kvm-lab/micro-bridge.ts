/**
 * `micro-run` from the page: sends it over the connected bridge and waits for the answer with the
 * same `ref`. Only types come from src/protocol/client.ts, so the comparison panel can be part of the
 * page before any connection (and zod) is loaded.
 */
import type { MessageKey, MessageParams } from '../../protocol/texts';
import type { Accel, ServerMessage } from '../../protocol/schema';
import type { BridgeClient } from '../../protocol/client';

export type MicroRunResultMessage = Extract<ServerMessage, { type: 'micro-run-result' }>;

export type BridgeMicroOutcome =
  | { ok: true; result: MicroRunResultMessage }
  /** The bridge answered with an `error` (e.g. `kvm-permission-denied`, `qemu-missing`). */
  | { ok: false; key: MessageKey; params: MessageParams }
  /** The connection ended before the answer; `code` is the WebSocket close code. */
  | { ok: false; key: null; closeCode: number | undefined };

/** The parts of a BridgeClient this needs (the whole client in the page). */
export type MicroBridge = Pick<BridgeClient, 'send' | 'onMessage' | 'onClose'>;

let nextRef = 1;

/** Runs `out-loop` under `accel` on the bridge at both loop counts, `repeats` times each. */
export function runMicroOnBridge(
  client: MicroBridge,
  accel: Accel,
  counts: readonly [number, number],
  repeats: number,
): Promise<BridgeMicroOutcome> {
  // A prefix of our own: BridgeSession numbers its requests r1, r2…
  const ref = `micro${nextRef++}`;
  return new Promise((resolve) => {
    const finish = (outcome: BridgeMicroOutcome): void => {
      offMessage();
      offClose();
      resolve(outcome);
    };
    const offMessage = client.onMessage((m) => {
      if (m.type === 'micro-run-result' && m.ref === ref) finish({ ok: true, result: m });
      else if (m.type === 'error' && m.ref === ref) finish({ ok: false, key: m.code, params: m.params });
    });
    const offClose = client.onClose((error) => finish({ ok: false, key: null, closeCode: error.closeCode }));
    try {
      client.send({ type: 'micro-run', ref, accel, program: 'out-loop', counts: [counts[0], counts[1]], repeats });
    } catch (error) {
      // Sending on a closed connection throws the connection's error.
      finish({ ok: false, key: null, closeCode: (error as { closeCode?: number }).closeCode });
    }
  });
}
