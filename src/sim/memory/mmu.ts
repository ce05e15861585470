import { createRng } from '../random.ts';
import { DEFAULT_COSTS } from '../strategies/costs.ts';
import {
  cloneRadix,
  createRadix,
  indexAt,
  mapPage,
  unmapPage,
  walk,
  walkFrom,
  type FrameAllocator,
  type RadixTable,
} from './radix.ts';
import { cloneTlb, createTlb, tlbFlush, tlbInsert, tlbInvalidate, tlbLookup, type Tlb } from './tlb.ts';

/**
 * How guest-virtual addresses reach host memory.
 * - `native`: no hypervisor; the OS's own page tables map virtual → physical.
 * - `shadow`: the monitor keeps shadow tables (guest-virtual → host-physical) the
 *   hardware walks; guest page-table writes and page-table switches trap so the
 *   monitor can keep them in sync.
 * - `nested`: hardware walks the guest's tables and the host's (EPT/RVI) tables
 *   together — a two-dimensional walk — and the guest edits its tables freely.
 */
export type PagingMode = 'native' | 'shadow' | 'nested';

/** Cycle costs of the memory model. */
export interface MemoryCosts {
  /** One page-walk or data memory reference. Teaching default 20: between a cache hit (a few) and DRAM (100+). */
  readonly memoryReference: number;
  /** One trap into the monitor and back, including its work (shadow fill, sync, switch). */
  readonly trap: number;
}

/** Parameters for {@link init}. All optional except `mode`. */
export interface MemoryParams {
  readonly mode: PagingMode;
  /** Levels of the guest's page tables (n). Default 2. */
  readonly guestLevels?: number;
  /** Levels of the host's nested/p2m tables (m). Default 2. */
  readonly hostLevels?: number;
  /** Index bits per level (entries per table = 2^bits). Default 4. */
  readonly bitsPerLevel?: number;
  /** Offset bits (page size = 2^bits words). Default 4. */
  readonly offsetBits?: number;
  /** TLB entries. Default 8. */
  readonly tlbEntries?: number;
  /** TLB entries tagged by address space (PCID/VPID): no flush on switch. Default false. */
  readonly taggedTlb?: boolean;
  /**
   * Page-walk caches [Bhargava08]: a page-walk cache of upper-level table entries
   * (in every mode, as CPUs have), and under nested paging a nested TLB of
   * guest-physical → host-physical frames, so most of a 2D walk is skipped.
   * {@link WALK_CACHE_ENTRIES} entries each. Default false (every walk is the full one).
   */
  readonly walkCaches?: boolean;
  /** Guest address spaces (processes) at start. Default 2. */
  readonly spaces?: number;
  /** Pages each address space maps at start (pages 0..k-1). Default 16, fewer if guest-physical memory is small. */
  readonly initialPages?: number;
  /** Seed for the frame layout. Default 1. */
  readonly seed?: number;
  readonly costs?: Partial<MemoryCosts>;
}

/** One guest memory operation. Addresses are guest-virtual word addresses; pages are guest-virtual page numbers. */
export type MemoryAccess =
  | { readonly kind: 'read' | 'write'; readonly address: number }
  /** The guest OS writes a page-table entry mapping `page` (to a new guest frame unless `frame` is given). */
  | { readonly kind: 'map'; readonly page: number; readonly frame?: number }
  | { readonly kind: 'unmap'; readonly page: number }
  /** The guest switches address space (LPTB); a new index creates an empty space. */
  | { readonly kind: 'switch'; readonly space: number };

/** Why an access left the guest. */
export type MemoryTrap = 'shadow-fill' | 'shadow-sync' | 'ptb-switch';

