import type { RunCommands, RunStatus } from './commands';
import {
  init,
  pageTableWalkDemo,
  runAccesses,
  step,
  tlbHeavyStable,
  walkReferenceCount,
  type AccessResult,
  type MemoryAccess,
  type MemoryCounters,
  type MemoryReference,
  type MemoryState,
  type MemoryTrap,
  type PagingMode,
} from '../../sim/memory/index.ts';
import { RunLoop } from './run-loop';
import type { FrameScheduler } from './scheduler';

/** Page-table levels the learner can pick, with the x86-64 page size each stands for. */
export const LEVEL_CHOICES: readonly { readonly levels: number; readonly pageSize: string }[] = [
  { levels: 4, pageSize: '4 KiB' },
  { levels: 3, pageSize: '2 MiB' },
  { levels: 2, pageSize: '1 GiB' },
];

/** Walk speeds in memory references per second. */
export const WALK_SPEEDS: readonly number[] = [1, 2, 5, 20, Number.POSITIVE_INFINITY];

/** The guest workloads the walk can step through. */
export type MemoryScriptId = 'walk' | 'tlb-heavy';
export const MEMORY_SCRIPT_IDS: readonly MemoryScriptId[] = ['walk', 'tlb-heavy'];

export interface MemoryWalkConfig {
  readonly mode: PagingMode;
  readonly guestLevels: number;
  readonly hostLevels: number;
  readonly script: MemoryScriptId;
  /** Page-walk cache and nested TLB [Bhargava08]. */
  readonly walkCaches: boolean;
}

/** Index bits per table level and offset bits of the model (small, so the walk stays readable). */
const BITS_PER_LEVEL = 3;
const OFFSET_BITS = 4;
/** Words per page of the model. */
export const PAGE_WORDS = 1 << OFFSET_BITS;

/**
 * The short walk (see `pageTableWalkDemo`): page tables change, so shadow paging
 * traps and nested paging wins.
 */
export const WALK_SCRIPT: readonly MemoryAccess[] = pageTableWalkDemo(PAGE_WORDS);

/** Pages mapped once, then many random accesses: stable tables and many TLB misses, where shadow paging wins. */
export const TLB_HEAVY_SCRIPT: readonly MemoryAccess[] = tlbHeavyStable({ pageWords: PAGE_WORDS });

export const MEMORY_SCRIPTS: Readonly<Record<MemoryScriptId, readonly MemoryAccess[]>> = {
  walk: WALK_SCRIPT,
  'tlb-heavy': TLB_HEAVY_SCRIPT,
};

/** One cell of the walk grid: a table entry or the data word the walk reads. */
export interface WalkCell {
  readonly row: number;
  readonly col: number;
  readonly kind: MemoryReference['kind'];
  /** Position in the access's reference order (1-based); 0 for a reference a cache saved. */
  readonly order: number;
  readonly revealed: boolean;
  /** A reference the page-walk cache or nested TLB saved: drawn, but never made. */
  readonly cached: boolean;
}

/**
 * The walk as a grid: for nested paging (n+1) rows (guest levels, then the data
 * address) × (m+1) columns (host levels, then the guest entry itself) — the
 * two-dimensional walk; for shadow and native paging one row of n tables and the data.
 */
export interface WalkGrid {
  readonly rows: number;
  readonly cols: number;
  readonly cells: readonly WalkCell[];
}

export type WalkStatus = Exclude<RunStatus, 'invalid'>;

export interface ModeTotals {
  readonly mode: PagingMode;
  readonly walkReferences: number;
  readonly traps: number;
  readonly tlbMisses: number;
  /** Walk references per TLB miss. */
  readonly refsPerMiss: number;
  readonly cycles: number;
}

export interface MemorySnapshot {
  readonly revision: number;
  readonly status: WalkStatus;
  readonly config: MemoryWalkConfig;
  /** Accesses in the chosen script. */
  readonly scriptLength: number;
  /** Index in the script of the access being shown (-1 before the first step). */
  readonly accessIndex: number;
  readonly access: MemoryAccess | null;
  readonly result: AccessResult | null;
  /** References of the current access shown so far. */
  readonly revealed: number;
  /** Of those, page-walk references (not the data word). */
  readonly walkRevealed: number;
  /** Walk references of the current access that the caches saved. */
  readonly cachedCount: number;
  readonly grid: WalkGrid;
  /** Totals over all accesses applied so far. */
  readonly counters: MemoryCounters;
  /** Walk references of a TLB miss in this mode: (n+1)(m+1) − 1 nested, n otherwise. */
  readonly expectedWalk: number;
  /** The whole script under each mode with the same tables, measured. */
  readonly modes: readonly ModeTotals[];
  readonly speedIndex: number;
}

