import { describe, expect, it } from 'vitest';
import {
  BRIDGE_URL_STORAGE_KEY,
  bridgeHttpUrl,
  forgetBridgeUrl,
  parseBridgeUrl,
  recallBridgeUrl,
  rememberBridgeUrl,
  type BridgeAddress,
} from '../../../src/protocol/bridge-url';

const TOKEN = '4f3XqZ0b_Yc-9kLmN2pQrStUvWxYz0123456789abcd';

describe('parseBridgeUrl', () => {
  it('reads the line the bridge prints', () => {
    expect(parseBridgeUrl(`ws://127.0.0.1:8477/ws?token=${TOKEN}`)).toEqual({
      ok: true,
      address: {
        host: '127.0.0.1',
        port: 8477,
        socketUrl: 'ws://127.0.0.1:8477/ws',
        display: '127.0.0.1:8477',
        token: TOKEN,
        line: `ws://127.0.0.1:8477/ws?token=${TOKEN}`,
      },
    });
  });

  it.each([
    ['surrounding spaces and a newline', `  ws://127.0.0.1:8477/ws?token=${TOKEN}\n`],
    [
      'the terminal prompt and the note before it',
      `$ npm run bridge\nKVM bridge ready. Paste this URL into the site panel:\nws://127.0.0.1:8477/ws?token=${TOKEN}`,
    ],
    ['quotes', `"ws://127.0.0.1:8477/ws?token=${TOKEN}"`],
    ['upper-case scheme', `WS://127.0.0.1:8477/ws?token=${TOKEN}`],
  ])('ignores %s', (_what, text) => {
    const parsed = parseBridgeUrl(text);
    expect(parsed.ok && parsed.address.socketUrl).toBe('ws://127.0.0.1:8477/ws');
    expect(parsed.ok && parsed.address.token).toBe(TOKEN);
  });

  it.each([
    ['localhost', 'localhost', 'ws://localhost:9000/ws'],
    ['[::1]', '[::1]', 'ws://[::1]:9000/ws'],
  ])('accepts %s', (host, expectedHost, socketUrl) => {
    const parsed = parseBridgeUrl(`ws://${host}:9000/ws?token=abc`);
    expect(parsed).toMatchObject({ ok: true, address: { host: expectedHost, port: 9000, socketUrl, token: 'abc' } });
  });

  it.each([
    ['', 'empty'],
    ['   \n', 'empty'],
    ['npm run bridge', 'not-a-url'],
    ['ws://', 'not-a-url'],
    [`http://127.0.0.1:8477/ws?token=${TOKEN}`, 'not-ws'],
    [`wss://127.0.0.1:8477/ws?token=${TOKEN}`, 'not-ws'],
    [`https://example.com/?token=${TOKEN}`, 'not-ws'],
    [`ws://192.168.1.20:8477/ws?token=${TOKEN}`, 'not-loopback'],
    [`ws://evil.example:8477/ws?token=${TOKEN}`, 'not-loopback'],
    [`ws://127.0.0.1.nip.io:8477/ws?token=${TOKEN}`, 'not-loopback'],
    [`ws://[::2]:8477/ws?token=${TOKEN}`, 'not-loopback'],
    [`ws://user:pw@127.0.0.1:8477/ws?token=${TOKEN}`, 'not-a-url'],
    [`ws://127.0.0.1:8477/?token=${TOKEN}`, 'wrong-path'],
    [`ws://127.0.0.1:8477/ws/admin?token=${TOKEN}`, 'wrong-path'],
    ['ws://127.0.0.1:8477/ws', 'no-token'],
    ['ws://127.0.0.1:8477/ws?token=', 'no-token'],
    ['ws://127.0.0.1:8477/ws?token=a%20b', 'bad-token'],
    [`ws://127.0.0.1:8477/ws?token=${'a'.repeat(257)}`, 'bad-token'],
  ])('rejects %j as %s', (text, problem) => {
    expect(parseBridgeUrl(text)).toEqual({ ok: false, problem });
  });

  it('connects without the token in the socket URL (it goes in hello)', () => {
    const parsed = parseBridgeUrl(`ws://127.0.0.1:8477/ws?token=${TOKEN}`);
    expect(parsed.ok && parsed.address.socketUrl).not.toContain(TOKEN);
    expect(parsed.ok && bridgeHttpUrl(parsed.address)).toBe('http://127.0.0.1:8477/');
  });
});

class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

describe('remembering the URL for this tab', () => {
  const address = (parseBridgeUrl(`ws://127.0.0.1:8477/ws?token=${TOKEN}`) as { ok: true; address: BridgeAddress }).address;

  it('stores the normalised line and reads it back', () => {
    const storage = new MemoryStorage();
    rememberBridgeUrl(storage, address);
    expect(storage.map.get(BRIDGE_URL_STORAGE_KEY)).toBe(address.line);
    expect(recallBridgeUrl(storage)).toEqual(address);
    forgetBridgeUrl(storage);
    expect(recallBridgeUrl(storage)).toBeNull();
  });

  it('ignores a stored value that is no longer a bridge URL', () => {
    const storage = new MemoryStorage();
    storage.setItem(BRIDGE_URL_STORAGE_KEY, 'ws://10.0.0.1:8477/ws?token=x');
    expect(recallBridgeUrl(storage)).toBeNull();
  });

  it('survives a storage that throws (blocked by policy) and no storage at all', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(() => rememberBridgeUrl(blocked, address)).not.toThrow();
    expect(recallBridgeUrl(blocked)).toBeNull();
    expect(() => forgetBridgeUrl(blocked)).not.toThrow();
    expect(recallBridgeUrl(undefined)).toBeNull();
  });
});