/** One memory reference made for an access, in order. */
export interface MemoryReference {
  readonly kind: 'guest-table' | 'host-table' | 'shadow-table' | 'data';
  /** Level within its table (0 = root). */
  readonly level: number;
  /**
   * Nested walks: which guest level's table address the host walk translates
   * (guestLevels = the final data address). Lets a view draw the n×m grid.
   */
  readonly forGuestLevel?: number;
  /** Host-physical frame referenced (physical frame in native mode); -1 for a reference a cache saved. */
  readonly frame: number;
}

/** Entries of the page-walk cache and of the nested TLB. */
export const WALK_CACHE_ENTRIES = 8;

/** What one access did. */
export interface AccessResult {
  readonly access: MemoryAccess;
  readonly tlbHit: boolean;
  /** Host-physical address reached (-1 on a page fault or for non-data operations). */
  readonly hostAddress: number;
  readonly references: readonly MemoryReference[];
  /** References the monitor made in software (shadow fills). */
  readonly monitorReferences: number;
  readonly traps: readonly MemoryTrap[];
  readonly pageFault: boolean;
  readonly cycles: number;
  /** Walk references a page-walk cache or the nested TLB saved (not made, not charged), for a view to grey out. */
  readonly cached: readonly MemoryReference[];
}

/** Totals over all accesses. */
export interface MemoryCounters {
  accesses: number;
  tlbHits: number;
  tlbMisses: number;
  /** Page-walk references by the hardware (guest, host and shadow tables). */
  walkReferences: number;
  dataReferences: number;
  monitorReferences: number;
  pageFaults: number;
  shadowFills: number;
  shadowSyncs: number;
  ptbSwitchTraps: number;
  /** Walks that started below the root thanks to the page-walk cache. */
  walkCacheHits: number;
  /** Host walks the nested TLB saved. */
  nestedTlbHits: number;
  cycles: number;
}

/** Fully resolved parameters. */
export interface ResolvedMemoryParams {
  readonly mode: PagingMode;
  readonly guestLevels: number;
  readonly hostLevels: number;
  readonly bitsPerLevel: number;
  readonly offsetBits: number;
  readonly tlbEntries: number;
  readonly taggedTlb: boolean;
  readonly walkCaches: boolean;
  readonly spaces: number;
  readonly initialPages: number;
  readonly seed: number;
  readonly costs: MemoryCosts;
}

/** The memory-virtualization model's state (mutable plain data; `step` copies it). */
export interface MemoryState {
  readonly params: ResolvedMemoryParams;
  /** Guest-physical frames (physical frames in native mode). */
  readonly guestAlloc: FrameAllocator;
  /** Host-physical frames for host and shadow tables (data frames are 0..guestFrames-1, permuted; native: unused). */
  readonly hostAlloc: FrameAllocator;
  /** Number of guest-physical frames (all pre-mapped by the host table). */
  readonly guestFrames: number;
  /** One guest page table per address space. */
  readonly guestTables: RadixTable[];
  current: number;
  /** Guest-physical → host-physical table (null in native mode). */
  readonly host: RadixTable | null;
  /** Shadow tables per guest address space (shadow mode). */
  readonly shadows: Map<number, RadixTable>;
  readonly tlb: Tlb;
  /** Page-walk cache: `space:level:prefix` → the next level's table frame (guest-physical when nested), LRU order. */
  readonly walkCache: Map<string, number>;
  /** Nested TLB: guest-physical frame → host-physical frame, LRU order. */
  readonly nestedTlb: Map<number, number>;
  readonly counters: MemoryCounters;
}

/** The number of memory references of a TLB-missing walk under each mode. */
export function walkReferenceCount(mode: PagingMode, guestLevels: number, hostLevels: number): number {
  return mode === 'nested' ? (guestLevels + 1) * (hostLevels + 1) - 1 : guestLevels;
}

const MAX_FRAMES = 1 << 16;

