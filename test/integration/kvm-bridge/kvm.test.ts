/**
 * "Hello KVM": the micro-guest through the raw KVM API, driven over the WebSocket, and the typed
 * errors where KVM is missing, not a KVM device, or not permitted.
 */
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kvmUnusableReason } from '../../support/kvm.ts';
import { expectedExits, HELLO_TEXT, MICRO_LOAD_ADDRESS } from '../../../src/protocol/micro-programs.ts';
import { startBridgeProcess, TestClient, type BridgeProcess } from './support/bridge-process.ts';
import { findTestGuest } from './support/test-guest.ts';

const unusable = kvmUnusableReason();

describe.skipIf(unusable !== null)(`micro-guest through the KVM API${unusable ? ` (skipped: ${unusable})` : ''}`, () => {
  let bridge: BridgeProcess;
  let client: TestClient;
  beforeAll(async () => {
    bridge = await startBridgeProcess();
    client = await TestClient.connect(bridge);
  });
  afterAll(async () => {
    await client.close();
    expect(await bridge.stop()).toBe(0);
  });

  it('hello: every exit streamed with reason and data, the text on port 0x3f8, then HLT', async () => {
    client.send({ type: 'hello-kvm', program: 'hello', ref: 'h' });
    const done = await client.next<'hello-kvm-done'>((m) => m.type === 'hello-kvm-done', 30_000);
    const exits = client.received.filter((m) => m.type === 'kvm-exit');
    const expected = expectedExits('hello', 1);
    expect(exits).toHaveLength(expected.io + expected.hlt);
    expect(exits.map((e) => (e.type === 'kvm-exit' ? e.seq : 0))).toEqual(exits.map((_, i) => i + 1));
    const io = exits.slice(0, -1);
    for (const exit of io)
      expect(exit).toMatchObject({
        ref: 'h',
        reason: 'io',
        reasonCode: 2,
        io: { direction: 'out', port: 0x3f8, size: 1, count: 1 },
      });
    expect(String.fromCharCode(...io.flatMap((e) => (e.type === 'kvm-exit' ? (e.io?.data ?? []) : [])))).toBe(HELLO_TEXT);
    expect(exits.at(-1)).toMatchObject({ reason: 'hlt', reasonCode: 5 });
    // The vCPU stopped right after the hlt, inside the program that was loaded.
    const lastRip = exits.at(-1)?.type === 'kvm-exit' ? (exits.at(-1) as { rip: number }).rip : 0;
    expect(lastRip).toBeGreaterThan(MICRO_LOAD_ADDRESS);
    expect(lastRip).toBeLessThan(MICRO_LOAD_ADDRESS + 32);
    expect(done).toMatchObject({
      program: 'hello',
      totalExits: 12,
      streamedExits: 12,
      exitCounts: { io: 11, hlt: 1 },
      consoleText: HELLO_TEXT,
    });
    // The exit cost is timed unstreamed, apart from the listed run; listing each exit costs on top.
    expect(done.microsecondsPerExit).toBeGreaterThan(0);
    expect(done.streamedMicrosecondsPerExit).toBeCloseTo(done.elapsedMicroseconds / 12, 6);
    expect(done.streamingMicrosecondsPerExit).toBeCloseTo(
      (done.elapsedMicroseconds - done.unstreamedElapsedMicroseconds) / 12,
      6,
    );
    client.received.length = 0;
  });

  it('out-loop: exactly N I/O exits, the report, and one HLT; only the first exits are streamed', async () => {
    client.send({ type: 'hello-kvm', program: 'out-loop', iterations: 20_000, ref: 'loop' });
    const done = await client.next<'hello-kvm-done'>((m) => m.type === 'hello-kvm-done', 30_000);
    const expected = expectedExits('out-loop', 20_000);
    expect(done).toMatchObject({
      totalExits: expected.io + expected.hlt,
      streamedExits: 64,
      exitCounts: { io: expected.io, hlt: 1 },
      consoleText: '00004e20 00004e20\n', // the guest's own count: 20 000
    });
    const streamed = client.received.filter((m) => m.type === 'kvm-exit');
    expect(streamed).toHaveLength(64);
    expect(streamed[0]).toMatchObject({ io: { port: 0x80, direction: 'out' } });
    expect(done.exitsPerSecond).toBeGreaterThan(1000);
    client.received.length = 0;
  });

  it('stays responsive while a micro-guest runs (the KVM_RUN loop is in a worker)', async () => {
    client.send({ type: 'hello-kvm', program: 'out-loop', iterations: 200_000, ref: 'long' });
    client.send({ type: 'ping', ref: 'during' });
    const first = await client.next((m) => (m.type === 'pong' && m.ref === 'during') || m.type === 'hello-kvm-done', 30_000);
    expect(first.type).toBe('pong');
    await client.next((m) => m.type === 'hello-kvm-done', 60_000);
    client.received.length = 0;
  }, 60_000);
});

