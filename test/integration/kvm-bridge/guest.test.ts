/**
 * Real QEMU guests through the real bridge: a TCG boot to the prompt and a command over the
 * WebSocket, KVM on this host (boots where KVM is hardware, is detected and offers TCG where it is
 * not), live counters, the variants' devices, idle and lifetime limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTestGuest } from './support/test-guest.ts';
import { startBridgeProcess, TestClient, type BridgeProcess } from './support/bridge-process.ts';
import type { ServerMessage } from '../../../src/protocol/schema.ts';

const found = findTestGuest();
const title = found.ok ? found.guest.description : `skipped: ${found.reason}`;

type GuestState = Extract<ServerMessage, { type: 'guest-state' }>;

async function startGuest(client: TestClient, accel: 'tcg' | 'kvm' | 'auto', variant?: string): Promise<GuestState> {
  if (!found.ok) throw new Error(found.reason);
  client.send({ type: 'start', guest: found.guest.guest, variant: variant ?? found.guest.variant, accel, ref: `start-${accel}` });
  const first = await client.next((m) => (m.type === 'guest-state' || m.type === 'error') && m.ref === `start-${accel}`);
  if (first.type !== 'guest-state') throw new Error(`start refused: ${JSON.stringify(first)}`);
  return first;
}

describe.skipIf(!found.ok)(`guests under real QEMU (${title})`, () => {
  let bridge: BridgeProcess;
  let client: TestClient;
  beforeAll(async () => {
    if (!found.ok) return;
    // KVM boots get 10 s here: enough for a hardware-KVM host, short enough to test the fallback on a software one.
    bridge = await startBridgeProcess([
      '--machines-dir',
      found.guest.machinesDir,
      '--guest-dir',
      found.guest.guestDir,
      '--kvm-boot-timeout',
      '10',
    ]);
    client = await TestClient.connect(bridge);
  });
  afterAll(async () => {
    if (!found.ok) return;
    await client.close();
    expect(await bridge.stop()).toBe(0);
  });

  it('boots under TCG to a prompt, runs a command typed over the WebSocket, stops', async () => {
    const started = await startGuest(client, 'tcg');
    expect(started).toMatchObject({ phase: 'launching', accel: 'tcg' });
    const id = started.guestId;
    await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'booting', 15_000);
    const running = await client.next<'guest-state'>(
      (m) => m.type === 'guest-state' && m.guestId === id && (m.phase === 'running' || m.phase === 'exited'),
      90_000,
    );
    expect(running.phase).toBe('running');
    // The learner's terminal shows the shell, not the kernel's log (timestamps such as `[    0.358048]`)…
    const boot = client.takeOutput(id);
    expect(boot).not.toMatch(/Linux version|\[\s*\d+\.\d{6}\]/);
    expect(boot.replace('\u001b[6n', '')).toMatch(/[#$] $/); // ash asks for the cursor position after its prompt
    // …also a moment later, when the kernel logs its switch to the TSC after the shell started (issue 16).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(client.takeOutput(id).replace('\u001b[6n', '')).toBe('');

    // A command whose answer cannot be in the echo: the shell must really compute it.
    client.send({ type: 'input', guestId: id, data: 'echo $((6*7))x; uname -m\n' });
    const answer = await client.waitForOutput(id, /42x\r?\n(i686|x86_64)\r?\n/, 15_000);
    expect(answer).toContain('42x');
    // The kernel's messages are all kept, for `dmesg`.
    client.send({ type: 'input', guestId: id, data: 'dmesg | grep -m 1 "Linux version"; echo end$((1+1))\n' });
    expect(await client.waitForOutput(id, /end2\r?\n/, 15_000)).toMatch(/\] Linux version \d+\.\d+/);

    client.send({ type: 'watch-stats', guestId: id, intervalMs: 250 });
    // TCG has no KVM counters; the bridge says so instead of inventing zeros.
    expect(await client.next((m) => m.type === 'stats' && m.guestId === id)).toMatchObject({
      available: false,
      vm: {},
      vcpu: {},
    });
    client.send({ type: 'watch-stats', guestId: id, intervalMs: 0 });

    client.send({ type: 'stop', guestId: id, ref: 'bye' });
    expect(await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'stopping')).toMatchObject({
      reason: 'client-stop',
    });
    expect(await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'exited')).toMatchObject({
      reason: 'client-stop',
    });
    client.send({ type: 'input', guestId: id, data: 'ls\n' });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'guest-not-found' });
  }, 120_000);

  it.skipIf(!found.ok || found.guest.guest !== 'linux-guest')(
    `each variant's disk is the device the guest sees: IDE (libata, /dev/sda) or virtio-blk (/dev/vda) with virtio-rng${found.ok && found.guest.guest === 'linux-guest' ? '' : ' (skipped: the test guest is not the course Linux guest)'}`,
    async () => {
      const seen: Record<string, string> = {};
      for (const variant of ['emulated', 'virtio']) {
        const id = (await startGuest(client, 'tcg', variant)).guestId;
        await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'running', 90_000);
        client.takeOutput(id);
        // sysfs names the driver behind each disk; the size (512-byte sectors) is the lab's 8 MiB.
        client.send({
          type: 'input',
          guestId: id,
          // …and lesson 8's read of the whole disk works as the lesson writes it.
          data: `for d in /sys/block/[sv]d?; do echo "disk=\${d##*/} $(cat $d/size) $(basename $(readlink $d/device/driver))"; done; cat /sys/class/misc/hw_random/rng_current 2>/dev/null; dd if=/dev/${variant === 'emulated' ? 'sda' : 'vda'} of=/dev/null bs=4k iflag=direct 2>&1 | tail -1; echo end$((1+1))\n`,
        });
        seen[variant] = await client.waitForOutput(id, /end2\r?\n/, 20_000);
        client.send({ type: 'stop', guestId: id });
        await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'exited', 15_000);
      }
      // 8 MiB in 4 KiB blocks, every one read (busybox dd prints only the record counts).
      for (const text of Object.values(seen)) expect(text).toMatch(/^2048\+0 records out\r?$/m);
      expect(seen['emulated']).toMatch(/^disk=sda 16384 sd\r?$/m);
      expect(seen['emulated']).not.toMatch(/disk=vd|virtio_rng/);
      expect(seen['virtio']).toMatch(/^disk=vda 16384 virtio_blk\r?$/m);
      expect(seen['virtio']).toMatch(/^virtio_rng\.\d+\r?$/m);
      expect(seen['virtio']).not.toMatch(/disk=sd/);
    },
    150_000,
  );

  it('under KVM: boots where KVM is hardware, else reports the failed boot, offers TCG, and streams real counters meanwhile', async () => {
    client.send({ type: 'host-check', ref: 'hc' });
    const { check } = await client.next<'host-check-result'>((m) => m.type === 'host-check-result');
    if (!check.kvmUsable) {
      // No usable /dev/kvm: QEMU itself refuses, with a typed error.
      const started = await startGuest(client, 'kvm');
      const error = await client.next((m) => m.type === 'kvm-boot-failed' && m.guestId === started.guestId, 20_000);
      expect(error).toMatchObject({ offer: 'tcg' });
      return;
    }
    const started = await startGuest(client, 'kvm');
    const id = started.guestId;
    await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'booting', 15_000);
    client.send({ type: 'watch-stats', guestId: id, intervalMs: 500 });
    const first = await client.next<'stats'>((m) => m.type === 'stats' && m.guestId === id);
    const second = await client.next<'stats'>((m) => m.type === 'stats' && m.guestId === id);
    expect(first.available).toBe(true);
    // What KVM's binary stats really say on this host: the exit counter exists and moves.
    expect(Object.keys(first.vcpu)).toEqual(
      expect.arrayContaining(['exits', 'io_exits', 'mmio_exits', 'halt_exits', 'insn_emulation']),
    );
    expect(second.vcpu['exits'] ?? 0).toBeGreaterThan(0);
    expect((second.vcpu['exits'] ?? 0) + (second.vcpu['insn_emulation'] ?? 0)).toBeGreaterThan(
      (first.vcpu['exits'] ?? 0) + (first.vcpu['insn_emulation'] ?? 0),
    );

    const outcome = await client.next(
      (m) =>
        (m.type === 'guest-state' && m.guestId === id && m.phase === 'running') ||
        (m.type === 'kvm-boot-failed' && m.guestId === id),
      30_000,
    );
    if (check.kvmKind === 'hardware') {
      expect(outcome).toMatchObject({ type: 'guest-state', phase: 'running', accel: 'kvm' });
      client.send({ type: 'stop', guestId: id });
      expect(
        await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'exited', 15_000),
      ).toMatchObject({ reason: 'client-stop' });
    } else {
      // Software KVM (e.g. kvm_pvm): Linux stalls or faults; the bridge notices and offers TCG.
      expect(outcome).toMatchObject({ type: 'kvm-boot-failed', offer: 'tcg' });
      expect(
        await client.next((m) => m.type === 'guest-state' && m.guestId === id && m.phase === 'exited', 15_000),
      ).toMatchObject({ reason: 'kvm-boot-failed' });
    }
  }, 60_000);

  it('`auto` picks what the host check says', async () => {
    client.send({ type: 'host-check' });
    const { check } = await client.next<'host-check-result'>((m) => m.type === 'host-check-result');
    const started = await startGuest(client, 'auto');
    expect(started.accel).toBe(check.linuxAccel);
    client.send({ type: 'stop', guestId: started.guestId });
    await client.next((m) => m.type === 'guest-state' && m.guestId === started.guestId && m.phase === 'exited', 15_000);
  }, 30_000);
});