function resolve(params: MemoryParams): ResolvedMemoryParams {
  const p: ResolvedMemoryParams = {
    mode: params.mode,
    guestLevels: params.guestLevels ?? 2,
    hostLevels: params.hostLevels ?? 2,
    bitsPerLevel: params.bitsPerLevel ?? 4,
    offsetBits: params.offsetBits ?? 4,
    tlbEntries: params.tlbEntries ?? 8,
    taggedTlb: params.taggedTlb ?? false,
    walkCaches: params.walkCaches ?? false,
    spaces: params.spaces ?? 2,
    initialPages: params.initialPages ?? -1,
    seed: params.seed ?? 1,
    costs: {
      memoryReference: 20,
      trap: DEFAULT_COSTS.trapRoundTrip + DEFAULT_COSTS.monitorEmulation,
      ...params.costs,
    },
  };
  const checks: [string, number, number, number][] = [
    ['guestLevels', p.guestLevels, 1, 6],
    ['hostLevels', p.hostLevels, 1, 6],
    ['bitsPerLevel', p.bitsPerLevel, 1, 9],
    ['offsetBits', p.offsetBits, 0, 12],
    ['tlbEntries', p.tlbEntries, 1, 4096],
    ['spaces', p.spaces, 1, 64],
  ];
  for (const [name, v, lo, hi] of checks) {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${name} must be an integer in ${lo}..${hi}`);
  }
  return p;
}

/**
 * A guest with `spaces` address spaces, each mapping `initialPages` pages, on
 * a host that backs every guest-physical frame at a shuffled host frame.
 *
 * @example
 * const m = init({ mode: 'nested', guestLevels: 4, hostLevels: 4 });
 * apply(m, { kind: 'read', address: 0 }).references.length // 25: 24 walk references + the data
 */
export function init(params: MemoryParams): MemoryState {
  const p = resolve(params);
  const rng = createRng(p.seed);
  // Guest-physical memory (physical memory, natively) is what the host table can
  // address, the same in every mode so the modes compare like for like.
  const guestFrames = Math.min(MAX_FRAMES, 2 ** (p.hostLevels * p.bitsPerLevel));
  const guestAlloc: FrameAllocator = { next: 0 };
  const hostAlloc: FrameAllocator = { next: p.mode === 'native' ? 0 : guestFrames };
  let host: RadixTable | null = null;
  if (p.mode !== 'native') {
    // Back every guest-physical frame with a host frame, in shuffled order so the
    // two address spaces visibly differ.
    const order = Array.from({ length: guestFrames }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    const hostTable = createRadix(p.hostLevels, p.bitsPerLevel, hostAlloc);
    order.forEach((hostFrame, guestFrame) => mapPage(hostTable, guestFrame, hostFrame, hostAlloc));
    host = hostTable;
  }
  const state: MemoryState = {
    params: p,
    guestAlloc,
    hostAlloc,
    guestFrames,
    guestTables: [],
    current: 0,
    host,
    shadows: new Map(),
    tlb: createTlb(p.tlbEntries),
    walkCache: new Map(),
    nestedTlb: new Map(),
    counters: {
      accesses: 0,
      tlbHits: 0,
      tlbMisses: 0,
      walkReferences: 0,
      dataReferences: 0,
      monitorReferences: 0,
      pageFaults: 0,
      shadowFills: 0,
      shadowSyncs: 0,
      ptbSwitchTraps: 0,
      walkCacheHits: 0,
      nestedTlbHits: 0,
      cycles: 0,
    },
  };
  // By default leave room for the tables and for later mappings.
  const pages = p.initialPages >= 0 ? p.initialPages : Math.min(16, Math.floor(guestFrames / (4 * p.spaces)));
  for (let s = 0; s < p.spaces; s++) {
    const table = newGuestSpace(state);
    for (let page = 0; page < pages; page++) mapPage(table, page, allocGuestFrame(state), state.guestAlloc);
  }
  return state;
}

function allocGuestFrame(state: MemoryState): number {
  if (state.guestAlloc.next >= state.guestFrames) {
    throw new RangeError(`guest-physical memory is full (${state.guestFrames} frames)`);
  }
  return state.guestAlloc.next++;
}

function newGuestSpace(state: MemoryState): RadixTable {
  const p = state.params;
  if (state.guestAlloc.next >= state.guestFrames) throw new RangeError('guest-physical memory is full');
  const table = createRadix(p.guestLevels, p.bitsPerLevel, state.guestAlloc);
  state.guestTables.push(table);
  return table;
}

/** A hit moves the entry to the back (most recently used); misses return undefined. */
function lruGet<K>(cache: Map<K, number>, key: K): number | undefined {
  const value = cache.get(key);
  if (value === undefined) return undefined;
  cache.delete(key);
  cache.set(key, value);
  return value;
}

function lruSet<K>(cache: Map<K, number>, key: K, value: number): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > WALK_CACHE_ENTRIES) cache.delete(cache.keys().next().value as K);
}

/** Collects the references a walk made and those its caches saved. */
interface WalkLog {
  readonly refs: MemoryReference[];
  readonly cached: MemoryReference[];
}

function hostFrameOf(state: MemoryState, guestFrame: number, log: WalkLog | null, forGuestLevel: number): number {
  const host = state.host;
  if (host === null) return guestFrame;
  if (log !== null && state.params.walkCaches) {
    const hit = lruGet(state.nestedTlb, guestFrame);
    if (hit !== undefined) {
      state.counters.nestedTlbHits++;
      for (let level = 0; level < host.levels; level++) log.cached.push({ kind: 'host-table', level, forGuestLevel, frame: -1 });
      return hit;
    }
  }
  const w = walk(host, guestFrame);
  if (log !== null) {
    for (const s of w.steps) log.refs.push({ kind: 'host-table', level: s.level, forGuestLevel, frame: s.tableFrame });
    if (state.params.walkCaches && w.frame >= 0) lruSet(state.nestedTlb, guestFrame, w.frame);
  }
  return w.frame;
}

function walkCacheKey(state: MemoryState, table: RadixTable, page: number, level: number): string {
  // The index bits of levels 0..level name the entry's table at level + 1.
  const prefix = Math.floor(page / 2 ** ((table.levels - 1 - level) * table.bitsPerLevel));
  return `${tlbSpace(state)}:${level}:${prefix}`;
}

/** The deepest level the page-walk cache lets a walk start at, and that level's table frame. */
function walkStart(state: MemoryState, table: RadixTable, page: number): { level: number; frame: number } {
  if (state.params.walkCaches) {
    for (let level = table.levels - 2; level >= 0; level--) {
      const frame = lruGet(state.walkCache, walkCacheKey(state, table, page, level));
      if (frame !== undefined) {
        state.counters.walkCacheHits++;
        return { level: level + 1, frame };
      }
    }
  }
  return { level: 0, frame: table.root };
}

/** Remembers the upper-level entries a walk read (entry at `level` → table frame at `level + 1`). */
function rememberWalk(state: MemoryState, table: RadixTable, page: number, level: number, next: number): void {
  if (state.params.walkCaches && level < table.levels - 1 && next >= 0) {
    lruSet(state.walkCache, walkCacheKey(state, table, page, level), next);
  }
}

/** A one-dimensional walk (native or shadow table) through the page-walk cache. */
function cachedWalk(
  state: MemoryState,
  table: RadixTable,
  page: number,
  kind: 'guest-table' | 'shadow-table',
  log: WalkLog,
): number {
  const start = walkStart(state, table, page);
  for (let level = 0; level < start.level; level++) log.cached.push({ kind, level, frame: -1 });
  const w = walkFrom(table, page, start.level, start.frame);
  w.steps.forEach((step, i) => {
    log.refs.push({ kind, level: step.level, frame: step.tableFrame });
    const next = w.steps[i + 1]?.tableFrame;
    if (next !== undefined) rememberWalk(state, table, page, step.level, next);
  });
  return w.frame;
}

/** Translates `page` by walking tables (TLB missed). Returns the host frame or -1 (guest page fault). */
function translate(state: MemoryState, page: number, log: WalkLog, traps: MemoryTrap[], monitor: { refs: number }): number {
  const p = state.params;
  const guest = state.guestTables[state.current];
  if (guest === undefined) return -1;
  switch (p.mode) {
    case 'native':
      return cachedWalk(state, guest, page, 'guest-table', log);
    case 'nested': {
      // The two-dimensional walk: each guest table lives in guest-physical memory,
      // so reaching it takes a host walk first [Bhargava et al., ASPLOS 2008].
      const start = walkStart(state, guest, page);
      for (let level = 0; level < start.level; level++) {
        for (let h = 0; h < p.hostLevels; h++) log.cached.push({ kind: 'host-table', level: h, forGuestLevel: level, frame: -1 });
        log.cached.push({ kind: 'guest-table', level, frame: -1 });
      }
      let tableFrame = start.frame;
      for (let level = start.level; level < guest.levels; level++) {
        const hostTableFrame = hostFrameOf(state, tableFrame, log, level);
        log.refs.push({ kind: 'guest-table', level, frame: hostTableFrame });
        const entry = guest.frames.get(tableFrame)?.[indexAt(guest, page, level)] ?? -1;
        if (entry < 0) return -1;
        rememberWalk(state, guest, page, level, entry);
        tableFrame = entry;
      }
      return hostFrameOf(state, tableFrame, log, guest.levels);
    }
    case 'shadow': {
      const shadow = shadowFor(state, state.current);
      const frame = cachedWalk(state, shadow, page, 'shadow-table', log);
      if (frame >= 0) return frame;
      // Hidden page fault: the shadow lacks the entry; the monitor walks the
      // guest table and the p2m map in software and fills it in.
      traps.push('shadow-fill');
      const g = walk(guest, page);
      monitor.refs += g.steps.length;
      if (g.frame < 0) return -1;
      const h = state.host === null ? { frame: g.frame, steps: [] } : walk(state.host, g.frame);
      monitor.refs += h.steps.length;
      mapPage(shadow, page, h.frame, state.hostAlloc);
      return h.frame;
    }
  }
}

function shadowFor(state: MemoryState, space: number): RadixTable {
  let shadow = state.shadows.get(space);
  if (shadow === undefined) {
    shadow = createRadix(state.params.guestLevels, state.params.bitsPerLevel, state.hostAlloc);
    state.shadows.set(space, shadow);
  }
  return shadow;
}

function tlbSpace(state: MemoryState): number {
  return state.params.taggedTlb ? state.current : 0;
}

/**
 * Performs one access in place and returns what it cost.
 *
 * @example
 * const m = init({ mode: 'shadow' });
 * apply(m, { kind: 'map', page: 20 }).traps // ['shadow-sync', ...]: the guest wrote a write-protected table
 */
export function apply(state: MemoryState, access: MemoryAccess): AccessResult {
  const p = state.params;
  const c = state.counters;
  const log: WalkLog = { refs: [], cached: [] };
  const refs = log.refs;
  const traps: MemoryTrap[] = [];
  const monitor = { refs: 0 };
  let tlbHit = false;
  let hostAddress = -1;
  let pageFault = false;
  c.accesses++;

  switch (access.kind) {
    case 'read':
    case 'write': {
      const page = access.address >>> p.offsetBits;
      const offset = access.address & ((1 << p.offsetBits) - 1);
      let frame = tlbLookup(state.tlb, tlbSpace(state), page);
      if (frame >= 0) {
        tlbHit = true;
        c.tlbHits++;
      } else {
        c.tlbMisses++;
        frame = translate(state, page, log, traps, monitor);
        if (frame >= 0) tlbInsert(state.tlb, tlbSpace(state), page, frame);
      }
      if (frame < 0) {
        pageFault = true;
        c.pageFaults++;
      } else {
        hostAddress = (frame << p.offsetBits) | offset;
        refs.push({ kind: 'data', level: 0, frame });
      }
      break;
    }
    case 'map':
    case 'unmap': {
      const guest = state.guestTables[state.current];
      if (guest === undefined) break;
      let written: number[];
      if (access.kind === 'map') {
        const frame = access.frame ?? allocGuestFrame(state);
        written = mapPage(guest, access.page, frame, state.guestAlloc);
      } else {
        const leaf = unmapPage(guest, access.page);
        written = leaf < 0 ? [] : [leaf];
      }
      // The guest's own stores into its tables (one reference each) and its INVLPG.
      for (const f of written) refs.push({ kind: 'data', level: 0, frame: hostFrameOf(state, f, null, 0) });
      tlbInvalidate(state.tlb, tlbSpace(state), access.page);
      if (p.mode === 'shadow') {
        // Guest page tables are write-protected: every store traps so the monitor
        // can update (here: drop) the shadow entry.
        for (let i = 0; i < written.length; i++) traps.push('shadow-sync');
        const shadow = state.shadows.get(state.current);
        if (shadow !== undefined) unmapPage(shadow, access.page);
      }
      break;
    }
    case 'switch': {
      while (state.guestTables.length <= access.space) newGuestSpace(state);
      state.current = access.space;
      if (!p.taggedTlb) {
        tlbFlush(state.tlb);
        state.walkCache.clear();
      }
      if (p.mode === 'shadow') {
        traps.push('ptb-switch');
        shadowFor(state, access.space);
      }
      break;
    }
  }

  for (const r of refs) {
    if (r.kind === 'data') c.dataReferences++;
    else c.walkReferences++;
  }
  c.monitorReferences += monitor.refs;
  for (const t of traps) {
    if (t === 'shadow-fill') c.shadowFills++;
    else if (t === 'shadow-sync') c.shadowSyncs++;
    else c.ptbSwitchTraps++;
  }
  const cycles = (refs.length + monitor.refs) * p.costs.memoryReference + traps.length * p.costs.trap;
  c.cycles += cycles;
  return {
    access,
    tlbHit,
    hostAddress,
    references: refs,
    monitorReferences: monitor.refs,
    traps,
    pageFault,
    cycles,
    cached: log.cached,
  };
}

/** A deep copy. */
export function cloneMemory(state: MemoryState): MemoryState {
  return {
    ...state,
    guestAlloc: { ...state.guestAlloc },
    hostAlloc: { ...state.hostAlloc },
    guestTables: state.guestTables.map(cloneRadix),
    host: state.host === null ? null : cloneRadix(state.host),
    shadows: new Map([...state.shadows].map(([k, t]) => [k, cloneRadix(t)])),
    tlb: cloneTlb(state.tlb),
    walkCache: new Map(state.walkCache),
    nestedTlb: new Map(state.nestedTlb),
    counters: { ...state.counters },
  };
}

/**
 * Pure single step for a UI: the access applied to a copy.
 *
 * @example
 * const { state: m1, result } = step(m0, { kind: 'read', address: 35 });
 */
export function step(state: MemoryState, access: MemoryAccess): { state: MemoryState; result: AccessResult } {
  const next = cloneMemory(state);
  return { state: next, result: apply(next, access) };
}

/** Applies many accesses in place; returns the counters. */
export function runAccesses(state: MemoryState, accesses: Iterable<MemoryAccess>): MemoryCounters {
  for (const a of accesses) apply(state, a);
  return state.counters;
}

/** Average cycles per access so far. */
export function cyclesPerAccess(state: MemoryState): number {
  return state.counters.accesses === 0 ? 0 : state.counters.cycles / state.counters.accesses;
}
