/**
 * Limits the bridge enforces, their defaults, and the pure helpers that apply them. Everything
 * here is configurable from main.ts flags so tests can use small values.
 */

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
export function takeToken(bucket: TokenBucket, nowMs: number, ratePerSecond: number, capacity: number): { allowed: boolean; bucket: TokenBucket } {
  const elapsed = Math.max(0, nowMs - bucket.updatedMs);
  const tokens = Math.min(capacity, bucket.tokens + (elapsed * ratePerSecond) / 1000);
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, updatedMs: nowMs } };
  return { allowed: false, bucket: { tokens, updatedMs: nowMs } };
}

export type AdmissionError =
  | { code: 'too-many-guests'; params: { max: number } }
  | { code: 'guest-memory-limit'; params: { memoryMiB: number; maxMiB: number } };

/** Whether one more guest of `memoryMiB` may start while `running` guests run. */
export function admitGuest(running: number, memoryMiB: number, limits: Pick<BridgeLimits, 'maxGuests' | 'maxGuestMemoryMiB'>): AdmissionError | null {
  if (memoryMiB > limits.maxGuestMemoryMiB) return { code: 'guest-memory-limit', params: { memoryMiB, maxMiB: limits.maxGuestMemoryMiB } };
  if (running >= limits.maxGuests) return { code: 'too-many-guests', params: { max: limits.maxGuests } };
  return null;
}
