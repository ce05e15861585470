import type { FrameScheduler } from './scheduler';

/** What one call of {@link RunLoopOptions.work} did. */
export interface WorkResult {
  /** Units actually done (instructions, references, ticks…). */
  readonly done: number;
  /** False when the model cannot go on (the guest stopped, the script ended). */
  readonly more: boolean;
}

export interface RunLoopOptions {
  readonly scheduler: FrameScheduler;
  /** Does up to `units` units of work. */
  readonly work: (units: number) => WorkResult;
  /** Called after a frame's work so the view can redraw (at most every `publishEveryMs`). */
  readonly publish: () => void;
  /** Called when the loop stops because the model finished (not on `pause`). */
  readonly onFinish?: () => void;
  /**
   * Most milliseconds of model work per frame, leaving the rest for rendering. Default 8.
   * The loop lowers its budget while frames arrive late (the page cannot keep up) and
   * raises it back while they are on time, down to a quarter of this.
   */
  readonly frameBudgetMs?: number;
  /**
   * Minimum milliseconds between `publish` calls. 0 (default) redraws every frame; with
   * reduced motion the islands pass a larger value so the view changes in calm steps.
   */
  readonly publishEveryMs?: number;
  /** Largest unit count per `work` call, so the budget is checked between calls. Default 4096. */
  readonly maxChunk?: number;
}

/** Longest frame gap credited to a running model (a background tab must not owe minutes of work). */
const MAX_FRAME_GAP_MS = 100;
/** A frame later than this missed its 60 Hz slot. */
const LATE_FRAME_MS = 20;

/**
 * Runs a model on the frame clock at a given rate (units per second), or as fast as
 * the per-frame budget allows (`rate = Infinity`). Work that does not fit in a frame's
 * budget is dropped, not owed: a slow machine runs the simulation slower instead of
 * freezing the page.
 *
 * @example
 * const loop = new RunLoop({ scheduler, work: (n) => ({ done: advance(n), more: !stopped() }), publish: redraw });
 * loop.rate = 100; // 100 instructions per second
 * loop.start();
 */
export class RunLoop {
  /** Units per second; `Infinity` = as many as fit in the frame budget. */
  rate = 10;
  private handle: number | null = null;
  private lastTime = -1;
  private owed = 0;
  private lastPublish = Number.NEGATIVE_INFINITY;
  /** Chunk size for unlimited rate; grows while chunks finish well inside the budget. */
  private chunk = 64;
  /** The current per-frame work budget (adapts to late frames, see `frameBudgetMs`). */
  private budget: number;
  private readonly options: RunLoopOptions;

  constructor(options: RunLoopOptions) {
    this.options = options;
    this.budget = options.frameBudgetMs ?? 8;
  }

  /** The work budget of the next frame in ms (exposed for tests and benchmarks). */
  get frameBudget(): number {
    return this.budget;
  }

  get running(): boolean {
    return this.handle !== null;
  }

  start(): void {
    if (this.handle !== null) return;
    this.lastTime = -1;
    this.owed = 0;
    this.handle = this.options.scheduler.request(this.frame);
  }

  /** Stops without calling `onFinish`. */
  stop(): void {
    if (this.handle === null) return;
    this.options.scheduler.cancel(this.handle);
    this.handle = null;
  }

  private readonly frame = (time: number): void => {
    const token = this.handle;
    const { scheduler, work, publish } = this.options;
    const maxBudget = this.options.frameBudgetMs ?? 8;
    const maxChunk = this.options.maxChunk ?? 4096;
    const gap = this.lastTime < 0 ? 1000 / 60 : Math.max(0, time - this.lastTime);
    const dt = Math.min(MAX_FRAME_GAP_MS, gap);
    this.lastTime = time;
    // A late frame means the page spent too long: give the model less time, then creep back.
    if (gap > LATE_FRAME_MS) this.budget = Math.max(maxBudget / 4, this.budget * 0.7);
    else this.budget = Math.min(maxBudget, this.budget + 0.25);
    const budget = this.budget;

    let remaining: number;
    if (Number.isFinite(this.rate)) {
      this.owed += (this.rate * dt) / 1000;
      remaining = Math.floor(this.owed);
      this.owed -= remaining;
    } else {
      remaining = Number.POSITIVE_INFINITY;
    }

    const start = scheduler.now();
    const deadline = start + budget;
    let more = true;
    while (remaining > 0 && more) {
      const size = Number.isFinite(this.rate) ? Math.min(remaining, maxChunk) : this.chunk;
      const before = scheduler.now();
      const result = work(size);
      more = result.more;
      remaining -= result.done;
      const now = scheduler.now();
      if (!Number.isFinite(this.rate) && now - before < budget / 4) this.chunk = Math.min(this.chunk * 2, 1 << 20);
      if (result.done === 0 || now >= deadline) break;
    }
    // Work that did not fit is dropped: the simulation slows down instead of the page.
    if (remaining > 0 && Number.isFinite(remaining)) this.owed = 0;

    const publishEvery = this.options.publishEveryMs ?? 0;
    if (!more || time - this.lastPublish >= publishEvery) {
      this.lastPublish = time;
      publish();
    }
    // `publish` may have paused the loop.
    if (this.handle !== token) return;
    if (!more) {
      this.handle = null;
      this.options.onFinish?.();
      return;
    }
    this.handle = scheduler.request(this.frame);
  };
}