const trapsOf = (c: MemoryCounters): number => c.shadowFills + c.shadowSyncs + c.ptbSwitchTraps;

function createMemory(config: Omit<MemoryWalkConfig, 'script'>): MemoryState {
  return init({
    mode: config.mode,
    guestLevels: config.guestLevels,
    hostLevels: config.hostLevels,
    bitsPerLevel: BITS_PER_LEVEL,
    offsetBits: OFFSET_BITS,
    walkCaches: config.walkCaches,
  });
}

/**
 * Cells for an access's references, in walk order.
 *
 * @example
 * walkGrid('nested', 2, 2, refs, 3).cells.slice(0, 3).map((c) => [c.row, c.col, c.kind])
 * // [[0, 0, 'host-table'], [0, 1, 'host-table'], [0, 2, 'guest-table']]
 */
export function walkGrid(
  mode: PagingMode,
  guestLevels: number,
  hostLevels: number,
  refs: readonly MemoryReference[],
  revealed: number,
  cached: readonly MemoryReference[] = [],
): WalkGrid {
  const nested = mode === 'nested';
  const place = (r: MemoryReference, order: number, isCached: boolean): WalkCell => {
    let row = 0;
    let col: number;
    if (nested) {
      if (r.kind === 'host-table') {
        row = r.forGuestLevel ?? 0;
        col = r.level;
      } else if (r.kind === 'guest-table') {
        row = r.level;
        col = hostLevels;
      } else {
        row = guestLevels;
        col = hostLevels;
      }
    } else {
      col = r.kind === 'data' ? guestLevels : r.level;
    }
    return { row, col, kind: r.kind, order, revealed: isCached || order <= revealed, cached: isCached };
  };
  // Saved references show as soon as the access starts; the made ones one by one.
  const cells = [...(revealed > 0 ? cached.map((r) => place(r, 0, true)) : []), ...refs.map((r, i) => place(r, i + 1, false))];
  return nested ? { rows: guestLevels + 1, cols: hostLevels + 1, cells } : { rows: 1, cols: guestLevels + 1, cells };
}

/** The whole script in each paging mode, for the comparison table. */
export function modeTotals(
  guestLevels: number,
  hostLevels: number,
  script: MemoryScriptId = 'walk',
  walkCaches = false,
): ModeTotals[] {
  return (['native', 'shadow', 'nested'] as const).map((mode) => {
    const c = runAccesses(createMemory({ mode, guestLevels, hostLevels, walkCaches }), MEMORY_SCRIPTS[script]);
    return {
      mode,
      walkReferences: c.walkReferences,
      traps: trapsOf(c),
      tlbMisses: c.tlbMisses,
      refsPerMiss: c.tlbMisses === 0 ? 0 : c.walkReferences / c.tlbMisses,
      cycles: c.cycles,
    };
  });
}

/** The trap kinds, for a view that counts them. */
export const MEMORY_TRAPS: readonly MemoryTrap[] = ['shadow-fill', 'shadow-sync', 'ptb-switch'];

export interface MemoryControllerOptions {
  readonly scheduler: FrameScheduler;
  readonly reducedMotion?: boolean;
  readonly config?: Partial<MemoryWalkConfig>;
  readonly speedIndex?: number;
}

/**
 * Steps the memory model through a script ({@link MEMORY_SCRIPTS}) one memory reference at a time:
 * each access is applied to the model (which returns every reference it made), and the
 * view reveals them in order. Islands call the commands and draw snapshots.
 *
 * @example
 * const c = new MemoryController({ scheduler, config: { mode: 'nested', guestLevels: 4, hostLevels: 4 } });
 * for (let i = 0; i < 25; i++) c.step();
 * c.snapshot.walkRevealed // 24
 */
export class MemoryController implements RunCommands {
  private readonly loop: RunLoop;
  private readonly listeners = new Set<(s: MemorySnapshot) => void>();
  private config: MemoryWalkConfig;
  private state: MemoryState;
  private index = -1;
  private result: AccessResult | null = null;
  private revealed = 0;
  private status: WalkStatus = 'ready';
  private speedIndex: number;
  private revision = 0;
  private modes: readonly ModeTotals[];
  private current: MemorySnapshot;

