/**
 * A multi-level (radix) page table stored as frames of entries, the way an
 * MMU sees it: level 0 is the root; each level consumes `bitsPerLevel` bits of
 * the page number, high bits first; a leaf entry holds the mapped frame.
 * Entries are -1 when not present.
 */
export interface RadixTable {
  readonly levels: number;
  readonly bitsPerLevel: number;
  /** Frame of the root table. */
  readonly root: number;
  /** Table frames and their entries. */
  readonly frames: Map<number, Int32Array>;
}

/** Hands out frame numbers in one physical space. */
export interface FrameAllocator {
  next: number;
}

/** A new, empty table whose root is allocated from `alloc`. */
export function createRadix(levels: number, bitsPerLevel: number, alloc: FrameAllocator): RadixTable {
  const root = alloc.next++;
  const frames = new Map<number, Int32Array>([[root, new Int32Array(1 << bitsPerLevel).fill(-1)]]);
  return { levels, bitsPerLevel, root, frames };
}

/** Index into the table at `level` for page number `page`. */
export function indexAt(table: RadixTable, page: number, level: number): number {
  const shift = (table.levels - 1 - level) * table.bitsPerLevel;
  return (page >>> shift) & ((1 << table.bitsPerLevel) - 1);
}

/** One entry read by a walk. */
export interface WalkStep {
  readonly level: number;
  readonly tableFrame: number;
  readonly index: number;
}

/**
 * Walks the table for `page`; returns the steps (one memory reference each)
 * and the mapped frame, or -1 when a level is not present.
 *
 * @example
 * walk(t, 5) // { frame: 42, steps: [{ level: 0, tableFrame: 0, index: 0 }, { level: 1, tableFrame: 3, index: 5 }] }
 */
export function walk(table: RadixTable, page: number): { frame: number; steps: WalkStep[] } {
  return walkFrom(table, page, 0, table.root);
}

/**
 * Walks the table for `page` from `level`, whose table is `frame` (a page-walk
 * cache supplies the upper levels); returns the steps from there and the frame.
 */
export function walkFrom(
  table: RadixTable,
  page: number,
  startLevel: number,
  startFrame: number,
): { frame: number; steps: WalkStep[] } {
  const steps: WalkStep[] = [];
  let frame = startFrame;
  for (let level = startLevel; level < table.levels; level++) {
    const index = indexAt(table, page, level);
    steps.push({ level, tableFrame: frame, index });
    const entry = table.frames.get(frame)?.[index] ?? -1;
    if (entry < 0) return { frame: -1, steps };
    frame = entry;
  }
  return { frame, steps };
}

/**
 * Maps `page` to `frame`, allocating intermediate tables. Returns the frames of
 * the tables written (the last is the leaf table): what a write-protecting
 * monitor would trap on.
 */
export function mapPage(table: RadixTable, page: number, frame: number, alloc: FrameAllocator): number[] {
  const written: number[] = [];
  let current = table.root;
  for (let level = 0; level < table.levels; level++) {
    const entries = table.frames.get(current);
    if (entries === undefined) throw new Error(`missing table frame ${current}`);
    const index = indexAt(table, page, level);
    if (level === table.levels - 1) {
      entries[index] = frame;
      written.push(current);
      return written;
    }
    let child = entries[index] ?? -1;
    if (child < 0) {
      child = alloc.next++;
      table.frames.set(child, new Int32Array(1 << table.bitsPerLevel).fill(-1));
      entries[index] = child;
      written.push(current);
    }
    current = child;
  }
  return written;
}

/** Removes the leaf mapping of `page` (intermediate tables stay). Returns the leaf table frame, or -1. */
export function unmapPage(table: RadixTable, page: number): number {
  const { steps } = walk(table, page);
  const leaf = steps.at(-1);
  if (leaf === undefined || steps.length < table.levels) return -1;
  const entries = table.frames.get(leaf.tableFrame);
  if (entries !== undefined) entries[leaf.index] = -1;
  return leaf.tableFrame;
}

/** A deep copy. */
export function cloneRadix(table: RadixTable): RadixTable {
  return { ...table, frames: new Map([...table.frames].map(([f, e]) => [f, e.slice()])) };
}
