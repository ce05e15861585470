import { describe, expect, it } from 'vitest';
import {
  MAX_INPUT_CHARS,
  MAX_MICRO_PAGES,
  PROTOCOL_VERSION,
  parseClientMessage,
  parseServerMessage,
  serverMessageSchema,
} from '../../../src/protocol/schema.ts';

const json = (value: unknown): string => JSON.stringify(value);

describe('client messages', () => {
  it.each([
    [{ type: 'hello', protocol: PROTOCOL_VERSION, token: 'abc' }],
    [{ type: 'ping' }],
    [{ type: 'ping', ref: 'r1' }],
    [{ type: 'host-check' }],
    [{ type: 'list-guests' }],
    [{ type: 'start', guest: 'linux-guest', variant: 'virtio', accel: 'tcg' }],
    [{ type: 'input', guestId: 'g1', data: 'ls\n' }],
    [{ type: 'stop', guestId: 'g12' }],
    [{ type: 'watch-stats', guestId: 'g1', intervalMs: 1000 }],
    [{ type: 'watch-stats', guestId: 'g1', intervalMs: 0 }],
    [{ type: 'hello-kvm', program: 'out-loop', iterations: 5 }],
    [{ type: 'console-flow', guestId: 'g1', paused: true }],
    [{ type: 'console-flow', guestId: 'g1', paused: false }],
  ])('accepts %j', (message) => {
    expect(parseClientMessage(json(message))).toMatchObject({ ok: true });
  });

  it('fills defaults: accel auto; hello-kvm leaves the loop count to the bridge (per program)', () => {
    const start = parseClientMessage(json({ type: 'start', guest: 'linux-guest', variant: 'virtio' }));
    expect(start).toEqual({ ok: true, message: { type: 'start', guest: 'linux-guest', variant: 'virtio', accel: 'auto' } });
    const kvm = parseClientMessage(json({ type: 'hello-kvm', program: 'hello' }));
    expect(kvm).toEqual({ ok: true, message: { type: 'hello-kvm', program: 'hello' } });
    expect(parseClientMessage(json({ type: 'hello-kvm', program: 'memory', iterations: MAX_MICRO_PAGES })).ok).toBe(true);
    expect(parseClientMessage(json({ type: 'hello-kvm', program: 'memory', iterations: MAX_MICRO_PAGES + 1 }))).toEqual({
      ok: false,
      detail: `iterations: memory touches at most ${MAX_MICRO_PAGES} pages`,
    });
  });

  it.each([
    ['not JSON', '{type:'],
    ['an array', json([])],
    ['an unknown type', json({ type: 'exec', command: 'rm -rf /' })],
    ['an unknown field', json({ type: 'ping', extra: 1 })],
    [
      'a command line smuggled into start',
      json({ type: 'start', guest: 'linux-guest', variant: 'virtio', args: ['-hda', '/etc/shadow'] }),
    ],
    ['a path as guest name', json({ type: 'start', guest: '../etc', variant: 'virtio' })],
    ['an unknown accelerator', json({ type: 'start', guest: 'linux-guest', variant: 'virtio', accel: 'hvf' })],
    ['a malformed guest id', json({ type: 'stop', guestId: '1; kill' })],
    ['empty input', json({ type: 'input', guestId: 'g1', data: '' })],
    ['input above the limit', json({ type: 'input', guestId: 'g1', data: 'x'.repeat(MAX_INPUT_CHARS + 1) })],
    ['a stats interval below 250 ms', json({ type: 'watch-stats', guestId: 'g1', intervalMs: 10 })],
    ['an unknown micro program', json({ type: 'hello-kvm', program: 'shellcode' })],
    ['too many iterations', json({ type: 'hello-kvm', program: 'out-loop', iterations: 1e7 })],
    ['hello without token', json({ type: 'hello', protocol: 1 })],
    ['a long ref', json({ type: 'ping', ref: 'r'.repeat(65) })],
    ['console-flow without a boolean', json({ type: 'console-flow', guestId: 'g1', paused: 'yes' })],
    ['console-flow with a byte count', json({ type: 'console-flow', guestId: 'g1', paused: true, bytes: 5 })],
  ])('rejects %s', (_name, text) => {
    const result = parseClientMessage(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail.length).toBeGreaterThan(0);
  });

  // A plain object answers these through its prototype; every lookup of a client's value must not.
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('never takes %s for a known name', (name) => {
    for (const message of [
      { type: name },
      { type: 'start', guest: 'linux-guest', variant: 'virtio', accel: name },
      { type: 'hello-kvm', program: name },
      { type: 'micro-run', accel: name },
      { type: 'micro-run', accel: 'tcg', program: name },
    ]) {
      expect(parseClientMessage(json(message)).ok).toBe(false);
    }
    // `__proto__` as a key of the JSON itself is an unknown field, not a prototype.
    expect(parseClientMessage(`{"type":"ping","__proto__":{"ref":"x"}}`).ok).toBe(false);
  });

  it('names the field of the first problem', () => {
    const result = parseClientMessage(json({ type: 'input', guestId: 'g1', data: '' }));
    expect(result.ok ? '' : result.detail).toMatch(/^data: /);
  });
});

describe('server messages', () => {
  it('accepts a guest-state and a kvm-exit', () => {
    expect(
      parseServerMessage(
        json({
          type: 'guest-state',
          guestId: 'g1',
          guest: 'linux-guest',
          variant: 'virtio',
          accel: 'tcg',
          phase: 'running',
          elapsedMs: 10,
        }),
      ),
    ).toMatchObject({ ok: true });
    expect(
      parseServerMessage(
        json({
          type: 'kvm-exit',
          seq: 1,
          reason: 'io',
          reasonCode: 2,
          rip: 4108,
          io: { direction: 'out', size: 1, port: 1016, count: 1, data: [72] },
        }),
      ),
    ).toMatchObject({ ok: true });
  });

  it('protocol 4 carries the errors of the bounds against a hostile client or a stuck guest', () => {
    expect(PROTOCOL_VERSION).toBeGreaterThanOrEqual(4);
    for (const [code, params] of [
      ['message-too-deep', { max: 8 }],
      ['client-not-reading', { maxBytes: 8388608 }],
      ['guest-input-full', { maxBytes: 65536 }],
      ['micro-run-too-long', { iterations: 9_999_995, max: 2_000_000 }],
    ] as const) {
      expect(parseServerMessage(json({ type: 'error', code, params }))).toMatchObject({ ok: true });
    }
  });

  it('rejects an error with a code that has no text in messages.ts', () => {
    expect(serverMessageSchema.safeParse({ type: 'error', code: 'no-such-key', params: {} }).success).toBe(false);
  });

  it('is strict on the server side too', () => {
    expect(parseServerMessage(json({ type: 'pong', extra: true })).ok).toBe(false);
  });
});
