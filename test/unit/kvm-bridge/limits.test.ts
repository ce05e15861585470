import { describe, expect, it } from 'vitest';
import {
  admitGuest,
  DEFAULT_LIMITS,
  jsonDepth,
  microRunIterations,
  newBucket,
  takeToken,
} from '../../../src/kvm-bridge/limits.ts';
import { DEFAULT_MICRO_COUNTS, DEFAULT_MICRO_REPEATS } from '../../../src/protocol/micro-timing.ts';
import { MAX_FRAME_BYTES, MAX_INPUT_CHARS, MAX_MICRO_ITERATIONS, MAX_MICRO_REPEATS } from '../../../src/protocol/schema.ts';

describe('token bucket', () => {
  it('lets a burst through, then the sustained rate', () => {
    let bucket = newBucket(3, 0);
    const allowed: boolean[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = takeToken(bucket, 0, 10, 3);
      bucket = r.bucket;
      allowed.push(r.allowed);
    }
    expect(allowed).toEqual([true, true, true, false, false]);
    // 10 per second: after 100 ms one more token.
    expect(takeToken(bucket, 100, 10, 3).allowed).toBe(true);
    expect(takeToken(bucket, 50, 10, 3).allowed).toBe(false);
  });

  it('never holds more than its capacity', () => {
    const r = takeToken(newBucket(3, 0), 60_000, 10, 3);
    expect(r.bucket.tokens).toBe(2);
  });

  it('ignores a clock that goes backwards', () => {
    expect(takeToken({ tokens: 0, updatedMs: 1000 }, 0, 10, 3).allowed).toBe(false);
  });
});

describe('guest admission', () => {
  const limits = { maxGuests: 2, maxGuestMemoryMiB: 256 };
  it.each([
    [0, 128, null],
    [1, 256, null],
    [2, 128, 'too-many-guests'],
    [0, 512, 'guest-memory-limit'],
  ] as const)('%i running, %i MiB → %s', (running, memory, code) => {
    expect(admitGuest(running, memory, limits)?.code ?? null).toBe(code);
  });
});

describe('production defaults of the bounds against a hostile client', () => {
  it('exist and keep room for what the page really sends', () => {
    expect(DEFAULT_LIMITS).toMatchObject({
      maxFrameBytes: MAX_FRAME_BYTES,
      maxConnections: 8,
      helloTimeoutMs: 5000,
      closeGraceMs: 1000,
      maxJsonDepth: 8,
      maxConsoleInputBytes: 64 * 1024,
      maxSendBufferBytes: 8 * 1024 * 1024,
      maxMicroRunIterations: 2_000_000,
    });
    // A paste of the largest input fits many times over; the page's default micro-run fits.
    expect(DEFAULT_LIMITS.maxConsoleInputBytes).toBeGreaterThanOrEqual(8 * MAX_INPUT_CHARS * 2);
    const pageRequest = {
      program: 'out-loop' as const,
      counts: [DEFAULT_MICRO_COUNTS[0], DEFAULT_MICRO_COUNTS[1]] as const,
      repeats: DEFAULT_MICRO_REPEATS,
    };
    expect(microRunIterations(pageRequest)).toBeLessThanOrEqual(DEFAULT_LIMITS.maxMicroRunIterations);
    // The protocol alone would allow 5 × 2 × 1 000 000: the bound is the bridge's.
    expect(
      microRunIterations({
        program: 'out-loop' as const,
        counts: [MAX_MICRO_ITERATIONS - 1, MAX_MICRO_ITERATIONS],
        repeats: MAX_MICRO_REPEATS,
      }),
    ).toBeGreaterThan(DEFAULT_LIMITS.maxMicroRunIterations);
    // The console's own backpressure (1 MiB) pauses output long before a client is dropped.
    expect(DEFAULT_LIMITS.maxSendBufferBytes).toBeGreaterThan(2 * 1024 * 1024);
  });
});

describe('JSON depth before parsing', () => {
  it.each([
    ['{}', 1],
    ['{"type":"ping"}', 1],
    ['{"type":"micro-run","counts":[1,2]}', 2],
    ['[[[]]]', 3],
    ['{"a":"[[[{{{"}', 1],
    // An escaped backslash, then an escaped quote: the string goes on, the brackets are text.
    [String.raw`{"a":"\\\"[[["}`, 1],
    ['{"a":[{"b":[1]}],"c":[]}', 4],
    ['not json [', 1],
  ])('%s → %i', (text, depth) => {
    expect(jsonDepth(text, 8)).toBe(depth);
    // The same from the frame's UTF-8 bytes.
    expect(jsonDepth(Buffer.from(text, 'utf8'), 8)).toBe(depth);
  });

  it('counts the same in UTF-8 bytes with multi-byte characters', () => {
    const text = '{"a":"€[😀","b":[["ü"]]}';
    expect(jsonDepth(Buffer.from(text, 'utf8'), 8)).toBe(jsonDepth(text, 8));
    expect(jsonDepth(text, 8)).toBe(3);
  });

  it('stops counting past the limit', () => {
    const hostile = `${'['.repeat(32_700)}${']'.repeat(32_700)}`;
    expect(jsonDepth(hostile, 8)).toBe(9);
  });
});

describe('micro-run work', () => {
  it('counts every run of the plan', () => {
    expect(microRunIterations({ program: 'out-loop', counts: [20_000, 200_000], repeats: 3 })).toBe(660_000);
    expect(microRunIterations({ program: 'hello', counts: [20_000, 200_000], repeats: 5 })).toBe(5);
  });
});
