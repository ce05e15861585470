/**
 * Every security case against the real bridge process: listen address, Host, Origin, token, first
 * frame, schema, frame size, rate, guest limits. Rejections before the WebSocket exists are HTTP 403.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../src/kvm-bridge/protocol.ts';
import { findTestGuest } from './support/test-guest.ts';
import { SITE_ORIGIN, startBridgeProcess, TestClient, type BridgeProcess } from './support/bridge-process.ts';

/** Opens a WebSocket with raw headers; resolves with the HTTP status of a refused upgrade (or 101). */
function upgradeStatus(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/ws',
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('security of the bridge', () => {
  let bridge: BridgeProcess;
  beforeAll(async () => {
    bridge = await startBridgeProcess(['--max-guest-memory', '64', '--rate', '20', '--burst', '20']);
  });
  afterAll(async () => {
    expect(await bridge.stop()).toBe(0);
  });

  it('listens on 127.0.0.1 only', () => {
    const hexPort = bridge.port.toString(16).toUpperCase().padStart(4, '0');
    const listening = (file: string): string[] =>
      readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A') // 0A = LISTEN
        .map((f) => f[1] ?? '');
    expect(listening('/proc/net/tcp')).toEqual([`0100007F:${hexPort}`]);
    expect(listening('/proc/net/tcp6')).toEqual([]);
  });

  it('accepts the site origin with a loopback Host', async () => {
    expect(await upgradeStatus(bridge.port, { host: `127.0.0.1:${bridge.port}`, origin: SITE_ORIGIN })).toEqual({ status: 101, body: '' });
    expect((await upgradeStatus(bridge.port, { host: `localhost:${bridge.port}`, origin: 'http://localhost:4321' })).status).toBe(101);
  });

  it.each([
    ['a foreign Host (DNS rebinding)', { host: 'evil.example:8477', origin: SITE_ORIGIN }, 'host-not-allowed'],
    ['a LAN Host', { host: '192.168.1.5:8477', origin: SITE_ORIGIN }, 'host-not-allowed'],
    ['a foreign Origin', { origin: 'http://evil.example' }, 'origin-not-allowed'],
    ['a look-alike Origin', { origin: 'http://127.0.0.1:4321.evil.example' }, 'origin-not-allowed'],
    ['another port on loopback', { origin: 'http://127.0.0.1:9999' }, 'origin-not-allowed'],
    ['Origin null (sandboxed page, file://)', { origin: 'null' }, 'origin-not-allowed'],
    ['no Origin at all', {}, 'origin-not-allowed'],
  ])('refuses %s with 403 before any WebSocket exists', async (_name, headers: Record<string, string>, code) => {
    const result = await upgradeStatus(bridge.port, { host: `127.0.0.1:${bridge.port}`, ...headers });
    expect(result).toEqual({ status: 403, body: `${code}\n` });
  });

  it('serves nothing over plain HTTP', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: bridge.port, path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(426);
  });

  it('closes a connection whose first frame is not hello (1008, auth-required)', async () => {
    const client = await TestClient.open(bridge);
    client.send({ type: 'list-guests' });
    const error = await client.next((m) => m.type === 'error');
    expect(error).toMatchObject({ code: 'auth-required' });
    expect(await client.closed).toBe(1008);
    expect(client.received.filter((m) => m.type === 'guest-list')).toEqual([]);
  });

  it('refuses a wrong token (1008, auth-failed) and a missing one', async () => {
    const wrong = await TestClient.open(bridge);
    wrong.send({ type: 'hello', protocol: PROTOCOL_VERSION, token: `${bridge.token.slice(0, -1)}A` === bridge.token ? 'x' : `${bridge.token.slice(0, -1)}A` });
    expect(await wrong.next((m) => m.type === 'error')).toMatchObject({ code: 'auth-failed' });
    expect(await wrong.closed).toBe(1008);
    const missing = await TestClient.open(bridge);
    missing.send({ type: 'hello', protocol: PROTOCOL_VERSION });
    expect(await missing.next((m) => m.type === 'error')).toMatchObject({ code: 'auth-required' });
    expect(await missing.closed).toBe(1008);
  });

  it('refuses another protocol version', async () => {
    const client = await TestClient.open(bridge);
    client.send({ type: 'hello', protocol: PROTOCOL_VERSION + 1, token: bridge.token });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'protocol-version', params: { server: PROTOCOL_VERSION } });
    expect(await client.closed).toBe(1008);
  });

  it('refuses a hello with unknown fields', async () => {
    const client = await TestClient.open(bridge);
    client.send({ type: 'hello', protocol: PROTOCOL_VERSION, token: bridge.token, admin: true });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'auth-required' });
    expect(await client.closed).toBe(1008);
  });

  it('closes a silent connection after the hello timeout', async () => {
    const client = await TestClient.open(bridge);
    expect(await client.next((m) => m.type === 'error', 8000)).toMatchObject({ code: 'auth-timeout' });
    expect(await client.closed).toBe(1008);
  }, 10_000);

  it('answers malformed and unknown frames with bad-message and stays usable', async () => {
    const client = await TestClient.connect(bridge);
    client.ws.send('{not json');
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'bad-message', params: { detail: 'not JSON' } });
    client.send({ type: 'start', guest: 'linux-guest', variant: 'virtio', qemuArgs: ['-hda', '/etc/shadow'] });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'bad-message' });
    client.send({ type: 'exec', command: 'id' });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'bad-message' });
    client.send({ type: 'ping', ref: 'still-here' });
    expect(await client.next((m) => m.type === 'pong')).toEqual({ type: 'pong', ref: 'still-here' });
    await client.close();
  });

  it('closes on a binary frame', async () => {
    const client = await TestClient.connect(bridge);
    client.ws.send(Buffer.from([1, 2, 3]));
    expect(await client.closed).toBe(1008);
  });

  it('closes on an oversized frame (1009) before reading it', async () => {
    const client = await TestClient.connect(bridge);
    client.ws.send(JSON.stringify({ type: 'input', guestId: 'g1', data: 'x'.repeat(70 * 1024) }));
    expect(await client.closed).toBe(1009);
  });

  it('drops messages above the rate limit and says so once', async () => {
    const client = await TestClient.connect(bridge);
    for (let i = 0; i < 60; i += 1) client.send({ type: 'ping', ref: `p${i}` });
    await client.next((m) => m.type === 'error' && m.code === 'rate-limited');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pongs = client.received.filter((m) => m.type === 'pong').length;
    // Burst of 20 plus what refilled at 20/s while the frames arrived; never all 60.
    expect(pongs).toBeGreaterThanOrEqual(19);
    expect(pongs).toBeLessThan(40);
    expect(client.received.filter((m) => m.type === 'error' && m.code === 'rate-limited')).toHaveLength(0); // the one error was consumed above
    await client.close();
  });

  it('refuses a guest above the memory limit and an unknown guest', async () => {
    const client = await TestClient.connect(bridge);
    client.send({ type: 'start', guest: 'linux-guest', variant: 'virtio', accel: 'tcg', ref: 's1' });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ ref: 's1', code: 'guest-memory-limit', params: { memoryMiB: 128, maxMiB: 64 } });
    client.send({ type: 'start', guest: 'no-such-lab', variant: 'virtio', ref: 's2' });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ ref: 's2', code: 'unknown-guest' });
    client.send({ type: 'stop', guestId: 'g999' });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'guest-not-found' });
    await client.close();
  });
});

