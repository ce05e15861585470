import { describe, expect, it } from 'vitest';
import { walkReferenceCount } from '../../../../src/sim/memory/index.ts';
import {
  MemoryController,
  modeTotals,
  TLB_HEAVY_SCRIPT,
  WALK_SCRIPT,
  WALK_SPEEDS,
  walkGrid,
  type MemoryWalkConfig,
} from '../../../../src/features/simulator/memory-controller';
import { fakeScheduler } from './fake-scheduler';

const make = (config: Partial<MemoryWalkConfig> = {}) => new MemoryController({ scheduler: fakeScheduler(), config });

describe('MemoryController', () => {
  it.each([
    [4, 4, 24],
    [4, 3, 19],
    [3, 3, 15],
    [2, 2, 8],
  ])('nested %i×%i: the first access reveals %i walk references one step at a time, then the data', (n, m, walk) => {
    const c = make({ mode: 'nested', guestLevels: n, hostLevels: m });
    expect(c.snapshot.accessIndex).toBe(-1);
    c.step();
    expect(c.snapshot.accessIndex).toBe(0);
    expect(c.snapshot.revealed).toBe(1);
    for (let i = 1; i < walk; i++) c.step();
    expect(c.snapshot.walkRevealed).toBe(walk);
    expect(c.snapshot.expectedWalk).toBe(walk);
    c.step(); // the data word itself
    expect(c.snapshot.revealed).toBe(walk + 1);
    expect(c.snapshot.grid.cells.every((cell) => cell.revealed)).toBe(true);
    expect(c.snapshot.grid.rows * c.snapshot.grid.cols).toBe(walk + 1);
    c.step(); // next access: same page, a TLB hit
    expect(c.snapshot.accessIndex).toBe(1);
    expect(c.snapshot.result?.tlbHit).toBe(true);
    expect(c.snapshot.walkRevealed).toBe(0);
  });

  it('shadow paging: short walks, but page-table writes and switches trap', () => {
    const c = make({ mode: 'shadow', guestLevels: 4, hostLevels: 4 });
    const traps: string[] = [];
    let last = -1;
    for (let i = 0; i < 200 && c.snapshot.status !== 'finished'; i++) {
      c.step();
      if (c.snapshot.accessIndex !== last) {
        last = c.snapshot.accessIndex;
        traps.push(...(c.snapshot.result?.traps ?? []));
      }
    }
    expect(c.snapshot.status).toBe('finished');
    expect(traps).toContain('shadow-fill');
    expect(traps).toContain('shadow-sync');
    expect(traps.filter((t) => t === 'ptb-switch')).toHaveLength(2);
    expect(c.snapshot.counters.accesses).toBe(WALK_SCRIPT.length);
  });

  it('runs on the frame clock, pauses, and resets', () => {
    const scheduler = fakeScheduler();
    const c = new MemoryController({ scheduler, speedIndex: WALK_SPEEDS.indexOf(20) });
    c.run();
    for (let i = 0; i < 30; i++) scheduler.frame(1000 / 60);
    const revealed = c.snapshot.revealed;
    expect(revealed).toBeGreaterThanOrEqual(9);
    expect(revealed).toBeLessThanOrEqual(11);
    c.pause();
    scheduler.frame();
    expect(c.snapshot.revealed).toBe(revealed);
    c.reset();
    expect(c.snapshot.accessIndex).toBe(-1);
    expect(c.snapshot.counters.accesses).toBe(0);
  });

  it('with the page-walk caches on, a later miss shows the skipped references as cached cells', () => {
    const c = make({ mode: 'nested', guestLevels: 4, hostLevels: 4, walkCaches: true });
    for (let i = 0; i < 26; i++) c.step(); // the first access (24 + data), then the TLB hit
    while (c.snapshot.accessIndex < 2) c.step(); // page 3: a miss next to page 2
    expect(c.snapshot.result?.tlbHit).toBe(false);
    expect(c.snapshot.cachedCount).toBe(19);
    const cached = c.snapshot.grid.cells.filter((cell) => cell.cached);
    expect(cached).toHaveLength(19);
    expect(cached.every((cell) => cell.revealed && cell.order === 0)).toBe(true);
    // Every grid position is either made or saved: still the 5 × 5 walk.
    expect(new Set(c.snapshot.grid.cells.map((cell) => `${cell.row}:${cell.col}`)).size).toBe(25);
    c.configure({ walkCaches: false });
    while (c.snapshot.accessIndex < 2) c.step();
    expect(c.snapshot.cachedCount).toBe(0);
  });

  it('the TLB-heavy script with stable page tables: shadow paging wins, nested paging walks under 24 per miss', () => {
    const c = make({ mode: 'nested', script: 'tlb-heavy' });
    expect(c.snapshot.scriptLength).toBe(TLB_HEAVY_SCRIPT.length);
    const [, shadow, nested] = c.snapshot.modes;
    expect(shadow?.cycles).toBeLessThan(nested?.cycles ?? 0);
    expect(nested?.refsPerMiss).toBeLessThan(24);
    c.configure({ script: 'walk' });
    const [, shadowWalk, nestedWalk] = c.snapshot.modes;
    expect(nestedWalk?.cycles).toBeLessThan(shadowWalk?.cycles ?? 0);
  });

  it('changing the depth starts over and updates the expected count', () => {
    const c = make({ mode: 'nested' });
    c.step();
    c.configure({ guestLevels: 3, hostLevels: 3 });
    expect(c.snapshot.accessIndex).toBe(-1);
    expect(c.snapshot.expectedWalk).toBe(walkReferenceCount('nested', 3, 3));
  });
});

