import type { Lane, StrategyName } from '../../sim/strategies/index.ts';

/** Who can hold the CPU: the guest's user code, its kernel, the monitor/hypervisor, or the bare hardware (interrupt delivery, idle). */
export type Actor = 'guest-user' | 'guest-kernel' | 'monitor' | 'hardware';

/**
 * Where code runs. `root` is the ordinary (or VMX root) mode; `non-root` is the guest
 * mode of VT-x/AMD-V; `software` means the guest CPU is only data inside an interpreter.
 */
export type World = 'root' | 'non-root' | 'software';

/** x86 privilege ring the code really runs in (the teaching machine has kernel and user; rings 1 and 3 are where real monitors put a deprivileged kernel). */
export type Ring = 0 | 1 | 3;

export interface Placement {
  readonly actor: Exclude<Actor, 'hardware'>;
  readonly world: World;
  readonly ring: Ring;
  /** True when the guest kernel runs below the ring it believes it has. */
  readonly deprivileged: boolean;
}

/**
 * Where each party runs under a strategy, as the classic systems did it: a
 * trap-and-emulate monitor runs the guest kernel in user mode; VMware's binary
 * translator and 32-bit Xen put it in ring 1; VT-x/AMD-V give it ring 0 of
 * non-root mode; an emulator runs the whole guest as data in a host process.
 *
 * @example
 * placements('hardware-assisted').find((p) => p.actor === 'guest-kernel')
 * // { actor: 'guest-kernel', world: 'non-root', ring: 0, deprivileged: false }
 */
export function placements(strategy: StrategyName): readonly Placement[] {
  switch (strategy) {
    case 'native':
      return [
        { actor: 'guest-kernel', world: 'root', ring: 0, deprivileged: false },
        { actor: 'guest-user', world: 'root', ring: 3, deprivileged: false },
      ];
    case 'emulation':
      return [
        { actor: 'monitor', world: 'root', ring: 3, deprivileged: false },
        { actor: 'guest-kernel', world: 'software', ring: 0, deprivileged: false },
        { actor: 'guest-user', world: 'software', ring: 3, deprivileged: false },
      ];
    case 'trap-and-emulate':
      return [
        { actor: 'monitor', world: 'root', ring: 0, deprivileged: false },
        { actor: 'guest-kernel', world: 'root', ring: 3, deprivileged: true },
        { actor: 'guest-user', world: 'root', ring: 3, deprivileged: false },
      ];
    case 'binary-translation':
    case 'paravirtualization':
      return [
        { actor: 'monitor', world: 'root', ring: 0, deprivileged: false },
        { actor: 'guest-kernel', world: 'root', ring: 1, deprivileged: true },
        { actor: 'guest-user', world: 'root', ring: 3, deprivileged: false },
      ];
    case 'hardware-assisted':
      return [
        { actor: 'monitor', world: 'root', ring: 0, deprivileged: false },
        { actor: 'guest-kernel', world: 'non-root', ring: 0, deprivileged: false },
        { actor: 'guest-user', world: 'non-root', ring: 3, deprivileged: false },
      ];
  }
}

/** The worlds a strategy's diagram shows, left to right. */
export function worldsOf(strategy: StrategyName): readonly World[] {
  const seen = new Set(placements(strategy).map((p) => p.world));
  return (['root', 'non-root', 'software'] as const).filter((w) => seen.has(w));
}

/**
 * Who holds the CPU now: the lane of the last trace event, or the guest's own mode
 * before anything ran (the machine boots in kernel mode).
 *
 * @example
 * whoRuns('guest-kernel', 'monitor') // 'monitor'
 * whoRuns('guest-kernel', undefined) // 'guest-kernel'
 */
export function whoRuns(guestMode: 'guest-user' | 'guest-kernel', lastLane: Lane | undefined): Actor {
  return lastLane ?? guestMode;
}

export const RINGS: readonly Ring[] = [0, 1, 3];

/**
 * Average advance of one character, in em, of the diagram's sans-serif text; a little
 * above the real average so an estimate errs towards wrapping.
 */
const CHAR_EM = 0.62;
/** Font size of all diagram text (the course never draws SVG text below 12 CSS px). */
export const RINGS_FONT_PX = 12;
/** Line height of wrapped diagram text. */
const LINE_PX = 15;

/**
 * A label broken into lines that fit `maxWidth` at `fontPx`: at spaces, and after a
 * slash; a single word longer than a line is shortened with an ellipsis (the full
 * text is in the diagram's description).
 *
 * @example
 * wrapLabel('Mode non-root (guest)', 110) // ['Mode non-root', '(guest)']
 * wrapLabel('Monitor/hypervisor', 100)    // ['Monitor/', 'hypervisor']
 */
