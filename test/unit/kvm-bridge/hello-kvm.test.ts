/**
 * `hello-kvm`: the exit is timed apart from the streamed run, and streaming is its own figure.
 */
import { describe, expect, it } from 'vitest';
import { HELLO_STREAM_LIMIT, helloKvmDone, helloKvmRuns } from '../../../src/kvm-bridge/hello-kvm.ts';
import type { MicroGuestResult } from '../../../src/kvm-bridge/kvm-api.ts';
import { EXIT_TIMING_COUNTS } from '../../../src/protocol/micro-timing.ts';
import { parseServerMessage } from '../../../src/protocol/schema.ts';

const result = (
  program: MicroGuestResult['program'],
  totalExits: number,
  elapsedMicroseconds: number,
  streamedExits = 0,
): MicroGuestResult => ({
  program,
  totalExits,
  streamedExits,
  exitCounts: { io: totalExits - 1, hlt: 1 },
  consoleText: '',
  elapsedMicroseconds,
});

describe('hello-kvm', () => {
  it('warms up, streams one run, repeats it unstreamed, then times out-loop at two counts', () => {
    const runs = helloKvmRuns('hello', 1);
    expect(runs.map((r) => r.streamLimit)).toEqual([0, HELLO_STREAM_LIMIT, 0, 0, 0, 0, 0]);
    expect(runs.slice(1, 3).map((r) => r.program)).toEqual(['hello', 'hello']);
    expect(runs.slice(3).map((r) => [r.program, r.iterations])).toEqual([
      ['out-loop', EXIT_TIMING_COUNTS[0]],
      ['out-loop', EXIT_TIMING_COUNTS[1]],
      ['out-loop', EXIT_TIMING_COUNTS[0]],
      ['out-loop', EXIT_TIMING_COUNTS[1]],
    ]);
  });

  it('exit cost from the unstreamed counts, streaming cost from the difference of the two hello runs', () => {
    // 100 µs of set-up and 8 µs per exit in out-loop; 12 exits of hello take 200 µs unstreamed, 800 streamed.
    const [low, high] = EXIT_TIMING_COUNTS;
    const loop = (n: number, slow = 0): MicroGuestResult => result('out-loop', n + 19, 100 + 8 * (n + 19) + slow);
    const done = helloKvmDone(
      [
        loop(low, 5000),
        result('hello', 12, 800, 12),
        result('hello', 12, 200),
        loop(low),
        loop(high),
        loop(low, 300),
        loop(high),
      ],
      'kvm_intel',
    );
    expect(done.microsecondsPerExit).toBeCloseTo(8, 9);
    expect(done.exitsPerSecond).toBeCloseTo(125_000, 3);
    expect(done.streamedMicrosecondsPerExit).toBeCloseTo(800 / 12, 9);
    expect(done.streamingMicrosecondsPerExit).toBeCloseTo(600 / 12, 9);
    expect(done).toMatchObject({ totalExits: 12, streamedExits: 12, elapsedMicroseconds: 800, exitTimingCounts: [low, high] });
    expect(parseServerMessage(JSON.stringify(done))).toMatchObject({ ok: true });
  });

  it('a host too busy for a positive difference gives no exit cost, not a negative one', () => {
    const [low, high] = EXIT_TIMING_COUNTS;
    const done = helloKvmDone(
      [
        result('out-loop', low, 1),
        result('hello', 12, 800, 12),
        result('hello', 12, 200),
        result('out-loop', low, 9000),
        result('out-loop', high, 500),
      ],
      'kvm_pvm',
    );
    expect(done.microsecondsPerExit).toBeNull();
    expect(done.exitsPerSecond).toBeNull();
  });
});