describe('connection limit', () => {
  it('refuses connections above --max-connections with 503, and frees the slot on close', async () => {
    const bridge = await startBridgeProcess(['--max-connections', '2']);
    try {
      const a = await TestClient.connect(bridge);
      const b = await TestClient.open(bridge);
      expect(await upgradeStatus(bridge.port, { host: `127.0.0.1:${bridge.port}`, origin: SITE_ORIGIN })).toEqual({ status: 503, body: 'too-many-connections\n' });
      await b.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const c = await TestClient.connect(bridge);
      await Promise.all([a.close(), c.close()]);
    } finally {
      expect(await bridge.stop()).toBe(0);
    }
  });
});

const found = findTestGuest();
describe.skipIf(!found.ok)(`too many guests (${found.ok ? found.guest.description : `skipped: ${found.reason}`})`, () => {
  it('refuses a second guest when one may run, on any connection', async () => {
    if (!found.ok) return;
    const bridge = await startBridgeProcess(['--max-guests', '1', '--labs-dir', found.guest.labsDir, '--guest-dir', found.guest.guestDir]);
    try {
      const a = await TestClient.connect(bridge);
      const b = await TestClient.connect(bridge);
      a.send({ type: 'start', guest: found.guest.guest, variant: found.guest.variant, accel: 'tcg', ref: 'first' });
      const first = await a.next((m) => m.type === 'guest-state' || m.type === 'error');
      expect(first).toMatchObject({ type: 'guest-state', ref: 'first', phase: 'launching' });
      b.send({ type: 'start', guest: found.guest.guest, variant: found.guest.variant, accel: 'tcg', ref: 'second' });
      expect(await b.next((m) => m.type === 'error')).toMatchObject({ ref: 'second', code: 'too-many-guests', params: { max: 1 } });
      // b cannot touch a's guest either: guests belong to their connection.
      if (first.type !== 'guest-state') throw new Error('no guest');
      b.send({ type: 'stop', guestId: first.guestId });
      expect(await b.next((m) => m.type === 'error')).toMatchObject({ code: 'guest-not-found' });
      a.send({ type: 'stop', guestId: first.guestId });
      await a.next((m) => m.type === 'guest-state' && m.phase === 'exited');
      // The slot is free again.
      b.send({ type: 'start', guest: found.guest.guest, variant: found.guest.variant, accel: 'tcg', ref: 'third' });
      expect(await b.next((m) => m.type === 'guest-state' || m.type === 'error')).toMatchObject({ type: 'guest-state', ref: 'third' });
      await Promise.all([a.close(), b.close()]);
    } finally {
      expect(await bridge.stop()).toBe(0);
    }
  });
});
