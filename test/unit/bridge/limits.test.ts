import { describe, expect, it } from 'vitest';
import { admitGuest, newBucket, takeToken } from '../../../src/kvm-bridge/limits.ts';

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
