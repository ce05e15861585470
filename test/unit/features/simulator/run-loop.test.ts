import { describe, expect, it } from 'vitest';
import { RunLoop } from '../../../../src/features/simulator/run-loop';
import { fakeScheduler } from './fake-scheduler';

function counterLoop(options: { limit?: number; publishEveryMs?: number; budget?: number } = {}) {
  const scheduler = fakeScheduler();
  const state = { done: 0, publishes: 0, finished: 0, calls: 0 };
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const loop = new RunLoop({
    scheduler,
    work: (n) => {
      state.calls++;
      const k = Math.min(n, limit - state.done);
      state.done += k;
      return { done: k, more: state.done < limit };
    },
    publish: () => state.publishes++,
    onFinish: () => state.finished++,
    ...(options.publishEveryMs === undefined ? {} : { publishEveryMs: options.publishEveryMs }),
    ...(options.budget === undefined ? {} : { frameBudgetMs: options.budget }),
  });
  return { scheduler, state, loop };
}

describe('RunLoop', () => {
  it('does `rate` units per second of frame time, carrying fractions between frames', () => {
    const { scheduler, state, loop } = counterLoop();
    loop.rate = 30;
    loop.start();
    for (let i = 0; i < 60; i++) scheduler.frame(1000 / 60);
    // 60 frames at 60 fps = 1 s (the first frame counts as one frame's worth).
    expect(state.done).toBeGreaterThanOrEqual(29);
    expect(state.done).toBeLessThanOrEqual(30);
    expect(state.publishes).toBe(60);
  });

  it('does not owe work for a long gap (a background tab)', () => {
    const { scheduler, state, loop } = counterLoop();
    loop.rate = 1000;
    loop.start();
    scheduler.frame(16);
    const before = state.done;
    scheduler.frame(60_000);
    expect(state.done - before).toBeLessThanOrEqual(100);
  });

  it('stops and calls onFinish when the model cannot go on', () => {
    const { scheduler, state, loop } = counterLoop({ limit: 5 });
    loop.rate = Number.POSITIVE_INFINITY;
    loop.start();
    scheduler.frame();
    expect(state.done).toBe(5);
    expect(state.finished).toBe(1);
    expect(loop.running).toBe(false);
    expect(scheduler.pending).toBe(0);
  });

  it('at unlimited rate keeps within the frame budget', () => {
    const { scheduler, state, loop } = counterLoop({ budget: 8 });
    scheduler.workCost = 1; // every clock read costs 1 ms
    loop.rate = Number.POSITIVE_INFINITY;
    loop.start();
    scheduler.frame();
    // Each work call reads the clock twice (2 ms): the 8 ms budget allows about four.
    expect(state.calls).toBeGreaterThan(0);
    expect(state.calls).toBeLessThanOrEqual(4);
    expect(scheduler.pending).toBe(1);
    // When work is cheaper the chunk grows, so later frames do more per call.
    scheduler.workCost = 0.25;
    const before = state.done;
    scheduler.frame();
    expect(state.done - before).toBeGreaterThan(64);
  });

  it('gives the model less time per frame while frames are late, and takes it back when they are on time', () => {
    const { scheduler, loop } = counterLoop({ budget: 8 });
    scheduler.workCost = 0.5;
    loop.rate = Number.POSITIVE_INFINITY;
    loop.start();
    scheduler.frame(16.7);
    expect(loop.frameBudget).toBe(8);
    for (let i = 0; i < 10; i++) scheduler.frame(33.4);
    expect(loop.frameBudget).toBe(2);
    for (let i = 0; i < 8; i++) scheduler.frame(16.7);
    expect(loop.frameBudget).toBe(4);
    for (let i = 0; i < 100; i++) scheduler.frame(16.7);
    expect(loop.frameBudget).toBe(8);
  });

  it('pause stops frames without finishing; start resumes', () => {
    const { scheduler, state, loop } = counterLoop();
    loop.rate = 60;
    loop.start();
    scheduler.frame();
    loop.stop();
    expect(scheduler.pending).toBe(0);
    const done = state.done;
    scheduler.frame();
    expect(state.done).toBe(done);
    expect(state.finished).toBe(0);
    loop.start();
    scheduler.frame();
    expect(state.done).toBeGreaterThan(done);
  });

  it('with reduced motion publishes at most every publishEveryMs, but always at the end', () => {
    const { scheduler, state, loop } = counterLoop({ publishEveryMs: 500, limit: 50 });
    loop.rate = 60;
    loop.start();
    for (let i = 0; i < 30; i++) scheduler.frame(1000 / 60); // half a second
    expect(state.publishes).toBeLessThanOrEqual(2);
    for (let i = 0; i < 60 && loop.running; i++) scheduler.frame(1000 / 60);
    expect(state.finished).toBe(1);
    expect(state.publishes).toBeLessThanOrEqual(4);
  });

  it('a publish that pauses the loop is honoured', () => {
    const scheduler = fakeScheduler();
    const loop: RunLoop = new RunLoop({
      scheduler,
      work: (n) => ({ done: n, more: true }),
      publish: () => loop.stop(),
    });
    loop.rate = 60;
    loop.start();
    scheduler.frame();
    expect(loop.running).toBe(false);
    expect(scheduler.pending).toBe(0);
  });
});