describe.skipIf(!found.ok)(`guest limits (${title})`, () => {
  it('kills a guest without input after --idle and one older than --lifetime', async () => {
    if (!found.ok) return;
    const idle = await startBridgeProcess([
      '--machines-dir',
      found.guest.machinesDir,
      '--guest-dir',
      found.guest.guestDir,
      '--idle',
      '2',
    ]);
    const life = await startBridgeProcess([
      '--machines-dir',
      found.guest.machinesDir,
      '--guest-dir',
      found.guest.guestDir,
      '--lifetime',
      '3',
    ]);
    try {
      const a = await TestClient.connect(idle);
      const b = await TestClient.connect(life);
      const ga = await startGuest(a, 'tcg');
      const gb = await startGuest(b, 'tcg');
      const t0 = Date.now();
      // Keep b's guest busy with input so only its lifetime can end it.
      const typing = setInterval(() => b.send({ type: 'input', guestId: gb.guestId, data: ' ' }), 400);
      expect(await a.next((m) => m.type === 'error' && m.guestId === ga.guestId, 10_000)).toMatchObject({
        code: 'guest-idle-timeout',
        params: { seconds: 2 },
      });
      expect(
        await a.next((m) => m.type === 'guest-state' && m.guestId === ga.guestId && m.phase === 'exited', 10_000),
      ).toMatchObject({ reason: 'idle-timeout' });
      expect(
        await b.next((m) => m.type === 'error' && m.guestId === gb.guestId && m.code !== 'invalid-transition', 10_000),
      ).toMatchObject({ code: 'guest-lifetime-expired', params: { seconds: 3 } });
      clearInterval(typing);
      expect(
        await b.next((m) => m.type === 'guest-state' && m.guestId === gb.guestId && m.phase === 'exited', 10_000),
      ).toMatchObject({ reason: 'lifetime-expired' });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(2900);
      await Promise.all([a.close(), b.close()]);
    } finally {
      expect(await idle.stop()).toBe(0);
      expect(await life.stop()).toBe(0);
    }
  }, 30_000);
});
