import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../../src/sim/strategies/index.ts';
import { LANES, layoutTimeline, markerOf, summarizeEvents, toneOf } from '../../../../src/features/simulator/timeline';
import type { TimelineEvent } from '../../../../src/features/simulator/cpu-controller';

const ev = (seq: number, e: Partial<TraceEvent> & Pick<TraceEvent, 'kind' | 'lane' | 'at' | 'cycles'>): TimelineEvent => ({
  seq,
  event: { pc: 0, text: 'NOP', ...e },
});

const events: TimelineEvent[] = [
  ev(10, { kind: 'guest', lane: 'guest-kernel', at: 0, cycles: 1, text: 'PUSHF' }),
  ev(11, { kind: 'trap', lane: 'monitor', at: 1, cycles: 1500, text: 'DI', reason: 'interrupt-flag' }),
  ev(12, { kind: 'emulate', lane: 'monitor', at: 1501, cycles: 300, text: 'DI' }),
  ev(13, { kind: 'guest', lane: 'guest-user', at: 1801, cycles: 1 }),
  ev(14, { kind: 'interrupt', lane: 'hardware', at: 1802, cycles: 300, reason: 'timer', text: 'IRQ' }),
];

describe('layoutTimeline', () => {
  it.each([
    ['guest', 'guest-kernel', 'guest', null],
    ['trap', 'monitor', 'trap', 'trap'],
    ['exit', 'monitor', 'trap', 'exit'],
    ['hypercall', 'monitor', 'trap', 'hypercall'],
    ['emulate', 'monitor', 'hypervisor', null],
    ['interrupt', 'hardware', 'host', 'interrupt'],
    ['translated', 'guest-user', 'guest', null],
  ] as const)('%s in %s: tone %s, marker %s', (kind, lane, tone, marker) => {
    const e: TraceEvent = { kind, lane, pc: 0, at: 0, cycles: 1, text: '' };
    expect(toneOf(e)).toBe(tone);
    expect(markerOf(e)).toBe(marker);
  });

  it('puts each event in its lane, in order, inside the plot', () => {
    const l = layoutTimeline(events, { width: 600, scale: 'events' });
    expect(l.lanes.map((x) => x.lane)).toEqual([...LANES]);
    const laneY = new Map(l.lanes.map((x) => [x.lane, x.y]));
    for (const b of l.boxes) {
      expect(b.y).toBe(laneY.get(b.lane));
      expect(b.x + l.offset).toBeGreaterThanOrEqual(l.plotLeft - 1e-9);
      expect(b.x + l.offset + b.width).toBeLessThanOrEqual(l.width);
    }
    const xs = l.boxes.map((b) => b.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(l.boxes.map((b) => b.key)).toEqual([10, 11, 12, 13, 14]);
    // Equal widths on the event scale.
    expect(new Set(l.boxes.map((b) => b.width.toFixed(6))).size).toBe(1);
    expect(l.ticks).toEqual([]);
  });

  it('on the event scale, a box keeps its position while the window moves on (only the offset changes)', () => {
    const window = (from: number) =>
      Array.from({ length: 160 }, (_, i) =>
        ev(from + i, {
          kind: i % 2 === 0 ? 'guest' : 'trap',
          lane: i % 2 === 0 ? 'guest-kernel' : 'monitor',
          at: from + i,
          cycles: 1,
        }),
      );
    const a = layoutTimeline(window(1000), { width: 800, scale: 'events' });
    const b = layoutTimeline(window(1003), { width: 800, scale: 'events' });
    const inA = new Map(a.boxes.map((x) => [x.key, x.x]));
    for (const box of b.boxes) if (inA.has(box.key)) expect(box.x).toBe(inA.get(box.key));
    expect(b.offset).toBeLessThan(a.offset);
    // On screen the oldest box is at the left edge of the plot.
    expect((b.boxes[0]?.x ?? 0) + b.offset).toBeCloseTo(b.plotLeft, 6);
    expect(a.offset).toBe(a.plotLeft - (1000 % 65536) * ((800 - 132 - 4) / 160));
  });

  it('on the cycle scale a trap is as wide as its cost, and one-cycle instructions stay visible', () => {
    const l = layoutTimeline(events, { width: 600, scale: 'cycles' });
    const [guest, trap, emulate] = l.boxes;
    expect(trap?.width).toBeCloseTo((emulate?.width ?? 0) * 5, 5);
    expect(guest?.width).toBe(1);
    expect(l.span).toEqual([0, 2102]);
    expect(l.ticks.length).toBeGreaterThan(1);
  });

  it('merges neighbours of the same lane and meaning, never transitions', () => {
    const run = [
      ev(1, { kind: 'guest', lane: 'guest-kernel', at: 0, cycles: 1 }),
      ev(2, { kind: 'guest', lane: 'guest-kernel', at: 1, cycles: 1 }),
      ev(3, { kind: 'guest', lane: 'guest-kernel', at: 2, cycles: 1 }),
      ev(4, { kind: 'trap', lane: 'monitor', at: 3, cycles: 1500, reason: 'io' }),
      ev(5, { kind: 'trap', lane: 'monitor', at: 1503, cycles: 1500, reason: 'io' }),
      ev(6, { kind: 'emulate', lane: 'monitor', at: 3003, cycles: 300 }),
      ev(7, { kind: 'reflect', lane: 'monitor', at: 3303, cycles: 300 }),
    ];
    const l = layoutTimeline(run, { width: 600, scale: 'events' });
    expect(l.boxes.map((b) => [b.key, b.count, b.marker])).toEqual([
      [1, 3, null],
      [4, 1, 'trap'],
      [5, 1, 'trap'],
      [6, 2, null],
    ]);
    const single = layoutTimeline(run.slice(0, 1), { width: 600, scale: 'events' }).boxes[0];
    expect(l.boxes[0]?.width).toBeGreaterThan((single?.width ?? 0) * 2.5);
  });

  it('an empty window has lanes and no boxes', () => {
    const l = layoutTimeline([], { width: 300, scale: 'cycles' });
    expect(l.boxes).toEqual([]);
    expect(l.lanes).toHaveLength(4);
  });
});

describe('summarizeEvents', () => {
  it('counts lanes, traps and reasons for the text alternative', () => {
    const s = summarizeEvents([
      ...events,
      ev(15, { kind: 'trap', lane: 'monitor', at: 2102, cycles: 1500, reason: 'io' }),
      ev(16, { kind: 'trap', lane: 'monitor', at: 3602, cycles: 1500, reason: 'io' }),
    ]);
    expect(s.total).toBe(7);
    expect(s.traps).toBe(3);
    expect(s.byLane).toEqual({ 'guest-user': 1, 'guest-kernel': 1, monitor: 4, hardware: 1 });
    expect(s.reasons).toEqual([
      ['io', 2],
      ['interrupt-flag', 1],
    ]);
  });
});
