/**
 * A small fully associative TLB with least-recently-used replacement, caching
 * whole translations (guest-virtual page → host frame), as real TLBs do for
 * nested paging too. Entries may be tagged with an address-space id.
 */
export interface Tlb {
  readonly capacity: number;
  readonly pages: Int32Array;
  readonly spaces: Int32Array;
  readonly frames: Int32Array;
  readonly lastUse: Float64Array;
  clock: number;
}

/** An empty TLB with `capacity` entries (≥ 1). */
export function createTlb(capacity: number): Tlb {
  if (!(capacity >= 1)) throw new RangeError('TLB capacity must be at least 1');
  return {
    capacity,
    pages: new Int32Array(capacity).fill(-1),
    spaces: new Int32Array(capacity).fill(-1),
    frames: new Int32Array(capacity),
    lastUse: new Float64Array(capacity),
    clock: 0,
  };
}

/**
 * The cached frame for (`space`, `page`), or -1 on a miss.
 *
 * @example
 * tlbInsert(t, 0, 5, 42); tlbLookup(t, 0, 5) // 42
 */
export function tlbLookup(tlb: Tlb, space: number, page: number): number {
  for (let i = 0; i < tlb.capacity; i++) {
    if (tlb.pages[i] === page && tlb.spaces[i] === space) {
      tlb.lastUse[i] = ++tlb.clock;
      return tlb.frames[i] ?? -1;
    }
  }
  return -1;
}

/** Caches a translation, evicting the least recently used entry when full. */
export function tlbInsert(tlb: Tlb, space: number, page: number, frame: number): void {
  let victim = 0;
  for (let i = 0; i < tlb.capacity; i++) {
    if (tlb.pages[i] === -1) {
      victim = i;
      break;
    }
    if ((tlb.lastUse[i] ?? 0) < (tlb.lastUse[victim] ?? 0)) victim = i;
  }
  tlb.pages[victim] = page;
  tlb.spaces[victim] = space;
  tlb.frames[victim] = frame;
  tlb.lastUse[victim] = ++tlb.clock;
}

/** Drops one page's entry in `space` (INVLPG). */
export function tlbInvalidate(tlb: Tlb, space: number, page: number): void {
  for (let i = 0; i < tlb.capacity; i++) {
    if (tlb.pages[i] === page && tlb.spaces[i] === space) tlb.pages[i] = -1;
  }
}

/** Drops every entry (an untagged TLB on an address-space switch). */
export function tlbFlush(tlb: Tlb): void {
  tlb.pages.fill(-1);
}

/** Valid entries as (space, page, frame) triples, for display. */
export function tlbEntries(tlb: Tlb): { space: number; page: number; frame: number }[] {
  const out: { space: number; page: number; frame: number }[] = [];
  for (let i = 0; i < tlb.capacity; i++) {
    const page = tlb.pages[i] ?? -1;
    if (page >= 0) out.push({ space: tlb.spaces[i] ?? 0, page, frame: tlb.frames[i] ?? 0 });
  }
  return out;
}

/** A deep copy. */
export function cloneTlb(tlb: Tlb): Tlb {
  return {
    ...tlb,
    pages: tlb.pages.slice(),
    spaces: tlb.spaces.slice(),
    frames: tlb.frames.slice(),
    lastUse: tlb.lastUse.slice(),
  };
}
