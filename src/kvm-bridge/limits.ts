/**
 * Limits the bridge enforces, their defaults, and the pure helpers that apply them. Everything
 * here is configurable from main.ts flags so tests can use small values.
 */
import { microCounts } from '../protocol/micro-timing.ts';
import type { MicroProgramName } from '../protocol/schema.ts';

export interface BridgeLimits {
  /** Largest WebSocket frame, bytes. */
  maxFrameBytes: number;
  /** Open WebSocket connections at once. */
  maxConnections: number;
  /** QEMU guests running at once, over all connections. */
  maxGuests: number;
  /** Largest guest RAM the bridge will start, MiB. */
  maxGuestMemoryMiB: number;
  /** A guest is killed this long after it started, seconds. */
  guestLifetimeSeconds: number;
  /** A guest is killed after this long without input from its client, seconds. */
  guestIdleSeconds: number;
  /** Sustained messages per second per connection. */
  messagesPerSecond: number;
  /** Messages a connection may send in a burst above the sustained rate. */
  messageBurst: number;
  /** Time the first frame (`hello`) may take, milliseconds. */
  helloTimeoutMs: number;
  /**
   * Upper bound on a lab's KVM boot timeout, seconds: on a software-KVM host, where Linux stalls,
   * the learner is offered TCG sooner.
   */
  kvmBootTimeoutSeconds: number;
  /**
   * After the bridge closes a connection, how long the peer may take to answer the close frame
   * before the socket is dropped, milliseconds. The connection's slot is free at once either way.
   */
  closeGraceMs: number;
  /** Deepest nesting of arrays and objects a frame may have; checked before `JSON.parse`. */
  maxJsonDepth: number;
  /**
   * Bytes of `input` waiting to be written to a guest's console. A guest that stopped reading its
   * UART (halted, hung) cannot fill the bridge's memory: input past this is refused.
   */
  maxConsoleInputBytes: number;
  /**
   * Bytes of replies waiting to be sent to a client (ws `bufferedAmount`). A client that never reads
   * is disconnected past this, instead of the bridge queueing its pongs and results forever.
   */
  maxSendBufferBytes: number;
  /**
   * Loop iterations a `micro-run` may ask for in all (both counts × repeats): the runs hold the one
   * micro-guest slot, at a few microseconds per iteration.
   */
  maxMicroRunIterations: number;
}

export const DEFAULT_LIMITS: BridgeLimits = {
  maxFrameBytes: 64 * 1024,
  maxConnections: 8,
  // Two cores: each TCG guest keeps one busy while it works.
  maxGuests: 2,
  maxGuestMemoryMiB: 512,
  guestLifetimeSeconds: 60 * 60,
  guestIdleSeconds: 15 * 60,
  // Typing is at most tens of keys per second; a keystroke benchmark sends ~1000/s for a moment.
  messagesPerSecond: 200,
  messageBurst: 400,
  helloTimeoutMs: 5000,
  kvmBootTimeoutSeconds: 600,
  closeGraceMs: 1000,
  // The deepest valid frame is 2 (`micro-run`'s `counts` inside the message); room to spare.
  maxJsonDepth: 8,
  // 16 pastes of the largest `input`; the guest's console drains 11.5 KB/s at 115200 baud.
  maxConsoleInputBytes: 64 * 1024,
  // Far above what the console may queue (its output pauses at 1 MiB, see server.ts).
  maxSendBufferBytes: 8 * 1024 * 1024,
  // The page's default request is 3 × (20 000 + 200 000) = 660 000. Under KVM each iteration is a
  // VM exit, ~7 µs on a software KVM (kvm_pvm): 2 000 000 hold the slot for about 15 s, where the
  // protocol's largest request (10 000 000) held it for over a minute.
  maxMicroRunIterations: 2_000_000,
};

/** A token bucket: `take(now)` is true when a message may pass. Pure state, clock passed in. */
export interface TokenBucket {
  tokens: number;
  updatedMs: number;
}

export function newBucket(capacity: number, nowMs: number): TokenBucket {
  return { tokens: capacity, updatedMs: nowMs };
}

/**
 * Refills at `ratePerSecond` up to `capacity`, then takes one token if there is one.
 * @example takeToken({ tokens: 0, updatedMs: 0 }, 1000, 10, 10) // { allowed: true, bucket: { tokens: 9, updatedMs: 1000 } }
 */
export function takeToken(
  bucket: TokenBucket,
  nowMs: number,
  ratePerSecond: number,
  capacity: number,
): { allowed: boolean; bucket: TokenBucket } {
  const elapsed = Math.max(0, nowMs - bucket.updatedMs);
  const tokens = Math.min(capacity, bucket.tokens + (elapsed * ratePerSecond) / 1000);
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, updatedMs: nowMs } };
  return { allowed: false, bucket: { tokens, updatedMs: nowMs } };
}

export type AdmissionError =
  | { code: 'too-many-guests'; params: { max: number } }
  | { code: 'guest-memory-limit'; params: { memoryMiB: number; maxMiB: number } };

/** Whether one more guest of `memoryMiB` may start while `running` guests run. */
export function admitGuest(
  running: number,
  memoryMiB: number,
  limits: Pick<BridgeLimits, 'maxGuests' | 'maxGuestMemoryMiB'>,
): AdmissionError | null {
  if (memoryMiB > limits.maxGuestMemoryMiB)
    return { code: 'guest-memory-limit', params: { memoryMiB, maxMiB: limits.maxGuestMemoryMiB } };
  if (running >= limits.maxGuests) return { code: 'too-many-guests', params: { max: limits.maxGuests } };
  return null;
}

/**
 * Nesting depth of a JSON text, counted without parsing it, in one pass; stops counting (and
 * returns a value above `limit`) as soon as the depth passes `limit`. Brackets inside strings do
 * not count. Used to refuse hostile frames before `JSON.parse` builds them. Takes the text or its
 * UTF-8 bytes (the frame as received: no string is made of a frame that is refused); the bytes of
 * `[`, `{`, `"` and `\` never occur inside a multi-byte UTF-8 sequence, so both give the same depth.
 * @example jsonDepth('{"a":[1,[2]]}', 8) // 3
 * @example jsonDepth(Buffer.from('{"a":"[[["}'), 8) // 1
 */
export function jsonDepth(text: string | Uint8Array, limit: number): number {
  const codeAt = typeof text === 'string' ? (i: number): number => text.charCodeAt(i) : (i: number): number => text[i] ?? 0;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = codeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return deepest;
}

/**
 * Loop iterations a `micro-run` request adds up to (every run of the plan).
 * @example microRunIterations({ program: 'out-loop', counts: [20_000, 200_000], repeats: 3 }) // 660000
 */
export function microRunIterations(request: {
  program: MicroProgramName;
  counts?: readonly [number, number] | undefined;
  repeats: number;
}): number {
  // `hello` has no loop: each run is a handful of instructions.
  if (request.program === 'hello') return request.repeats;
  const [low, high] = microCounts(request.program, request.counts);
  return (low + high) * request.repeats;
}
