/**
 * The browser's client (src/protocol/client.ts) against the real bridge process, in Node: Node's own
 * WebSocket (the WHATWG one browsers have) with the page's Origin header. The e2e tier does the same
 * through the lab panel in Chromium.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BridgeError,
  connectBridge,
  parseBridgeUrl,
  type BridgeAddress,
  type BridgeClient,
} from '../../../src/protocol/client.ts';
import { BridgeVmBackend, type BridgeGuestEvent } from '../../../src/features/kvm-lab/guest-backend.ts';
import { PROTOCOL_VERSION } from '../../../src/protocol/schema.ts';
import { kvmUnusableReason } from '../../support/kvm.ts';
import { SITE_ORIGIN, startBridgeProcess, type BridgeProcess } from './support/bridge-process.ts';
import { nodeBridgeSocket } from '../../../scripts/lib/bridge-socket.ts';
import { findTestGuest } from './support/test-guest.ts';

const found = findTestGuest();

/** Node's WebSocket with the Origin a browser would send (the shared opener of benches and tests). */
const socketWithOrigin = (origin: string) => nodeBridgeSocket({ origin });

function address(bridge: BridgeProcess, token = bridge.token): BridgeAddress {
  const parsed = parseBridgeUrl(`ws://127.0.0.1:${bridge.port}/ws?token=${token}`);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.address;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connecting', () => {
  let bridge: BridgeProcess;
  beforeAll(async () => {
    bridge = await startBridgeProcess();
  });
  afterAll(async () => {
    expect(await bridge.stop()).toBe(0);
  });

  it('authenticates with hello and gets the welcome of this protocol', async () => {
    const client = await connectBridge(address(bridge), { openSocket: socketWithOrigin(SITE_ORIGIN) });
    expect(client.welcome).toMatchObject({ type: 'welcome', protocol: PROTOCOL_VERSION });
    await client.ping();
    client.close();
  });

  it('a wrong token is rejected with auth-failed', async () => {
    const error = await connectBridge(address(bridge, 'not-the-token'), { openSocket: socketWithOrigin(SITE_ORIGIN) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ code: 'rejected', key: 'auth-failed' });
  });

  it('a page whose origin is not allowed is told apart from no bridge at all', async () => {
    const refused = await connectBridge(address(bridge), { openSocket: socketWithOrigin('http://127.0.0.1:1') }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: 'refused' });
    const port = await freePort();
    const nothing = parseBridgeUrl(`ws://127.0.0.1:${port}/ws?token=abc`);
    if (!nothing.ok) throw new Error(nothing.problem);
    const unreachable = await connectBridge(nothing.address, { openSocket: socketWithOrigin(SITE_ORIGIN) }).catch(
      (e: unknown) => e,
    );
    expect(unreachable).toMatchObject({ code: 'unreachable' });
  });

  it('an abort cancels the attempt', async () => {
    const controller = new AbortController();
    const attempt = connectBridge(address(bridge), { openSocket: socketWithOrigin(SITE_ORIGIN), signal: controller.signal });
    controller.abort();
    await expect(attempt).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe.skipIf(!found.ok)(`a guest through BridgeVmBackend (${found.ok ? found.guest.description : ''})`, () => {
  let bridge: BridgeProcess;
  let client: BridgeClient;
  beforeAll(async () => {
    if (!found.ok) return;
    bridge = await startBridgeProcess(['--machines-dir', found.guest.machinesDir, '--guest-dir', found.guest.guestDir]);
    client = await connectBridge(address(bridge), { openSocket: socketWithOrigin(SITE_ORIGIN) });
  });
  afterAll(async () => {
    if (!found.ok) return;
    client.close();
    expect(await bridge.stop()).toBe(0);
  });

  it('lists the guests and checks the host', async () => {
    if (!found.ok) return;
    const guests = await client.listGuests();
    expect(guests.find((g) => g.id === found.guest.guest)?.variants.map((v) => v.id)).toContain(found.guest.variant);
    const check = await client.hostCheck();
    expect(check.items.map((i) => i.id)).toEqual(expect.arrayContaining(['cpu', 'kvm-device', 'kvm-module', 'qemu']));
  });

  it('boots under TCG, runs a typed command, reports that TCG has no KVM counters, stops on dispose', async () => {
    if (!found.ok) return;
    const backend = new BridgeVmBackend(client, { guest: found.guest.guest, variant: found.guest.variant, accel: 'tcg' });
    const statuses: string[] = [];
    const events: BridgeGuestEvent[] = [];
    let output = '';
    const decoder = new TextDecoder();
    backend.onStatus((s) => statuses.push(s.state));
    backend.onGuestEvent((e) => events.push(e));
    backend.onOutput((bytes) => (output += decoder.decode(bytes, { stream: true })));
    await backend.start(AbortSignal.timeout(30_000));
    expect(backend.guestId).toMatch(/^g\d+$/);
    expect(backend.accel).toBe('tcg');
    await until(() => backend.status.state === 'running', 90_000, 'running');
    // A quiet console: the terminal shows the shell, not the kernel's boot log.
    expect(output).not.toMatch(/Linux version/);
    expect(output.replace('\u001b[6n', '')).toMatch(/[#$] $/); // ash asks for the cursor position after its prompt

    backend.write(new TextEncoder().encode('echo $((6*7))x; uname -m\n'));
    await until(() => /42x\r?\n(i686|x86_64)\r?\n/.test(output), 15_000, `uname in ${JSON.stringify(output.slice(-200))}`);

    backend.watchStats(250);
    await until(() => events.some((e) => e.kind === 'stats'), 5_000, 'stats');
    expect(events.find((e) => e.kind === 'stats')).toMatchObject({ stats: { available: false, vm: {}, vcpu: {} } });

    const guestId = backend.guestId;
    const exited = new Promise((resolve) =>
      client.onMessage((m) => m.type === 'guest-state' && m.guestId === guestId && m.phase === 'exited' && resolve(m)),
    );
    await backend.dispose();
    await expect(exited).resolves.toMatchObject({ reason: 'client-stop' });
    expect(statuses).toEqual(['idle', 'booting', 'running', 'disposed']);
  }, 120_000);

  it('a refused start rejects with the bridge’s reason and the status says error', async () => {
    if (!found.ok) return;
    const backend = new BridgeVmBackend(client, { guest: found.guest.guest, variant: 'no-such-variant', accel: 'tcg' });
    const events: BridgeGuestEvent[] = [];
    backend.onGuestEvent((e) => events.push(e));
    await expect(backend.start(AbortSignal.timeout(10_000))).rejects.toMatchObject({ code: 'rejected', key: 'unknown-variant' });
    expect(backend.status.state).toBe('error');
    expect(events).toEqual([
      { kind: 'error', key: 'unknown-variant', params: { guest: found.guest.guest, variant: 'no-such-variant' } },
    ]);
    await backend.dispose();
  });

  const unusable = kvmUnusableReason();
  it.skipIf(unusable !== null)(
    `Hello KVM streams every exit, then the totals${unusable ? ` (skipped: ${unusable})` : ''}`,
    async () => {
      const exits: { seq: number; reason: string }[] = [];
      const done = await client.helloKvm('hello', undefined, (e) => exits.push(e));
      expect(exits.map((e) => e.seq)).toEqual(Array.from({ length: done.totalExits }, (_, i) => i + 1));
      expect(exits.at(-1)?.reason).toBe('hlt');
      expect(done.consoleText).toBe('Halo, KVM!\n');
    },
  );

  it('when the bridge stops, the client hears the close and a running guest reports the loss', async () => {
    if (!found.ok) return;
    const backend = new BridgeVmBackend(client, { guest: found.guest.guest, variant: found.guest.variant, accel: 'tcg' });
    await backend.start(AbortSignal.timeout(30_000));
    const closed = new Promise<BridgeError>((resolve) => client.onClose(resolve));
    expect(await bridge.stop()).toBe(0);
    const error = await closed;
    expect(error).toMatchObject({ code: 'closed' });
    expect(error.closeCode).toBe(1001);
    expect(backend.status.state).toBe('error');
    expect(() => client.send({ type: 'ping' })).toThrow(BridgeError);
  }, 60_000);
});

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
