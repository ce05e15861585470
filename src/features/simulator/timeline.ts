import { scaleLinear } from 'd3-scale';
import type { ExitReasonName, Lane, TraceEvent, TrapReason } from '../../sim/strategies/index.ts';
import type { TimelineEvent } from './cpu-controller';

/** Swimlanes top to bottom: the guest's user code, its kernel, the monitor/hypervisor, the bare hardware. */
export const LANES: readonly Lane[] = ['guest-user', 'guest-kernel', 'monitor', 'hardware'];

/** Slots shown at least on the `events` scale. */
const MIN_SLOTS = 24;

/** How the x axis is laid out: every event the same width, or proportional to simulated cycles. */
export type TimelineScale = 'events' | 'cycles';

/** The meaning colour of an event (CSS classes fill-guest, fill-hypervisor, fill-host, fill-trap). */
export type Tone = 'guest' | 'hypervisor' | 'host' | 'trap';

/** A shape drawn on transitions so their meaning never rests on colour alone. */
export type Marker = 'trap' | 'exit' | 'hypercall' | 'interrupt' | null;

export interface TimelineBox {
  /** Sequence number of the box's first event. */
  readonly key: number;
  /**
   * A key unique within one window that repeats every `capacity` events: a view keyed by
   * it reuses the shape of an event that just left the window for one that just arrived.
   */
  readonly slot: number;
  readonly x: number;
  readonly width: number;
  readonly y: number;
  readonly height: number;
  readonly lane: Lane;
  readonly tone: Tone;
  readonly marker: Marker;
  /** The first event of the box. */
  readonly event: TraceEvent;
  /** Events merged into this box (neighbours in the same lane with the same meaning). */
  readonly count: number;
}

export interface TimelineLayout {
  readonly width: number;
  readonly height: number;
  /** Left edge of the plot (lane labels sit left of it). */
  readonly plotLeft: number;
  /** Horizontal shift to apply to every box (box x is in content coordinates; 0 on the cycle scale). */
  readonly offset: number;
  readonly lanes: readonly { readonly lane: Lane; readonly y: number; readonly height: number }[];
  readonly boxes: readonly TimelineBox[];
  /** Cycle ticks for the `cycles` scale (none for `events`). */
  readonly ticks: readonly { readonly x: number; readonly value: number }[];
  /** First and last simulated cycle shown. */
  readonly span: readonly [number, number];
}

export interface TimelineOptions {
  readonly width: number;
  readonly scale: TimelineScale;
  /** Width reserved for lane labels. Default 132. */
  readonly labelWidth?: number;
  readonly laneHeight?: number;
  readonly laneGap?: number;
  /** Space under the lanes for the axis. Default 22. */
  readonly axisHeight?: number;
  /** Events the window holds when full (the controller's maxEvents). Default 160. */
  readonly capacity?: number;
}

/** The meaning colour of an event kind in a lane. */
export function toneOf(event: TraceEvent): Tone {
  switch (event.kind) {
    case 'trap':
    case 'exit':
    case 'hypercall':
      return 'trap';
    default:
      if (event.lane === 'monitor') return 'hypervisor';
      if (event.lane === 'hardware') return 'host';
      return 'guest';
  }
}

export function markerOf(event: TraceEvent): Marker {
  switch (event.kind) {
    case 'trap':
      return 'trap';
    case 'exit':
      return 'exit';
    case 'hypercall':
      return 'hypercall';
    case 'interrupt':
      return 'interrupt';
    default:
      return null;
  }
}

/**
 * Positions for the swimlane timeline: one box per event in its lane. The view
 * draws them; d3 only supplies the scales.
 *
 * @example
 * layoutTimeline(snapshot.events, { width: 640, scale: 'events' }).boxes[0]
 * // { key: 0, x: 132, width: 3.1, y: 4, lane: 'guest-kernel', tone: 'guest', marker: null, ... }
 */
