import { createRng } from '../random.ts';
import type { MemoryAccess } from './mmu.ts';

/** Shapes of memory traffic. */
export type AccessPattern = 'sequential' | 'random' | 'hot-cold';

/** Parameters for {@link generateAccesses}. */
export interface WorkloadParams {
  readonly pattern: AccessPattern;
  readonly count: number;
  /** Pages the traffic spreads over (pages 0..pages-1). */
  readonly pages: number;
  /** Words per page (2^offsetBits of the memory model). */
  readonly pageWords: number;
  /** Fraction of writes. Default 0.3. */
  readonly writeRatio?: number;
  /** hot-cold: fraction of accesses going to the hot 20% of pages. Default 0.8. */
  readonly hotFraction?: number;
  readonly seed: number;
}

/**
 * Deterministic memory traffic for the memory model.
 *
 * @example
 * generateAccesses({ pattern: 'sequential', count: 4, pages: 2, pageWords: 16, seed: 1 })
 * // [{ kind: 'read', address: 0 }, { kind: 'write'?, address: 1 }, ...]
 */
export function generateAccesses(params: WorkloadParams): MemoryAccess[] {
  const rng = createRng(params.seed);
  const writeRatio = params.writeRatio ?? 0.3;
  const hot = Math.max(1, Math.floor(params.pages * 0.2));
  const out: MemoryAccess[] = [];
  for (let i = 0; i < params.count; i++) {
    let address: number;
    switch (params.pattern) {
      case 'sequential':
        address = i % (params.pages * params.pageWords);
        break;
      case 'random':
        address = rng.int(0, params.pages * params.pageWords - 1);
        break;
      case 'hot-cold': {
        const page = rng.next() < (params.hotFraction ?? 0.8) ? rng.int(0, hot - 1) : rng.int(0, params.pages - 1);
        address = page * params.pageWords + rng.int(0, params.pageWords - 1);
        break;
      }
    }
    out.push({ kind: rng.next() < writeRatio ? 'write' : 'read', address });
  }
  return out;
}

/**
 * A guest OS at work on its page tables: it maps fresh pages (like a process
 * growing its heap), touches them, and switches between processes — the
 * traffic where shadow paging traps and nested paging does not.
 *
 * @example
 * pageTableChurn({ rounds: 3, pagesPerRound: 2, firstPage: 16, pageWords: 16, spaces: 2 })
 */
export function pageTableChurn(params: {
  readonly rounds: number;
  readonly pagesPerRound: number;
  readonly firstPage: number;
  readonly pageWords: number;
  readonly spaces: number;
}): MemoryAccess[] {
  const out: MemoryAccess[] = [];
  let page = params.firstPage;
  for (let round = 0; round < params.rounds; round++) {
    out.push({ kind: 'switch', space: round % params.spaces });
    for (let k = 0; k < params.pagesPerRound; k++) {
      out.push({ kind: 'map', page });
      out.push({ kind: 'write', address: page * params.pageWords });
      out.push({ kind: 'read', address: page * params.pageWords + 1 });
      page++;
    }
  }
  return out;
}

/**
 * A TLB-heavy program with stable page tables: the OS maps its pages once, then
 * the program reads and writes them at random for a long time — more pages than
 * the TLB holds, so most accesses miss it, and no page-table change after the
 * start. Shadow paging pays its traps once and then walks short one-dimensional
 * tables; nested paging pays a two-dimensional walk on every miss. The workload
 * where shadow paging wins [Bhargava08 discuss it; AMRS12 too].
 *
 * @example
 * tlbHeavyStable({ pageWords: 16 }).length // 24 maps + 6000 accesses
 */
export function tlbHeavyStable(params: {
  readonly pageWords: number;
  /** First page (default 32: pages exist for every table depth of at least 2 levels of 3 bits). */
  readonly firstPage?: number;
  /** Pages used (default 24, three times an 8-entry TLB). */
  readonly pages?: number;
  /** Reads and writes after the set-up (default 6000). */
  readonly accesses?: number;
  readonly seed?: number;
}): MemoryAccess[] {
  const first = params.firstPage ?? 32;
  const pages = params.pages ?? 24;
  const out: MemoryAccess[] = [];
  for (let k = 0; k < pages; k++) out.push({ kind: 'map', page: first + k });
  const traffic = generateAccesses({
    pattern: 'random',
    count: params.accesses ?? 6000,
    pages,
    pageWords: params.pageWords,
    seed: params.seed ?? 7,
  });
  for (const a of traffic) {
    if (a.kind === 'read' || a.kind === 'write') out.push({ kind: a.kind, address: a.address + first * params.pageWords });
  }
  return out;
}

/**
 * Lesson 7's short walk: a cold read (full walk), the same page again (TLB hit),
 * another page, the guest OS mapping a new page (a page-table write: shadow paging
 * traps), touching it, a process switch (TLB flush; shadow paging traps) and a read
 * in the other address space, and back.
 */
export function pageTableWalkDemo(pageWords: number): MemoryAccess[] {
  return [
    { kind: 'read', address: 2 * pageWords + 5 },
    { kind: 'read', address: 2 * pageWords + 6 },
    { kind: 'write', address: 3 * pageWords },
    { kind: 'map', page: 12 },
    { kind: 'write', address: 12 * pageWords + 1 },
    { kind: 'switch', space: 1 },
    { kind: 'read', address: 2 * pageWords + 5 },
    { kind: 'switch', space: 0 },
    { kind: 'read', address: 2 * pageWords + 5 },
  ];
}