  constructor(options: MemoryControllerOptions) {
    this.config = { mode: 'nested', guestLevels: 4, hostLevels: 4, script: 'walk', walkCaches: true, ...options.config };
    this.speedIndex = options.speedIndex ?? 2;
    this.state = createMemory(this.config);
    this.modes = this.measureModes();
    this.loop = new RunLoop({
      scheduler: options.scheduler,
      work: (n) => {
        let done = 0;
        while (done < n && this.advance()) done++;
        return { done, more: !this.finished };
      },
      publish: () => this.publish(),
      onFinish: () => {
        this.status = 'finished';
        this.publish();
      },
      publishEveryMs: options.reducedMotion === true ? 500 : 0,
    });
    this.loop.rate = WALK_SPEEDS[this.speedIndex] ?? 5;
    this.current = this.build();
  }

  get snapshot(): MemorySnapshot {
    return this.current;
  }

  subscribe(listener: (s: MemorySnapshot) => void): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  /** Shows the next memory reference (applying the next access when the current one is done). */
  step(): void {
    this.loop.stop();
    this.advance();
    this.status = this.finished ? 'finished' : 'paused';
    this.publish();
  }

  run(): void {
    if (this.finished || this.loop.running) return;
    this.status = 'running';
    this.loop.start();
    this.publish();
  }

  pause(): void {
    if (!this.loop.running) return;
    this.loop.stop();
    this.status = 'paused';
    this.publish();
  }

  reset(): void {
    this.loop.stop();
    this.state = createMemory(this.config);
    this.index = -1;
    this.result = null;
    this.revealed = 0;
    this.status = 'ready';
    this.publish();
  }

  setSpeed(index: number): void {
    this.speedIndex = Math.max(0, Math.min(WALK_SPEEDS.length - 1, Math.round(index)));
    this.loop.rate = WALK_SPEEDS[this.speedIndex] ?? 5;
    this.publish();
  }

  /** Changes mode, table depths, script or caches, and starts over. */
  configure(config: Partial<MemoryWalkConfig>): void {
    const next = { ...this.config, ...config };
    const old = this.config;
    const remeasure =
      next.guestLevels !== old.guestLevels ||
      next.hostLevels !== old.hostLevels ||
      next.script !== old.script ||
      next.walkCaches !== old.walkCaches;
    this.config = next;
    if (remeasure) this.modes = this.measureModes();
    this.reset();
  }

  dispose(): void {
    this.loop.stop();
    this.listeners.clear();
  }

  private get script(): readonly MemoryAccess[] {
    return MEMORY_SCRIPTS[this.config.script];
  }

  private measureModes(): readonly ModeTotals[] {
    const { guestLevels, hostLevels, script, walkCaches } = this.config;
    return modeTotals(guestLevels, hostLevels, script, walkCaches);
  }

  private get finished(): boolean {
    const refs = this.result?.references.length ?? 0;
    return this.index >= this.script.length - 1 && this.revealed >= refs;
  }

  /** One reference further; false when the script is done. */
  private advance(): boolean {
    if (this.result !== null && this.revealed < this.result.references.length) {
      this.revealed++;
      return true;
    }
    const access = this.script[this.index + 1];
    if (access === undefined) return false;
    const next = step(this.state, access);
    this.state = next.state;
    this.result = next.result;
    this.index++;
    this.revealed = next.result.references.length > 0 ? 1 : 0;
    return true;
  }

  private publish(): void {
    this.revision++;
    this.current = this.build();
    for (const listener of this.listeners) listener(this.current);
  }

  private build(): MemorySnapshot {
    const { mode, guestLevels, hostLevels } = this.config;
    const refs = this.result?.references ?? [];
    const shown = refs.slice(0, this.revealed);
    return {
      revision: this.revision,
      status: this.status,
      config: this.config,
      scriptLength: this.script.length,
      accessIndex: this.index,
      access: this.script[this.index] ?? null,
      result: this.result,
      revealed: this.revealed,
      walkRevealed: shown.filter((r) => r.kind !== 'data').length,
      cachedCount: this.result?.cached.length ?? 0,
      grid: walkGrid(mode, guestLevels, hostLevels, refs, this.revealed, this.result?.cached ?? []),
      counters: { ...this.state.counters },
      expectedWalk: walkReferenceCount(mode, guestLevels, hostLevels),
      modes: this.modes,
      speedIndex: this.speedIndex,
    };
  }
}