export function layoutTimeline(events: readonly TimelineEvent[], options: TimelineOptions): TimelineLayout {
  const labelWidth = options.labelWidth ?? 132;
  const laneHeight = options.laneHeight ?? 34;
  const laneGap = options.laneGap ?? 6;
  const axisHeight = options.axisHeight ?? 22;
  const width = Math.max(labelWidth + 40, options.width);
  const plotWidth = width - labelWidth - 4;
  const lanes = LANES.map((lane, i) => ({ lane, y: i * (laneHeight + laneGap), height: laneHeight }));
  const laneY = new Map(lanes.map((l) => [l.lane, l.y]));
  const height = LANES.length * (laneHeight + laneGap) - laneGap + axisHeight;
  const first = events[0]?.event;
  const last = events[events.length - 1]?.event;
  const span: [number, number] = first && last ? [first.at, last.at + last.cycles] : [0, 0];

  let place: (e: TimelineEvent) => { x: number; width: number };
  const capacity = options.capacity ?? 160;
  let offset = 0;
  let ticks: { x: number; value: number }[] = [];
  if (options.scale === 'cycles') {
    const x = scaleLinear()
      .domain([span[0], Math.max(span[1], span[0] + 1)])
      .range([labelWidth, labelWidth + plotWidth]);
    place = (e) => {
      const x0 = x(e.event.at);
      // A one-cycle instruction next to a 1500-cycle trap would vanish: keep a hairline.
      return { x: x0, width: Math.max(1, x(e.event.at + e.event.cycles) - x0) };
    };
    ticks = x.ticks(5).map((value) => ({ x: x(value), value }));
  } else {
    // Every event gets one slot. Until the window fills, slots keep a minimum width and
    // fill from the left; once full, a slot is plotWidth / capacity. Boxes sit at fixed
    // positions in content coordinates (by sequence number) and the view shifts them
    // all at once with `offset`, so a running timeline only adds and drops shapes at its
    // ends instead of moving every one of them each frame.
    const slots = Math.min(capacity, Math.max(MIN_SLOTS, events.length));
    const slot = plotWidth / slots;
    const firstSeq = events[0]?.seq ?? 0;
    // Re-based now and then so coordinates stay small (SVG uses single-precision floats).
    const base = firstSeq - (firstSeq % 65536);
    const fill = 1 - (events.length > 60 ? 0.1 : 0.2);
    offset = labelWidth - (firstSeq - base) * slot;
    place = (e) => ({ x: (e.seq - base) * slot, width: Math.max(1, slot * fill) });
  }

  // Neighbouring events of the same lane and meaning become one box (a run of guest
  // instructions is one bar): far fewer shapes to draw every frame. Transitions
  // (with a marker) always stay single so each trap or exit keeps its shape.
  const boxes: TimelineBox[] = [];
  for (const e of events) {
    const { x, width: w } = place(e);
    const tone = toneOf(e.event);
    const marker = markerOf(e.event);
    const prev = boxes[boxes.length - 1];
    if (prev !== undefined && marker === null && prev.marker === null && prev.lane === e.event.lane && prev.tone === tone) {
      boxes[boxes.length - 1] = { ...prev, width: x + w - prev.x, count: prev.count + 1 };
      continue;
    }
    boxes.push({
      key: e.seq,
      slot: e.seq % capacity,
      x,
      width: w,
      y: laneY.get(e.event.lane) ?? 0,
      height: laneHeight,
      lane: e.event.lane,
      tone,
      marker,
      event: e.event,
      count: 1,
    });
  }
  return { width, height, plotLeft: labelWidth, offset, lanes, boxes, ticks, span };
}

/** Counts for the timeline's text alternative. */
export interface EventSummary {
  readonly total: number;
  readonly byLane: Readonly<Record<Lane, number>>;
  readonly traps: number;
  readonly exits: number;
  readonly hypercalls: number;
  /** Reasons of traps and exits in the window, most frequent first. */
  readonly reasons: readonly (readonly [TrapReason | ExitReasonName, number])[];
}

/**
 * What the timeline window contains, for a sentence a screen reader can read.
 *
 * @example
 * summarizeEvents(events) // { total: 40, byLane: {...}, traps: 3, exits: 0, reasons: [['interrupt-flag', 2], ['io', 1]] }
 */
export function summarizeEvents(events: readonly TimelineEvent[]): EventSummary {
  const byLane: Record<Lane, number> = { 'guest-user': 0, 'guest-kernel': 0, monitor: 0, hardware: 0 };
  const reasons = new Map<TrapReason | ExitReasonName, number>();
  let traps = 0;
  let exits = 0;
  let hypercalls = 0;
  for (const { event } of events) {
    byLane[event.lane]++;
    if (event.kind === 'trap') traps++;
    else if (event.kind === 'exit') exits++;
    else if (event.kind === 'hypercall') hypercalls++;
    else continue;
    if (event.reason !== undefined) reasons.set(event.reason, (reasons.get(event.reason) ?? 0) + 1);
  }
  return {
    total: events.length,
    byLane,
    traps,
    exits,
    hypercalls,
    reasons: [...reasons].sort((a, b) => b[1] - a[1]),
  };
}
