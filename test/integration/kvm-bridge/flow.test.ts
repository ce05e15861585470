/**
 * Backpressure from the page (`console-flow`, protocol 2) on a real QEMU guest: while the client
 * holds the console, nothing arrives even though the guest is given work; on resume the held output
 * arrives complete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTestGuest } from './support/test-guest.ts';
import { startBridgeProcess, TestClient, type BridgeProcess } from './support/bridge-process.ts';

const found = findTestGuest();
const title = found.ok ? found.guest.description : `skipped: ${found.reason}`;

describe.skipIf(!found.ok)(`console-flow on a real guest (${title})`, () => {
  let bridge: BridgeProcess;
  let client: TestClient;
  beforeAll(async () => {
    if (!found.ok) return;
    bridge = await startBridgeProcess(['--machines-dir', found.guest.machinesDir, '--guest-dir', found.guest.guestDir]);
    client = await TestClient.connect(bridge);
  });
  afterAll(async () => {
    if (!found.ok) return;
    await client.close();
    expect(await bridge.stop()).toBe(0);
  });

  it('holds the console while paused and delivers everything after resume', async () => {
    if (!found.ok) return;
    client.send({ type: 'start', guest: found.guest.guest, variant: found.guest.variant, accel: 'tcg', ref: 'f' });
    const started = await client.next<'guest-state'>((m) => m.type === 'guest-state' && m.ref === 'f');
    const id = started.guestId;
    await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'running', 90_000);
    // The bridge boots guests with a quiet console (no kernel messages between the numbers); let
    // the prompt's ESC[6n arrive first.
    for (let quietMs = 0; quietMs < 400;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      quietMs = client.takeOutput(id) === '' ? quietMs + 100 : 0;
    }

    client.send({ type: 'console-flow', guestId: id, paused: true });
    // The answer is computed by the shell, so it cannot come from an echo; 300 numbered lines follow.
    client.send({ type: 'input', guestId: id, data: 'echo $((6*7))held; seq 1 300\n' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(client.takeOutput(id)).toBe('');
    // Still alive and answering while held: the bridge itself is not blocked.
    client.send({ type: 'ping', ref: 'p' });
    await client.next((m) => m.type === 'pong' && m.ref === 'p');

    client.send({ type: 'console-flow', guestId: id, paused: false });
    const text = await client.waitForOutput(id, /42held\r?\n(?:\d+\r?\n)*300\r?\n/, 15_000);
    const numbers = text.slice(text.indexOf('42held')).match(/^\d+$/gm) ?? [];
    expect(numbers).toEqual(Array.from({ length: 300 }, (_, i) => String(i + 1)));

    client.send({ type: 'stop', guestId: id });
    await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'exited', 15_000);
    // After exit the guest is gone: flow for it is an error like any other guest action.
    client.send({ type: 'console-flow', guestId: id, paused: true });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'guest-not-found' });
  }, 120_000);
});
