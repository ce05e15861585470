/**
 * The clock the simulator controllers run on. In the browser it is
 * requestAnimationFrame and performance.now; tests pass a fake one and advance
 * time by hand, so the run loop is tested without a DOM.
 */
export interface FrameScheduler {
  /** Calls `callback` before the next frame with the frame's timestamp (ms). Returns a handle for `cancel`. */
  request(callback: (time: number) => void): number;
  cancel(handle: number): void;
  /** A monotonic clock in milliseconds (for the per-frame work budget). */
  now(): number;
}

/** The browser's frame clock. */
export function browserScheduler(): FrameScheduler {
  return {
    request: (callback) => requestAnimationFrame(callback),
    cancel: (handle) => cancelAnimationFrame(handle),
    now: () => performance.now(),
  };
}

/** Whether the learner asked the system for reduced motion (false where there is no `matchMedia`). */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Lets the browser paint and handle input between chunks of long work. */
export function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
