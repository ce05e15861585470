import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apply,
  createRadix,
  createTlb,
  generateAccesses,
  init,
  mapPage,
  pageTableChurn,
  runAccesses,
  step,
  tlbInsert,
  tlbLookup,
  walk,
  walkReferenceCount,
  type MemoryAccess,
  type PagingMode,
} from '../../../src/sim/memory/index.ts';

const walkRefs = (refs: readonly { kind: string }[]) => refs.filter((r) => r.kind !== 'data').length;

describe('the two-dimensional walk: (n+1)(m+1) − 1 references', () => {
  it.each([
    [1, 1, 3],
    [2, 2, 8],
    [3, 2, 11],
    [2, 4, 14],
    [4, 4, 24],
    [5, 4, 29],
  ])('guest %i levels × host %i levels → %i', (n, m, expected) => {
    const mem = init({ mode: 'nested', guestLevels: n, hostLevels: m, bitsPerLevel: 3 });
    const r = apply(mem, { kind: 'read', address: 3 });
    expect(r.tlbHit).toBe(false);
    expect(walkRefs(r.references)).toBe(expected);
    expect(walkReferenceCount('nested', n, m)).toBe(expected);
  });

  it('interleaves host walks before each guest level, then the data address', () => {
    const r = apply(init({ mode: 'nested', guestLevels: 2, hostLevels: 2 }), { kind: 'read', address: 0 });
    expect(r.references.map((x) => `${x.kind}:${x.level}:${x.forGuestLevel ?? '-'}`)).toEqual([
      'host-table:0:0',
      'host-table:1:0',
      'guest-table:0:-',
      'host-table:0:1',
      'host-table:1:1',
      'guest-table:1:-',
      'host-table:0:2',
      'host-table:1:2',
      'data:0:-',
    ]);
  });

  it.each<[PagingMode, number]>([
    ['native', 4],
    ['shadow', 4],
    ['nested', 24],
  ])('%s with 4-level tables: %i walk references on a TLB miss', (mode, expected) => {
    const mem = init({ mode, guestLevels: 4, hostLevels: 4, bitsPerLevel: 3 });
    apply(mem, { kind: 'read', address: 0 }); // shadow: the first miss also fills the shadow entry
    apply(mem, { kind: 'switch', space: 0 }); // flush the TLB
    expect(walkRefs(apply(mem, { kind: 'read', address: 0 }).references)).toBe(expected);
  });

  it('a TLB hit makes no walk references', () => {
    const mem = init({ mode: 'nested' });
    apply(mem, { kind: 'read', address: 17 });
    const again = apply(mem, { kind: 'read', address: 18 }); // same page
    expect(again.tlbHit).toBe(true);
    expect(again.references).toEqual([{ kind: 'data', level: 0, frame: expect.any(Number) as number }]);
  });
});

describe('shadow paging traps, nested paging does not', () => {
  const churn = pageTableChurn({ rounds: 4, pagesPerRound: 3, firstPage: 40, pageWords: 16, spaces: 2 });

  it('guest page-table writes and switches trap under shadow paging', () => {
    const mem = init({ mode: 'shadow' });
    const c = runAccesses(mem, churn);
    expect(c.ptbSwitchTraps).toBe(4);
    expect(c.shadowSyncs).toBeGreaterThanOrEqual(12); // at least one trapped store per new mapping
    expect(c.shadowFills).toBeGreaterThan(0);
  });

  it.each<PagingMode>(['nested', 'native'])('%s: the same churn without traps', (mode) => {
    const c = runAccesses(init({ mode }), churn);
    expect(c.shadowSyncs + c.shadowFills + c.ptbSwitchTraps).toBe(0);
  });

  it('a remapped page is seen at its new frame (the shadow entry was synced)', () => {
    const mem = init({ mode: 'shadow' });
    const before = apply(mem, { kind: 'read', address: 5 * 16 }).hostAddress;
    apply(mem, { kind: 'map', page: 5 });
    const after = apply(mem, { kind: 'read', address: 5 * 16 });
    expect(after.hostAddress).not.toBe(before);
    const nested = init({ mode: 'nested' });
    apply(nested, { kind: 'read', address: 5 * 16 });
    apply(nested, { kind: 'map', page: 5 });
    expect(apply(nested, { kind: 'read', address: 5 * 16 }).hostAddress).toBe(after.hostAddress);
  });

  it('an unmapped page faults in every mode', () => {
    for (const mode of ['native', 'shadow', 'nested'] as const) {
      const r = apply(init({ mode }), { kind: 'read', address: 200 * 16 });
      expect(r.pageFault, mode).toBe(true);
    }
  });

  it('a tagged TLB survives address-space switches', () => {
    const plain = init({ mode: 'nested' });
    const tagged = init({ mode: 'nested', taggedTlb: true });
    const seq: MemoryAccess[] = [];
    for (let i = 0; i < 10; i++) seq.push({ kind: 'switch', space: i % 2 }, { kind: 'read', address: 3 });
    expect(runAccesses(tagged, seq).tlbMisses).toBe(2);
    expect(runAccesses(plain, seq).tlbMisses).toBe(10);
  });
});

