/**
 * The published orderings the simulator must reproduce, each with its source. If
 * a cost or an engine drifts so that the model tells the opposite story, one of
 * these fails. The programs are the nanobenchmark guests in src/sim/programs
 * (the same ones `npm run bench:sim` prints as `calibration`).
 *
 * [AA06] K. Adams, O. Agesen, ASPLOS 2006, nanobenchmarks on a Pentium 4 672.
 * [Xen03] P. Barham et al., SOSP 2003.
 * [Bhargava08] R. Bhargava et al., "Accelerating Two-Dimensional Page Walks for
 *   Virtualized Systems", ASPLOS 2008.
 */
import { describe, expect, it } from 'vitest';
import { cpuBoundSlowdown, nanobenchCyclesPerOp, nestedAvgRefsPerMiss, SLOWDOWN_TARGETS } from '../../../src/sim/calibration.ts';
import { guest } from '../../../src/sim/programs/index.ts';
import { init as initMemory, runAccesses, tlbHeavyStable, pageTableWalkDemo } from '../../../src/sim/memory/index.ts';
import { init, run } from '../../../src/sim/strategies/index.ts';

const op = nanobenchCyclesPerOp;

describe('Adams & Agesen 2006: software vs hardware virtualization, per operation', () => {
  it('binary translation beats native on `in`, by about 15× (a device model instead of a real port) [AA06]', () => {
    const native = op('in', 'native');
    const bt = op('in', 'bt');
    expect(bt).toBeLessThan(native / 10);
    expect(bt).toBeGreaterThan(native / 20);
  });

  it('binary translation beats native on masking interrupts (cr8wr; here DI/EI, rewritten inline) [AA06]', () => {
    expect(op('cr8wr', 'bt')).toBeLessThan(op('cr8wr', 'native'));
  });

  it('hardware assist runs system calls at native speed; binary translation pays about 10× [AA06: 242 / 2,308 / 246]', () => {
    const native = op('syscall', 'native');
    expect(op('syscall', 'hw2006')).toBe(native);
    expect(op('syscall', 'hwModern')).toBe(native);
    expect(op('syscall', 'bt') / native).toBeGreaterThan(7);
    expect(op('syscall', 'bt') / native).toBeLessThan(13);
  });

  it('VT-x 2006 loses to binary translation on ptemod by an order of magnitude [AA06: 391 vs 12,733]', () => {
    const bt = op('ptemod', 'bt');
    const hw = op('ptemod', 'hw2006');
    expect(hw / bt).toBeGreaterThan(10);
    expect(bt).toBeGreaterThan(300);
    expect(bt).toBeLessThan(500);
    expect(hw).toBeGreaterThan(10_000);
    expect(hw).toBeLessThan(15_000);
    // Nested paging removes the exits: a page-table write is a store again.
    expect(op('ptemod', 'hwModern')).toBe(op('ptemod', 'native'));
  });

  it('page faults order native < BT < VT-x 2006 [AA06: 1,093 / 3,927 / 11,242]', () => {
    const native = op('pgfault', 'native');
    const bt = op('pgfault', 'bt');
    const hw = op('pgfault', 'hw2006');
    expect(native).toBeLessThan(bt);
    expect(bt).toBeLessThan(hw);
    expect(bt / native).toBeGreaterThan(2.5);
    expect(bt / native).toBeLessThan(5);
    expect(hw / native).toBeGreaterThan(8);
    // Modern hardware with nested paging leaves page faults to the guest.
    expect(op('pgfault', 'hwModern')).toBe(native);
  });

  it('exceptions go straight to the guest under VT-x (empty bitmap), through the VMM under BT [AA06: divzero]', () => {
    const native = op('divzero', 'native');
    expect(op('divzero', 'hw2006')).toBe(native);
    expect(op('divzero', 'bt')).toBeGreaterThan(2 * native);
  });

  it('call/return costs binary translation extra (a translation-cache lookup per return), not hardware assist [AA06]', () => {
    const native = op('callret', 'native');
    expect(op('callret', 'bt')).toBeGreaterThan(2 * native);
    expect(op('callret', 'hw2006')).toBe(native);
  });

  it('a CPU-bound guest runs within a few percent of native under every strategy but emulation [AA06, Xen03]', () => {
    const slowdown = cpuBoundSlowdown();
    for (const target of SLOWDOWN_TARGETS.filter((t) => t !== 'emulation')) {
      expect(slowdown[target], target).toBeGreaterThan(0.97);
      expect(slowdown[target], target).toBeLessThan(1.05);
    }
    expect(slowdown.emulation).toBeGreaterThan(20);
  });
});

describe('Xen 2003: paravirtualized system calls stay near native', () => {
  it('a PV system call never enters the hypervisor (fast handler in, direct IRET out) [Xen03]', () => {
    const program = guest('syscall-heavy').program;
    const cycles = (strategy: 'native' | 'paravirtualization' | 'binary-translation') => {
      const s = init({ program, strategy });
      run(s, 10_000_000);
      return s;
    };
    const native = cycles('native').counters.cycles;
    const pv = cycles('paravirtualization');
    expect(pv.counters.cycles / native).toBeLessThan(1.1);
    expect(pv.counters.cycles).toBeLessThan(cycles('binary-translation').counters.cycles);
    // Only the boot and the exit message make hypercalls, not the 5,000 system calls.
    expect(pv.counters.hypercalls).toBeLessThan(10);
  });
});

describe('Bhargava 2008: page-walk caches recover most of the two-dimensional walk', () => {
  it('the average nested walk stays under 24 references with the caches on (24 without) [Bhargava08]', () => {
    expect(nestedAvgRefsPerMiss()).toBeLessThan(12);
    const uncached = initMemory({ mode: 'nested', guestLevels: 4, hostLevels: 4, bitsPerLevel: 3 });
    const c = runAccesses(uncached, tlbHeavyStable({ pageWords: 16 }));
    expect(c.walkReferences / c.tlbMisses).toBe(24);
  });

  const cycles = (mode: 'shadow' | 'nested', script: ReturnType<typeof tlbHeavyStable>) =>
    runAccesses(initMemory({ mode, guestLevels: 4, hostLevels: 4, bitsPerLevel: 3, walkCaches: true }), script).cycles;

  it('with stable page tables and many TLB misses, shadow paging wins; when page tables change, nested paging wins', () => {
    const tlbHeavy = tlbHeavyStable({ pageWords: 16 });
    expect(cycles('shadow', tlbHeavy)).toBeLessThan(cycles('nested', tlbHeavy));
    const changing = pageTableWalkDemo(16);
    expect(cycles('nested', changing)).toBeLessThan(cycles('shadow', changing));
  });
});