describe('walkGrid', () => {
  it('places the nested walk on an (n+1)×(m+1) grid', () => {
    const refs = [
      { kind: 'host-table', level: 0, forGuestLevel: 0, frame: 1 },
      { kind: 'host-table', level: 1, forGuestLevel: 0, frame: 2 },
      { kind: 'guest-table', level: 0, frame: 3 },
      { kind: 'host-table', level: 0, forGuestLevel: 1, frame: 4 },
      { kind: 'host-table', level: 1, forGuestLevel: 1, frame: 5 },
      { kind: 'data', level: 0, frame: 6 },
    ] as const;
    const g = walkGrid('nested', 1, 2, refs, 2);
    expect([g.rows, g.cols]).toEqual([2, 3]);
    expect(g.cells.map((c) => [c.row, c.col, c.order, c.revealed])).toEqual([
      [0, 0, 1, true],
      [0, 1, 2, true],
      [0, 2, 3, false],
      [1, 0, 4, false],
      [1, 1, 5, false],
      [1, 2, 6, false],
    ]);
  });

  it('places a shadow walk on one row', () => {
    const g = walkGrid(
      'shadow',
      2,
      4,
      [
        { kind: 'shadow-table', level: 0, frame: 1 },
        { kind: 'shadow-table', level: 1, frame: 2 },
        { kind: 'data', level: 0, frame: 3 },
      ],
      3,
    );
    expect([g.rows, g.cols]).toEqual([1, 3]);
    expect(g.cells.map((c) => c.col)).toEqual([0, 1, 2]);
  });
});

describe('modeTotals', () => {
  it('measures the script in each mode: nested walks more, shadow traps more', () => {
    const [native, shadow, nested] = modeTotals(4, 4);
    expect(native?.traps).toBe(0);
    expect(nested?.traps).toBe(0);
    expect(shadow?.traps).toBeGreaterThan(3);
    expect(nested?.walkReferences).toBeGreaterThan(shadow?.walkReferences ?? Infinity);
    expect(nested?.walkReferences).toBeGreaterThan(native?.walkReferences ?? Infinity);
  });
});
