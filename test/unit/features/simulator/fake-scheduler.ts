import type { FrameScheduler } from '../../../../src/features/simulator/scheduler';

/** A frame clock the test drives by hand. `cost` is how long each `now()` call pretends work took. */
export interface FakeScheduler extends FrameScheduler {
  /** Runs the pending frame callbacks `ms` after the previous frame (or now, if work ran past that). */
  frame(ms?: number): void;
  readonly pending: number;
  /** Milliseconds added to the clock by each `now()` call (simulates slow work). */
  workCost: number;
}

export function fakeScheduler(): FakeScheduler {
  let time = 0;
  /** Frames come on a vsync grid: work done inside a frame does not delay the next one unless it overruns. */
  let frameTime = 0;
  let nextHandle = 1;
  const callbacks = new Map<number, (t: number) => void>();
  const s: FakeScheduler = {
    workCost: 0,
    request(callback) {
      const handle = nextHandle++;
      callbacks.set(handle, callback);
      return handle;
    },
    cancel(handle) {
      callbacks.delete(handle);
    },
    now() {
      time += s.workCost;
      return time;
    },
    frame(ms = 1000 / 60) {
      frameTime = Math.max(frameTime + ms, time);
      time = frameTime;
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const cb of due) cb(frameTime);
    },
    get pending() {
      return callbacks.size;
    },
  };
  return s;
}
