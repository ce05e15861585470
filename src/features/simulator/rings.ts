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

export interface RingsLayout {
  readonly width: number;
  readonly height: number;
  readonly header: number;
  readonly columns: readonly { readonly world: World; readonly x: number; readonly width: number }[];
  readonly rows: readonly { readonly ring: Ring; readonly y: number; readonly height: number }[];
  readonly actors: readonly (Placement & {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly active: boolean;
  })[];
  readonly hardware: {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly active: boolean;
  };
}

/**
 * Boxes of the rings/modes diagram: one column per world, one row per ring, each
 * party in its cell (side by side when they share one), the hardware underneath,
 * and the party holding the CPU marked active.
 *
 * @example
 * ringsLayout('hardware-assisted', 'guest-kernel', 480).actors.find((a) => a.active)
 * // { actor: 'guest-kernel', world: 'non-root', ring: 0, active: true, x: …, y: … }
 */
export function ringsLayout(strategy: StrategyName, actor: Actor, width: number): RingsLayout {
  const labelWidth = 76;
  const header = 30;
  const rowHeight = 54;
  const hardwareHeight = 34;
  const w = Math.max(240, width);
  const worlds = worldsOf(strategy);
  const colWidth = (w - labelWidth) / worlds.length;
  const columns = worlds.map((world, i) => ({ world, x: labelWidth + i * colWidth, width: colWidth }));
  const rows = RINGS.map((ring, i) => ({ ring, y: header + i * rowHeight, height: rowHeight }));
  const all = placements(strategy);
  const actors = all.map((p) => {
    const col = columns.find((c) => c.world === p.world) ?? columns[0];
    const row = rows.find((r) => r.ring === p.ring) ?? rows[0];
    const sharing = all.filter((q) => q.world === p.world && q.ring === p.ring);
    const k = sharing.indexOf(p);
    const cellX = (col?.x ?? labelWidth) + 6;
    const cellW = (col?.width ?? colWidth) - 12;
    const boxW = (cellW - (sharing.length - 1) * 6) / sharing.length;
    return {
      ...p,
      x: cellX + k * (boxW + 6),
      y: (row?.y ?? header) + 6,
      width: boxW,
      height: rowHeight - 12,
      active: p.actor === actor,
    };
  });
  const top = header + RINGS.length * rowHeight + 6;
  return {
    width: w,
    height: top + hardwareHeight + 2,
    header,
    columns,
    rows,
    actors,
    hardware: { x: labelWidth + 6, y: top, width: w - labelWidth - 12, height: hardwareHeight, active: actor === 'hardware' },
  };
}