describe('shadow and nested paging translate identically', () => {
  const access = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constantFrom('read' as const, 'write' as const),
        address: fc.integer({ min: 0, max: 20 * 16 - 1 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('map' as const), page: fc.integer({ min: 0, max: 30 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('unmap' as const), page: fc.integer({ min: 0, max: 30 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('switch' as const), space: fc.integer({ min: 0, max: 2 }) }) },
  );
  it('same host address or page fault for every access', () => {
    fc.assert(
      fc.property(fc.array(access, { maxLength: 60 }), fc.integer({ min: 1, max: 16 }), (seq, tlbEntries) => {
        const shadow = init({ mode: 'shadow', tlbEntries });
        const nested = init({ mode: 'nested', tlbEntries });
        for (const a of seq) {
          const s = apply(shadow, a);
          const n = apply(nested, a);
          expect([s.hostAddress, s.pageFault]).toEqual([n.hostAddress, n.pageFault]);
          expect(s.tlbHit).toBe(n.tlbHit);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('page-walk caches change no translation; they only skip references (made + skipped = the full walk)', () => {
    fc.assert(
      fc.property(fc.array(access, { maxLength: 60 }), fc.constantFrom<PagingMode>('native', 'shadow', 'nested'), (seq, mode) => {
        const plain = init({ mode, guestLevels: 4, hostLevels: 3, bitsPerLevel: 3 });
        const cached = init({ mode, guestLevels: 4, hostLevels: 3, bitsPerLevel: 3, walkCaches: true });
        for (const a of seq) {
          const p = apply(plain, a);
          const c = apply(cached, a);
          expect([c.hostAddress, c.pageFault, c.tlbHit, c.traps]).toEqual([p.hostAddress, p.pageFault, p.tlbHit, p.traps]);
          expect(walkRefs(c.references) + c.cached.length).toBe(walkRefs(p.references));
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('page-walk caches [Bhargava08]', () => {
  it('a cold walk is the full walk; a nearby page then skips the upper levels and the nested TLB the host walks', () => {
    const mem = init({ mode: 'nested', guestLevels: 4, hostLevels: 4, bitsPerLevel: 3, walkCaches: true });
    expect(walkRefs(apply(mem, { kind: 'read', address: 2 * 16 }).references)).toBe(24);
    const next = apply(mem, { kind: 'read', address: 3 * 16 }); // same leaf table, other page
    expect(next.tlbHit).toBe(false);
    // Only the leaf table's entry and the data page's host walk remain: 1 + 4.
    expect(walkRefs(next.references)).toBe(5);
    expect(next.cached).toHaveLength(19);
    expect(mem.counters.walkCacheHits).toBe(1);
    expect(mem.counters.nestedTlbHits).toBe(1);
  });

  it('an untagged switch empties the page-walk cache with the TLB', () => {
    const mem = init({ mode: 'native', guestLevels: 4, bitsPerLevel: 3, walkCaches: true });
    apply(mem, { kind: 'read', address: 2 * 16 });
    apply(mem, { kind: 'switch', space: 0 });
    expect(walkRefs(apply(mem, { kind: 'read', address: 3 * 16 }).references)).toBe(4);
  });
});

describe('building blocks', () => {
  it('radix walk finds what mapPage stored', () => {
    const alloc = { next: 0 };
    const t = createRadix(3, 2, alloc);
    mapPage(t, 0b10_01_11, 99, alloc);
    const w = walk(t, 0b10_01_11);
    expect(w.frame).toBe(99);
    expect(w.steps.map((s) => s.index)).toEqual([2, 1, 3]);
    expect(walk(t, 0).frame).toBe(-1);
  });

  it('TLB evicts the least recently used entry', () => {
    const tlb = createTlb(2);
    tlbInsert(tlb, 0, 1, 10);
    tlbInsert(tlb, 0, 2, 20);
    tlbLookup(tlb, 0, 1);
    tlbInsert(tlb, 0, 3, 30);
    expect(tlbLookup(tlb, 0, 2)).toBe(-1);
    expect(tlbLookup(tlb, 0, 1)).toBe(10);
    expect(tlbLookup(tlb, 0, 3)).toBe(30);
  });

  it('step() is pure', () => {
    const m0 = init({ mode: 'shadow' });
    const { state: m1, result } = step(m0, { kind: 'map', page: 50 });
    expect(result.traps.length).toBeGreaterThan(0);
    expect(m0.counters.accesses).toBe(0);
    expect(m1.counters.accesses).toBe(1);
  });

  it('workloads are deterministic per seed', () => {
    const p = { pattern: 'hot-cold' as const, count: 50, pages: 10, pageWords: 16, seed: 4 };
    expect(generateAccesses(p)).toEqual(generateAccesses(p));
    expect(generateAccesses(p)).not.toEqual(generateAccesses({ ...p, seed: 5 }));
  });

  it('rejects impossible shapes', () => {
    expect(() => init({ mode: 'nested', guestLevels: 0 })).toThrow(RangeError);
    expect(() => init({ mode: 'nested', tlbEntries: 0 })).toThrow(RangeError);
  });
});
