/**
 * Nothing outlives the bridge: QEMU dies with it even on SIGKILL (PDEATHSIG), a closed connection
 * kills its guests, Ctrl-C/SIGTERM kills every guest, and many start/stop cycles leave no process,
 * file descriptor or temporary directory behind.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findTestGuest } from './support/test-guest.ts';
import {
  isAlive,
  leftoverGuestDirs,
  openFds,
  startBridgeProcess,
  TestClient,
  waitFor,
  type BridgeProcess,
} from './support/bridge-process.ts';

const found = findTestGuest();
const title = found.ok ? found.guest.description : `skipped: ${found.reason}`;
/** Full runs do 50 cycles; BRIDGE_CYCLES lowers it for a quick local run. */
const CYCLES = Number(process.env['BRIDGE_CYCLES'] ?? 50);

/** QEMU processes whose parent is the given bridge. */
function qemuChildren(bridgePid: number): number[] {
  const pids: number[] = [];
  for (const line of readFileSync(`/proc/${bridgePid}/task/${bridgePid}/children`, 'utf8').trim().split(/\s+/)) {
    if (!line) continue;
    try {
      if (readFileSync(`/proc/${line}/cmdline`, 'utf8').includes('qemu-system')) pids.push(Number(line));
    } catch {
      // already gone
    }
  }
  return pids;
}

async function startAndBoot(client: TestClient, variant?: string): Promise<string> {
  if (!found.ok) throw new Error(found.reason);
  client.send({ type: 'start', guest: found.guest.guest, variant: variant ?? found.guest.variant, accel: 'tcg' });
  const state = await client.next<'guest-state'>((m) => m.type === 'guest-state' && m.phase === 'launching');
  await client.next((m) => m.type === 'guest-state' && m.guestId === state.guestId && m.phase === 'booting', 15_000);
  return state.guestId;
}

function bridgeArgs(): string[] {
  return found.ok ? ['--machines-dir', found.guest.machinesDir, '--guest-dir', found.guest.guestDir] : [];
}

describe.skipIf(!found.ok)(`process hygiene (${title})`, () => {
  it('kill -9 of the bridge kills its QEMU (PDEATHSIG); the next bridge sweeps the leftover directory', async () => {
    const dirsBefore = leftoverGuestDirs();
    const bridge = await startBridgeProcess(bridgeArgs());
    const client = await TestClient.connect(bridge);
    await startAndBoot(client);
    const qemu = qemuChildren(bridge.pid);
    expect(qemu).toHaveLength(1);
    const [qemuPid] = qemu as [number];
    expect(isAlive(qemuPid)).toBe(true);
    const newDirs = leftoverGuestDirs().filter((d) => !dirsBefore.includes(d));
    expect(newDirs).toHaveLength(1);

    await bridge.stop('SIGKILL');
    await waitFor(() => !isAlive(qemuPid), 5000, `QEMU ${qemuPid} to die with its bridge`);
    // Nobody was left to delete the private directory…
    expect(leftoverGuestDirs()).toEqual(expect.arrayContaining(newDirs));
    // …so the next bridge does, at start.
    const next = await startBridgeProcess(bridgeArgs());
    expect(leftoverGuestDirs().filter((d) => newDirs.includes(d))).toEqual([]);
    expect(next.stderr()).toContain('removed stale guest directory');
    expect(await next.stop()).toBe(0);
  }, 40_000);

  it('SIGINT (Ctrl-C) kills every guest and exits 0', async () => {
    const bridge = await startBridgeProcess([...bridgeArgs(), '--max-guests', '2']);
    const client = await TestClient.connect(bridge);
    await startAndBoot(client);
    await startAndBoot(client);
    const qemu = qemuChildren(bridge.pid);
    expect(qemu).toHaveLength(2);
    expect(await bridge.stop('SIGINT')).toBe(0);
    for (const pid of qemu) expect(isAlive(pid)).toBe(false);
    expect(await client.closed).toBe(1001);
    expect(client.received.some((m) => m.type === 'error' && m.code === 'bridge-shutting-down')).toBe(true);
  }, 40_000);

  it('a guest dies when its connection closes', async () => {
    const bridge = await startBridgeProcess(bridgeArgs());
    try {
      const client = await TestClient.connect(bridge);
      await startAndBoot(client);
      const [qemuPid] = qemuChildren(bridge.pid) as [number];
      await client.close();
      await waitFor(() => !isAlive(qemuPid), 5000, 'QEMU to die with its connection');
    } finally {
      expect(await bridge.stop()).toBe(0);
    }
  }, 30_000);

  it(`${CYCLES} start/stop cycles leave no process, fd or temporary directory`, async () => {
    const dirsBefore = leftoverGuestDirs();
    const bridge: BridgeProcess = await startBridgeProcess(bridgeArgs());
    try {
      const client = await TestClient.connect(bridge);
      // One warm-up cycle so lazily opened things (worker pools, inotify) are in the baseline.
      const variants = found.ok && found.guest.guest === 'linux-guest' ? ['virtio', 'emulated'] : [undefined];
      let id = await startAndBoot(client);
      client.send({ type: 'stop', guestId: id });
      await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'exited', 10_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const fdsBefore = openFds(bridge.pid).length;

      for (let i = 0; i < CYCLES; i += 1) {
        id = await startAndBoot(client, variants[i % variants.length]);
        client.send({ type: 'stop', guestId: id });
        await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'exited', 10_000);
        client.received.length = 0;
      }
      await waitFor(() => qemuChildren(bridge.pid).length === 0, 5000, 'no QEMU children');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(openFds(bridge.pid).length).toBe(fdsBefore);
      expect(leftoverGuestDirs().filter((d) => !dirsBefore.includes(d))).toEqual([]);
      await client.close();
    } finally {
      expect(await bridge.stop()).toBe(0);
    }
    expect(isAlive(bridge.pid)).toBe(false);
  }, 120_000);
});
