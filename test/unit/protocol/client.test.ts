/**
 * Message handling of the browser client, without a socket: frames in, frames out. Talking to a
 * bridge is tested against a real one (test/integration/kvm-bridge/client.test.ts, test/e2e/kvm-lab.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { BridgeError, BridgeSession } from '../../../src/protocol/client';
import { MAX_INPUT_CHARS, type ServerMessage } from '../../../src/protocol/schema';

function session() {
  const sent: Record<string, unknown>[] = [];
  const s = new BridgeSession((frame) => sent.push(JSON.parse(frame) as Record<string, unknown>));
  const seen: ServerMessage[] = [];
  const problems: string[] = [];
  s.onMessage((m) => seen.push(m));
  s.onProblem((p) => problems.push(p));
  return { s, sent, seen, problems, deliver: (m: unknown) => s.receive(JSON.stringify(m)) };
}

const hostCheck = {
  items: [
    {
      id: 'kvm-module',
      status: 'warn',
      message: 'check.kvm-module.software',
      params: { module: 'kvm_pvm' },
      fixes: ['fix.use-tcg'],
    },
  ],
  kvmKind: 'software',
  kvmUsable: true,
  linuxAccel: 'tcg',
  summary: 'check.summary.software',
  summaryParams: { module: 'kvm_pvm' },
};

describe('BridgeSession', () => {
  it('sends checked frames with the schema defaults filled in', () => {
    const { s, sent } = session();
    s.send({ type: 'start', guest: 'linux-guest', variant: 'virtio' });
    expect(sent).toEqual([{ type: 'start', guest: 'linux-guest', variant: 'virtio', accel: 'auto' }]);
  });

  it('refuses to send what the bridge would reject, and sends nothing', () => {
    const { s, sent } = session();
    expect(() => s.send({ type: 'input', guestId: 'g1', data: 'x'.repeat(MAX_INPUT_CHARS + 1) })).toThrow(BridgeError);
    expect(() => s.send({ type: 'start', guest: '../etc', variant: 'virtio' })).toThrow(/invalid start/);
    expect(sent).toEqual([]);
  });

  it('matches a reply to its request by ref and still tells the listeners', async () => {
    const { s, sent, seen, deliver } = session();
    const reply = s.request(
      { type: 'host-check' },
      (m): m is Extract<ServerMessage, { type: 'host-check-result' }> => m.type === 'host-check-result',
    );
    const ref = sent[0]?.['ref'];
    expect(ref).toMatch(/^r\d+$/);
    deliver({ type: 'host-check-result', ref: 'someone-else', check: hostCheck });
    deliver({ type: 'host-check-result', ref, check: hostCheck });
    await expect(reply).resolves.toMatchObject({ ref, check: { kvmKind: 'software' } });
    expect(seen.map((m) => m.type)).toEqual(['host-check-result', 'host-check-result']);
  });

  it('rejects a request answered by an error with the same ref, keeping the message key', async () => {
    const { s, sent, deliver } = session();
    const start = s.request(
      { type: 'start', guest: 'linux-guest', variant: 'virtio', accel: 'tcg' },
      (m): m is ServerMessage => m.type === 'guest-state',
    );
    deliver({ type: 'error', ref: sent[0]?.['ref'], code: 'too-many-guests', params: { max: 2 } });
    const error = await start.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BridgeError);
    expect(error).toMatchObject({ code: 'rejected', key: 'too-many-guests', params: { max: 2 } });
  });

  it('streams progress (kvm-exit) until the final reply', async () => {
    const { s, sent, deliver } = session();
    const exits: unknown[] = [];
    const done = s.request(
      { type: 'hello-kvm', program: 'hello' },
      (m): m is ServerMessage => m.type === 'hello-kvm-done',
      (m) => exits.push(m),
    );
    const ref = sent[0]?.['ref'];
    expect(sent[0]).toEqual({ type: 'hello-kvm', program: 'hello', ref });
    deliver({
      type: 'kvm-exit',
      ref,
      seq: 1,
      reason: 'io',
      reasonCode: 2,
      rip: 4108,
      io: { direction: 'out', size: 1, port: 1016, count: 1, data: [72] },
    });
    deliver({ type: 'kvm-exit', ref, seq: 2, reason: 'hlt', reasonCode: 5, rip: 4111 });
    deliver({
      type: 'hello-kvm-done',
      ref,
      program: 'hello',
      totalExits: 2,
      streamedExits: 2,
      exitCounts: { io: 1, hlt: 1 },
      consoleText: 'H',
      elapsedMicroseconds: 10,
      streamedMicrosecondsPerExit: 5,
      unstreamedElapsedMicroseconds: 4,
      microsecondsPerExit: 2,
      exitsPerSecond: 500000,
      streamingMicrosecondsPerExit: 3,
      exitTimingCounts: [1000, 5000],
      kvmModule: 'kvm_pvm',
    });
    await expect(done).resolves.toMatchObject({ totalExits: 2 });
    expect(exits).toHaveLength(2);
  });

  it.each([
    ['not JSON', '{"type":'],
    ['an unknown message type', JSON.stringify({ type: 'shell', command: 'id' })],
    ['an unknown field', JSON.stringify({ type: 'pong', extra: 1 })],
    ['an error code with no text', JSON.stringify({ type: 'error', code: 'made-up', params: {} })],
  ])('drops %s, reports the problem, and resolves nothing', async (_what, frame) => {
    const { s, sent, seen, problems } = session();
    let settled = false;
    void s.request({ type: 'ping' }, (m): m is ServerMessage => m.type === 'pong').finally(() => (settled = true));
    expect(s.receive(frame)).toBeNull();
    expect(seen).toEqual([]);
    expect(problems).toHaveLength(1);
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it('when the connection fails: pending requests reject and sending throws the same error', async () => {
    const { s } = session();
    const pending = s.request({ type: 'ping' }, (m): m is ServerMessage => m.type === 'pong');
    const lost = new BridgeError('closed', 'gone', undefined, {}, 1006);
    s.fail(lost);
    await expect(pending).rejects.toBe(lost);
    expect(() => s.send({ type: 'ping' })).toThrow(lost);
    expect(s.failed).toBe(lost);
  });
});