describe('typed KVM errors', () => {
  it.each([
    ['/nonexistent/kvm', 'kvm-missing'],
    ['/dev/null', 'kvm-not-a-kvm-device'],
  ])('--kvm-device %s → %s (micro-guest and host check)', async (device, code) => {
    const bridge = await startBridgeProcess(['--kvm-device', device]);
    try {
      const client = await TestClient.connect(bridge);
      client.send({ type: 'hello-kvm', program: 'hello' });
      expect(await client.next((m) => m.type === 'error', 15_000)).toMatchObject({ code });
      client.send({ type: 'host-check' });
      const { check } = await client.next<'host-check-result'>((m) => m.type === 'host-check-result');
      expect(check.kvmUsable).toBe(false);
      expect(check.linuxAccel).toBe('tcg');
      await client.close();
    } finally {
      expect(await bridge.stop()).toBe(0);
    }
  });

  const asNobody = process.getuid?.() === 0;
  it.skipIf(!asNobody)(
    `as a user outside the kvm group → kvm-permission-denied, with the usermod fix${asNobody ? '' : ' (skipped: needs root to run the bridge as nobody)'}`,
    async () => {
      // Run the real bridge as `nobody` (setpriv), where /dev/kvm (root-only here, often root:kvm 0660) is closed.
      const found = findTestGuest();
      // `nobody` must be able to read the images (the cache may live under root's home, as in CI),
      // so that what fails is /dev/kvm and nothing else.
      const readable = mkdtempSync(join(tmpdir(), 'bridge-nobody-'));
      chmodSync(readable, 0o755);
      if (found.ok) cpSync(found.guest.guestDir, readable, { recursive: true, dereference: true });
      const guestArgs = found.ok ? ['--machines-dir', found.guest.machinesDir, '--guest-dir', readable] : [];
      const bridge = await startBridgeProcess(guestArgs, [
        '/usr/bin/setpriv',
        '--reuid=nobody',
        '--regid=nogroup',
        '--clear-groups',
        '--',
      ]);
      try {
        const client = await TestClient.connect(bridge);
        client.send({ type: 'hello-kvm', program: 'hello' });
        expect(await client.next((m) => m.type === 'error', 15_000)).toMatchObject({ code: 'kvm-permission-denied' });
        client.send({ type: 'host-check' });
        const { check } = await client.next<'host-check-result'>((m) => m.type === 'host-check-result');
        expect(check.items.find((i) => i.id === 'kvm-device')).toMatchObject({
          status: 'fail',
          message: 'check.kvm-device.denied',
          fixes: ['fix.kvm-group'],
        });
        if (found.ok) {
          // QEMU itself under -accel kvm: the typed error, then the offer of TCG.
          client.send({ type: 'start', guest: found.guest.guest, variant: found.guest.variant, accel: 'kvm' });
          expect(await client.next((m) => m.type === 'error' && m.code !== 'invalid-transition', 15_000)).toMatchObject({
            code: 'kvm-permission-denied',
          });
          expect(await client.next((m) => m.type === 'kvm-boot-failed', 15_000)).toMatchObject({
            cause: 'qemu-exited',
            offer: 'tcg',
          });
        }
        await client.close();
      } finally {
        rmSync(readable, { recursive: true, force: true });
        expect(await bridge.stop()).toBe(0);
      }
    },
    30_000,
  );
});

describe('typed launch errors', () => {
  let emptyDir: string;
  beforeAll(() => {
    emptyDir = mkdtempSync(join(tmpdir(), 'bridge-empty-'));
  });
  afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

  it('QEMU missing → qemu-missing naming the binary', async () => {
    const bridge = await startBridgeProcess(['--qemu-dir', emptyDir]);
    try {
      const client = await TestClient.connect(bridge);
      client.send({ type: 'start', guest: 'linux-guest', variant: 'virtio', accel: 'tcg', ref: 'q' });
      expect(await client.next((m) => m.type === 'error')).toMatchObject({
        ref: 'q',
        code: 'qemu-missing',
        params: { binary: join(emptyDir, 'qemu-system-i386') },
      });
      await client.close();
    } finally {
      expect(await bridge.stop()).toBe(0);
    }
  });

  it('guest image missing → guest-image-missing naming the file', async () => {
    const bridge = await startBridgeProcess(['--guest-dir', emptyDir]);
    try {
      const client = await TestClient.connect(bridge);
      client.send({ type: 'start', guest: 'linux-guest', variant: 'emulated', accel: 'tcg', ref: 'g' });
      expect(await client.next((m) => m.type === 'error')).toMatchObject({
        ref: 'g',
        code: 'guest-image-missing',
        params: { file: join(emptyDir, 'bzImage') },
      });
      client.send({ type: 'start', guest: 'linux-guest', variant: 'no-such-variant', ref: 'v' });
      expect(await client.next((m) => m.type === 'error')).toMatchObject({ ref: 'v', code: 'unknown-variant' });
      await client.close();
    } finally {
      expect(await bridge.stop()).toBe(0);
    }
  });
});
