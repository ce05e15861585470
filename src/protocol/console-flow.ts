/**
 * Backpressure for a terminal fed from the network: count the bytes handed to `term.write(data,
 * callback)` whose callback has not run yet, ask the source to pause above a high-water mark and
 * to resume once drained below a low-water mark (ttyd's client does the same with its flow
 * control). Pure: the caller passes `setPaused`, which for the KVM bridge sends `console-flow`.
 */

export interface ConsoleFlowOptions {
  /** Pending bytes at which the source is paused. Default 256 KiB. */
  highWater?: number;
  /** Pending bytes at or below which a paused source resumes. Default 32 KiB. */
  lowWater?: number;
  /** Called with true to pause the source and false to resume it; only on a change. */
  setPaused: (paused: boolean) => void;
}

export class ConsoleFlow {
  private pendingBytes = 0;
  private paused = false;
  private readonly highWater: number;
  private readonly lowWater: number;
  private readonly setPaused: (paused: boolean) => void;

  constructor(options: ConsoleFlowOptions) {
    this.highWater = options.highWater ?? 256 * 1024;
    this.lowWater = options.lowWater ?? 32 * 1024;
    if (!(this.lowWater < this.highWater)) throw new RangeError('lowWater must be below highWater');
    this.setPaused = options.setPaused;
  }

  /** Bytes written to the terminal and not yet processed by it. */
  get pending(): number {
    return this.pendingBytes;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Accounts for `bytes` handed to the terminal; returns the callback to give `term.write`.
   * @example const done = flow.written(chunk.length); term.write(chunk, done);
   */
  written(bytes: number): () => void {
    this.pendingBytes += bytes;
    if (!this.paused && this.pendingBytes >= this.highWater) {
      this.paused = true;
      this.setPaused(true);
    }
    let called = false;
    return () => {
      if (called) return;
      called = true;
      this.pendingBytes -= bytes;
      if (this.paused && this.pendingBytes <= this.lowWater) {
        this.paused = false;
        this.setPaused(false);
      }
    };
  }

  /** Forgets everything pending (a new guest, a cleared terminal) and resumes if paused. */
  reset(): void {
    this.pendingBytes = 0;
    if (this.paused) {
      this.paused = false;
      this.setPaused(false);
    }
  }
}