export function wrapLabel(text: string, maxWidth: number, fontPx = RINGS_FONT_PX): string[] {
  const perLine = Math.max(4, Math.floor(maxWidth / (fontPx * CHAR_EM)));
  const tokens = text
    .split(' ')
    .filter((w) => w !== '')
    .flatMap((word, i) => word.split(/(?<=\/)(?=.)/).map((t, j) => ({ t, space: i > 0 && j === 0 })));
  const lines: string[] = [];
  let line = '';
  for (const { t, space } of tokens) {
    const word = t.length > perLine ? `${t.slice(0, perLine - 1)}…` : t;
    const joined = line === '' ? word : `${line}${space ? ' ' : ''}${word}`;
    if (line === '' || joined.length <= perLine) line = joined;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The words the diagram shows; with them the layout wraps labels and grows to fit. */
export interface RingsLabels {
  readonly world: (w: World) => string;
  readonly actor: (a: Actor) => string;
  /** The note under a deprivileged kernel, e.g. "(deprivileged)". */
  readonly deprivileged: string;
}

export interface RingsLayout {
  readonly width: number;
  readonly height: number;
  readonly header: number;
  /** Distance between the baselines of wrapped lines. */
  readonly lineHeight: number;
  readonly columns: readonly {
    readonly world: World;
    readonly x: number;
    readonly width: number;
    /** The column's label, wrapped to its width (empty without labels). */
    readonly lines: readonly string[];
  }[];
  readonly rows: readonly { readonly ring: Ring; readonly y: number; readonly height: number }[];
  readonly actors: readonly (Placement & {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly active: boolean;
    /** Name (with the active marker) and, when deprivileged, the note: wrapped to the box. */
    readonly lines: readonly string[];
  })[];
  readonly hardware: {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly active: boolean;
    readonly lines: readonly string[];
  };
}

/**
 * Boxes of the rings/modes diagram: one column per world, one row per ring, each
 * party in its cell (side by side when they share one), the hardware underneath,
 * and the party holding the CPU marked active. Given the labels, each is wrapped to
 * its box and the header, rows and hardware box grow to hold the lines, so a narrow
 * phone gets a taller diagram instead of smaller or overflowing text.
 *
 * @example
 * ringsLayout('hardware-assisted', 'guest-kernel', 480).actors.find((a) => a.active)
 * // { actor: 'guest-kernel', world: 'non-root', ring: 0, active: true, x: …, y: … }
 */
export function ringsLayout(strategy: StrategyName, actor: Actor, width: number, labels?: RingsLabels): RingsLayout {
  const labelWidth = 76;
  const pad = 8;
  const w = Math.max(240, width);
  const worlds = worldsOf(strategy);
  const colWidth = (w - labelWidth) / worlds.length;
  const wrap = (text: string | undefined, boxWidth: number) => (text === undefined ? [] : wrapLabel(text, boxWidth - pad));
  const columnLines = worlds.map((world) => wrap(labels?.world(world), colWidth - 4));
  const header = Math.max(30, Math.max(0, ...columnLines.map((l) => l.length)) * LINE_PX + 15);
  const columns = worlds.map((world, i) => ({
    world,
    x: labelWidth + i * colWidth,
    width: colWidth,
    lines: columnLines[i] ?? [],
  }));
  const all = placements(strategy);
  // Each party's cell and box width first, so each row can be as tall as its longest label.
  const boxes = all.map((p) => {
    const col = columns.find((c) => c.world === p.world) ?? columns[0];
    const sharing = all.filter((q) => q.world === p.world && q.ring === p.ring);
    const k = sharing.indexOf(p);
    const cellX = (col?.x ?? labelWidth) + 6;
    const cellW = (col?.width ?? colWidth) - 12;
    const boxW = (cellW - (sharing.length - 1) * 6) / sharing.length;
    const active = p.actor === actor;
    const name = labels === undefined ? undefined : `${active ? '◆ ' : ''}${labels.actor(p.actor)}`;
    const lines = [...wrap(name, boxW), ...(p.deprivileged ? wrap(labels && `(${labels.deprivileged})`, boxW) : [])];
    return { p, x: cellX + k * (boxW + 6), width: boxW, active, lines };
  });
  let y = header;
  const rows = RINGS.map((ring) => {
    const most = Math.max(0, ...boxes.filter((b) => b.p.ring === ring).map((b) => b.lines.length));
    const height = Math.max(54, most * LINE_PX + 24);
    const row = { ring, y, height };
    y += height;
    return row;
  });
  const actors = boxes.map((b) => {
    const row = rows.find((r) => r.ring === b.p.ring) ?? rows[0];
    return {
      ...b.p,
      x: b.x,
      y: (row?.y ?? header) + 6,
      width: b.width,
      height: (row?.height ?? 54) - 12,
      active: b.active,
      lines: b.lines,
    };
  });
  const top = y + 6;
  const hardwareActive = actor === 'hardware';
  const hardwareWidth = w - labelWidth - 12;
  const hardwareLines = wrap(labels && `${hardwareActive ? '◆ ' : ''}${labels.actor('hardware')}`, hardwareWidth);
  const hardwareHeight = Math.max(34, hardwareLines.length * LINE_PX + 19);
  return {
    width: w,
    height: top + hardwareHeight + 2,
    header,
    lineHeight: LINE_PX,
    columns,
    rows,
    actors,
    hardware: {
      x: labelWidth + 6,
      y: top,
      width: hardwareWidth,
      height: hardwareHeight,
      active: hardwareActive,
      lines: hardwareLines,
    },
  };
}
