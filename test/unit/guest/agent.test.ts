import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AgentLines,
  PROBE_GUEST_SECONDS,
  PROBE_OUTPUT_CAP,
  PROBE_SCRIPT_MAX,
  base64ToBytes,
  bytesToBase64,
  encodeProbe,
  newProbeId,
  parseAgentLine,
  probeAnswer,
} from '../../../src/guest/agent';

/** A reply line as init.sh's probe() writes it. */
const reply = (id: string, status: string, bytes: Uint8Array, total = bytes.length) =>
  `probe ${id} ${status} ${total} ${bytesToBase64(bytes)}`;

describe('encodeProbe', () => {
  it('puts the script on one line as base64 of its UTF-8', () => {
    const line = encodeProbe('a1', "grep ' /mnt ' /proc/mounts\necho 'sudah ✓'");
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    const [verb, id, script] = line.trim().split(' ');
    expect([verb, id]).toEqual(['probe', 'a1']);
    expect(new TextDecoder().decode(base64ToBytes(script ?? ''))).toBe("grep ' /mnt ' /proc/mounts\necho 'sudah ✓'");
  });

  it('refuses an id the agent would split or misread', () => {
    for (const id of ['', 'a b', 'a\nb', 'x'.repeat(65)]) expect(() => encodeProbe(id, 'true')).toThrow(/bad probe id/);
  });

  it('refuses a script too long for the guest to take in one line', () => {
    expect(() => encodeProbe('a1', 'x'.repeat(PROBE_SCRIPT_MAX))).not.toThrow();
    expect(() => encodeProbe('a1', 'x'.repeat(PROBE_SCRIPT_MAX + 1))).toThrow(/limited to 8192 bytes/);
  });

  it('makes fresh ids that encodeProbe accepts', () => {
    const ids = new Set(Array.from({ length: 100 }, newProbeId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(() => encodeProbe(id, 'true')).not.toThrow();
  });
});

describe('parseAgentLine and probeAnswer', () => {
  it('reads a reply as the agent writes it (the line init.sh printed for `echo hi; exit 3`)', () => {
    const parsed = parseAgentLine('probe a1 3 3 aGkK');
    expect(parsed).toEqual({ id: 'a1', status: 3, totalBytes: 3, bytes: new Uint8Array([104, 105, 10]) });
    expect(probeAnswer(parsed!)).toMatchObject({ exitCode: 3, output: 'hi\n', truncated: false });
  });

  it('reads empty output (the agent leaves a trailing space or none)', () => {
    expect(parseAgentLine('probe a1 0 0 ')).toMatchObject({ status: 0, bytes: new Uint8Array() });
    expect(parseAgentLine('probe a1 0 0')).toMatchObject({ status: 0, bytes: new Uint8Array() });
  });

  it('round-trips any output bytes, newlines and NULs included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 255 }), (bytes, code) => {
        const parsed = parseAgentLine(reply('x', String(code), bytes));
        expect(parsed).not.toBeNull();
        const answer = probeAnswer(parsed!);
        expect(answer.bytes).toEqual(bytes);
        expect(answer.exitCode).toBe(code);
      }),
    );
  });

  it('marks output the agent cut at its cap', () => {
    const kept = new Uint8Array(PROBE_OUTPUT_CAP).fill(0x41);
    const answer = probeAnswer(parseAgentLine(reply('x', '0', kept, 50_000))!);
    expect(answer.truncated).toBe(true);
    expect(answer.output.length).toBe(PROBE_OUTPUT_CAP);
  });

  it('turns a timeout or an unreadable script into an error, not a verdict', () => {
    expect(() => probeAnswer(parseAgentLine('probe x T 0 ')!)).toThrow(/did not finish within 10 s/);
    expect(() => probeAnswer(parseAgentLine('probe x E 0 ')!)).toThrow(/could not read the check script/);
  });

  it.each([
    ['a winsize echo', 'winsize 80 24'],
    ['not base64', 'probe a1 0 3 aGk*'],
    ['a length that does not match', 'probe a1 0 4 aGkK'],
    ['a cut reply (bytes lost on the line)', 'probe a1 0 3 aGk'],
    ['a status that is no exit code', 'probe a1 1000 0 '],
    ['text before the verb', 'xprobe a1 0 0 '],
  ])('ignores %s', (_, line) => {
    expect(parseAgentLine(line)).toBeNull();
  });
});

describe('AgentLines', () => {
  it('splits the stream into lines however it is chunked', () => {
    const text = 'probe a 0 0 \nprobe b 1 3 aGkK\n';
    const bytes = new TextEncoder().encode(text);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 5 }), (cuts) => {
        const lines = new AgentLines();
        const points = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
        const out = points.slice(1).flatMap((end, i) => lines.push(bytes.subarray(points[i], end)));
        expect(out).toEqual(['probe a 0 0 ', 'probe b 1 3 aGkK']);
      }),
    );
  });

  it('drops an overlong line whole and carries on', () => {
    const lines = new AgentLines();
    expect(lines.push(new Uint8Array(70_000).fill(0x41))).toEqual([]);
    expect(lines.push(new TextEncoder().encode('tail\nprobe a 0 0 \n'))).toEqual(['probe a 0 0 ']);
  });
});

describe('the agent in init.sh', () => {
  const init = readFileSync(new URL('../../../scripts/guest/init.sh', import.meta.url), 'utf8');
  it('uses the time limit and output cap this module states', () => {
    expect(init).toContain(`PROBE_SECONDS=${PROBE_GUEST_SECONDS}\n`);
    expect(init).toContain(`PROBE_CAP=${PROBE_OUTPUT_CAP}\n`);
  });
});
