import { describe, expect, it } from 'vitest';
import { guest, GUEST_IDS } from '../../../../src/sim/programs/index.ts';
import { init, run, STRATEGIES, type StrategyName } from '../../../../src/sim/strategies/index.ts';
import { CpuController, cpuDifferences, SPEEDS, type CpuSnapshot } from '../../../../src/features/simulator/cpu-controller';
import { fakeScheduler } from './fake-scheduler';

const noYield = () => Promise.resolve();

function controller(options: Partial<ConstructorParameters<typeof CpuController>[0]> = {}) {
  const scheduler = fakeScheduler();
  const c = new CpuController({ locale: 'id', scheduler, yieldFn: noYield, ...options });
  const seen: CpuSnapshot[] = [];
  c.subscribe((s) => seen.push(s));
  return { c, scheduler, seen };
}

describe('CpuController', () => {
  it('steps one instruction at a time with a trace and counters', () => {
    const { c } = controller({ guestId: 'tiny-kernel', strategy: 'trap-and-emulate' });
    expect(c.snapshot.status).toBe('ready');
    expect(c.snapshot.counters.instructions).toBe(0);
    c.step();
    expect(c.snapshot.counters.instructions).toBe(1);
    expect(c.snapshot.status).toBe('paused');
    expect(c.snapshot.events.length).toBeGreaterThan(0);
    expect(c.snapshot.events[0]?.event.lane).toBe('guest-kernel');
    // The second instruction of the tiny kernel is MTCR VEC: privileged, so it traps.
    c.step();
    const kinds = c.snapshot.events.map((e) => e.event.kind);
    expect(kinds).toContain('trap');
    expect(c.snapshot.counters.traps['control-register']).toBe(1);
    expect(c.snapshot.actor).toBe('monitor');
  });

  it('matches the model exactly: stepping and running give the counters of a plain run', () => {
    const { c, scheduler } = controller({ guestId: 'tiny-kernel', strategy: 'binary-translation' });
    c.setSpeed(SPEEDS.length - 1);
    c.run();
    for (let i = 0; i < 500 && c.snapshot.status === 'running'; i++) scheduler.frame();
    expect(c.snapshot.status).toBe('finished');
    const plain = init({ program: guest('tiny-kernel').program, strategy: 'binary-translation' });
    run(plain, 10_000_000);
    expect(c.snapshot.counters).toEqual(plain.counters);
    expect(c.snapshot.console).toContain('[exit]');
    expect(c.snapshot.stop).toBe('halted');
  });

  it('runs at the chosen speed and pauses', () => {
    const { c, scheduler } = controller({ guestId: 'tiny-kernel', speedIndex: SPEEDS.indexOf(100) });
    c.run();
    expect(c.snapshot.status).toBe('running');
    for (let i = 0; i < 60; i++) scheduler.frame(1000 / 60);
    const n = c.snapshot.counters.instructions;
    expect(n).toBeGreaterThanOrEqual(95);
    expect(n).toBeLessThanOrEqual(105);
    c.pause();
    expect(c.snapshot.status).toBe('paused');
    scheduler.frame();
    expect(c.snapshot.counters.instructions).toBe(n);
  });

  it('reset goes back to the first instruction with the same settings', () => {
    const { c } = controller({ guestId: 'popf-flaw', strategy: 'hardware-assisted', variant: 'fixed' });
    for (let i = 0; i < 10; i++) c.step();
    c.reset();
    const s = c.snapshot;
    expect(s.counters.instructions).toBe(0);
    expect(s.events).toEqual([]);
    expect(s.config.strategy).toBe('hardware-assisted');
    expect(s.config.variant).toBe('fixed');
    expect(s.current?.pc).toBe(0);
  });

  it('shows assembler errors in the page language and refuses to run', () => {
    const id = controller({ locale: 'id' }).c;
    id.setSource('LI r1, 5\nHLTX\n');
    expect(id.snapshot.status).toBe('invalid');
    expect(id.snapshot.errors).toEqual([
      { line: 2, column: 1, message: expect.stringMatching(/^Baris 2, kolom 1: instruksi 'HLTX' tidak dikenal/) as string },
    ]);
    id.step();
    id.run();
    expect(id.snapshot.status).toBe('invalid');
    const en = controller({ locale: 'en' }).c;
    en.setSource('LI r1,\n');
    expect(en.snapshot.errors[0]?.message).toMatch(/^Line 1, column 7: expected a/);
    en.setSource('LI r1, 5\nHLT\n');
    expect(en.snapshot.status).toBe('ready');
    expect(en.snapshot.config.guestId).toBeNull();
  });

  it('keeps only the most recent events, contiguous on the cycle axis', () => {
    const { c } = controller({ guestId: 'io-heavy', strategy: 'trap-and-emulate', maxEvents: 50 });
    for (let i = 0; i < 200; i++) c.step();
    const events = c.snapshot.events;
    expect(events).toHaveLength(50);
    for (let i = 1; i < events.length; i++) {
      const prev = events[i - 1]?.event;
      const e = events[i]?.event;
      expect(e?.at).toBe((prev?.at ?? 0) + (prev?.cycles ?? 0));
      expect(events[i]?.seq).toBe((events[i - 1]?.seq ?? 0) + 1);
    }
  });

  it('a cost change is applied to the model', () => {
    const { c } = controller({ guestId: 'tiny-kernel', strategy: 'trap-and-emulate' });
    c.step();
    c.step(); // MTCR traps: trapRoundTrip is charged
    const before = c.snapshot.counters.cycles;
    c.setCost('trapRoundTrip', 5000);
    expect(c.snapshot.counters.instructions).toBe(0);
    c.step();
    c.step();
    expect(c.snapshot.counters.cycles - before).toBe(3500);
    c.setCost('trapRoundTrip', -1); // ignored
    expect(c.snapshot.config.costs.trapRoundTrip).toBe(5000);
    c.resetCosts();
    expect(c.snapshot.config.costs.trapRoundTrip).toBe(1500);
  });
});

describe('strategy-specific views and settings', () => {
  it('under paravirtualization, shows the modified guest beside the original, and only then', () => {
    const { c } = controller({ guestId: 'tiny-kernel', strategy: 'trap-and-emulate' });
    expect(c.snapshot.pvListing).toBeNull();
    c.setStrategy('paravirtualization');
    const listing = c.snapshot.pvListing;
    expect(listing?.original).toContain('IRET');
    expect(listing?.modified).toContain('VIRET');
    expect(listing?.original).toHaveLength(guest('tiny-kernel').program.length);
    expect(listing?.changed).toBe(listing?.modified.filter((t, i) => t !== listing.original[i]).length);
    expect(listing?.changed).toBeGreaterThan(5);
    // The session runs what the listing shows.
    c.step();
    c.step();
    expect(c.snapshot.current?.text).toBe(listing?.modified[c.snapshot.current?.pc ?? -1]);
    c.setStrategy('native');
    expect(c.snapshot.pvListing).toBeNull();
  });

  it('hardware-assist generations: a preset sets the exit controls and exit costs; restoring costs keeps it', () => {
    const { c } = controller({ guestId: 'fork', strategy: 'hardware-assisted' });
    expect(c.snapshot.hwPreset).toBe('modern-ept');
    expect(c.snapshot.config.exitControls.nestedPaging).toBe(true);
    c.setHwPreset('vtx-2006');
    expect(c.snapshot.hwPreset).toBe('vtx-2006');
    expect(c.snapshot.config.costs.vmExitRoundTrip).toBe(2400);
    expect(c.snapshot.config.exitControls).toMatchObject({ nestedPaging: false, ptbLoadExiting: true });
    for (let i = 0; i < 3000; i++) c.step();
    // The fork guest's page-table writes exit under shadow paging.
    expect(c.snapshot.counters.exits.exception).toBeGreaterThan(0);
    c.setCost('trapRoundTrip', 10);
    c.resetCosts();
    expect(c.snapshot.config.costs.vmExitRoundTrip).toBe(2400);
    expect(c.snapshot.defaultCosts.vmExitRoundTrip).toBe(2400);
    c.setExitControl('nestedPaging', true);
    expect(c.snapshot.hwPreset).toBeNull();
    c.setHwPreset('modern-ept');
    expect(c.snapshot.config.costs.vmExitRoundTrip).toBe(400);
    expect(c.snapshot.config.costs.trapRoundTrip).toBe(1500);
  });

  it('exit controls and the exception bitmap reach the model (and restart it)', () => {
    const { c, scheduler } = controller({ guestId: 'syscall-heavy', strategy: 'hardware-assisted' });
    const finish = () => {
      c.setSpeed(SPEEDS.length - 1);
      c.run();
      for (let i = 0; i < 500 && c.snapshot.status === 'running'; i++) scheduler.frame();
      return c.snapshot.counters;
    };
    const before = finish();
    expect(before.exits['hlt']).toBeGreaterThan(0);
    c.setExitControl('hltExiting', false);
    expect(c.snapshot.config.exitControls.hltExiting).toBe(false);
    expect(c.snapshot.counters.instructions).toBe(0);
    expect(finish().exits['hlt']).toBe(0);
    c.setExceptionExiting('general-protection', true);
    expect(c.snapshot.config.exitControls.exceptionBitmap).toBe(1 << 13);
    c.setExceptionExiting('page-fault', true);
    c.setExceptionExiting('general-protection', false);
    expect(c.snapshot.config.exitControls.exceptionBitmap).toBe(1 << 14);
  });
});

describe('the native reference in lockstep (the POPF flaw)', () => {
  function runToEnd(c: CpuController, scheduler: ReturnType<typeof fakeScheduler>) {
    c.setSpeed(SPEEDS.length - 1);
    c.run();
    for (let i = 0; i < 2000 && c.snapshot.status === 'running'; i++) scheduler.frame();
  }

  it('classic machine, trap-and-emulate: finds the first POPF that leaves IF off, and fewer ticks reach the kernel', () => {
    const { c, scheduler } = controller({
      guestId: 'popf-flaw',
      strategy: 'trap-and-emulate',
      variant: 'classic',
      reference: true,
    });
    runToEnd(c, scheduler);
    const ref = c.snapshot.reference;
    expect(ref?.divergence?.afterText).toBe('POPF');
    expect(ref?.divergence?.fields).toContain('IF');
    expect(ref?.interrupts).toBeGreaterThan(50);
    expect(c.snapshot.counters.interrupts).toBeLessThan(3);
  });

  it('finds the same first divergence whether stepped or run', () => {
    const a = controller({ guestId: 'popf-flaw', strategy: 'trap-and-emulate', reference: true });
    for (let i = 0; i < 40 && a.c.snapshot.reference?.divergence === null; i++) a.c.step();
    const stepped = a.c.snapshot.reference?.divergence;
    const b = controller({ guestId: 'popf-flaw', strategy: 'trap-and-emulate', reference: true });
    runToEnd(b.c, b.scheduler);
    expect(stepped).not.toBeNull();
    expect(b.c.snapshot.reference?.divergence).toEqual(stepped);
  });

  it('fixed machine: POPF traps, no divergence', () => {
    const { c, scheduler } = controller({
      guestId: 'popf-flaw',
      strategy: 'trap-and-emulate',
      variant: 'fixed',
      reference: true,
    });
    runToEnd(c, scheduler);
    expect(c.snapshot.status).toBe('finished');
    expect(c.snapshot.reference?.divergence).toBeNull();
    expect(c.snapshot.counters.interrupts).toBe(c.snapshot.reference?.interrupts);
  });

  it.each(GUEST_IDS.filter((id) => id !== 'popf-flaw').flatMap((id) => STRATEGIES.map((s) => [id, s] as const)))(
    '%s under %s never diverges from native (no false alarms)',
    (id, strategy: StrategyName) => {
      const { c, scheduler } = controller({ guestId: id, strategy, reference: true, compareLimit: 300_000 });
      c.setSpeed(SPEEDS.indexOf(100_000));
      c.run();
      for (let i = 0; i < 120 && c.snapshot.status === 'running'; i++) scheduler.frame();
      expect(c.snapshot.counters.instructions).toBeGreaterThan(1000);
      expect(c.snapshot.reference?.divergence).toBeNull();
    },
  );
});

describe('cpuDifferences', () => {
  it('names the differing fields, memory last', () => {
    const a = init({ program: guest('tiny-kernel').program, strategy: 'native' }).cpu;
    const b = init({ program: guest('tiny-kernel').program, strategy: 'native' }).cpu;
    expect(cpuDifferences(a, b, true)).toEqual([]);
    b.flags |= 4;
    b.regs[3] = 9;
    b.mem[256] = 1;
    expect(cpuDifferences(a, b, true)).toEqual(['IF', 'r3', 'memory[256]']);
    expect(cpuDifferences(a, b, false)).toEqual(['IF', 'r3']);
  });
});

describe('comparison of all strategies', () => {
  it('measures every strategy on the current program and reacts to the cost model', async () => {
    const { c } = controller({ guestId: 'privileged-heavy' });
    await c.compare();
    const rows = c.snapshot.comparison.rows;
    // Hardware assist is measured as both CPU generations.
    expect(rows.map((r) => r.key)).toEqual([
      ...STRATEGIES.filter((s) => s !== 'hardware-assisted'),
      'hardware-assisted:vtx-2006',
      'hardware-assisted:modern-ept',
    ]);
    expect(rows[0]?.slowdown).toBe(1);
    const tae = rows.find((r) => r.strategy === 'trap-and-emulate');
    expect(tae?.slowdown).toBeGreaterThan(10);
    expect(rows.every((r) => r.matchesNative === true)).toBe(true);
    c.setCost('trapRoundTrip', 100);
    expect(c.snapshot.comparison.status).toBe('idle');
    await c.compare();
    const cheaper = c.snapshot.comparison.rows.find((r) => r.strategy === 'trap-and-emulate');
    expect(cheaper?.slowdown).toBeLessThan(tae?.slowdown ?? 0);
  });

  it('lesson 3’s default guest: emulation is the slowest way; VT-x 2006 loses to binary translation, modern hardware assist is near native', async () => {
    const { c } = controller({ guestId: 'os-mix' });
    await c.compare();
    const rows = c.snapshot.comparison.rows;
    const slowdown = (key: string) => rows.find((r) => r.key === key)?.slowdown ?? Number.NaN;
    expect(Math.max(...rows.map((r) => r.slowdown))).toBe(slowdown('emulation'));
    expect(slowdown('hardware-assisted:vtx-2006')).toBeGreaterThan(slowdown('binary-translation'));
    expect(slowdown('hardware-assisted:modern-ept')).toBeLessThan(slowdown('paravirtualization'));
    expect(slowdown('hardware-assisted:modern-ept')).toBeLessThan(1.1);
    expect(rows.every((r) => r.matchesNative === true)).toBe(true);
  });

  it('the learner’s own hardware-assist settings get a row of their own', async () => {
    const { c } = controller({ guestId: 'privileged-heavy' });
    c.setCost('vmExitRoundTrip', 5000);
    expect(c.snapshot.hwPreset).toBeNull();
    await c.compare();
    const keys = c.snapshot.comparison.rows.map((r) => r.key);
    expect(keys).toContain('hardware-assisted:custom');
    expect(keys).toContain('hardware-assisted:vtx-2006');
  });

  it('shows the POPF flaw as a result that differs from native', async () => {
    const { c } = controller({ guestId: 'popf-flaw', variant: 'classic' });
    await c.compare();
    const byKey = new Map(c.snapshot.comparison.rows.map((r) => [r.key, r]));
    expect(byKey.get('trap-and-emulate')?.matchesNative).toBe(false);
    expect(byKey.get('hardware-assisted:vtx-2006')?.matchesNative).toBe(true);
    expect(byKey.get('hardware-assisted:modern-ept')?.matchesNative).toBe(true);
  });
});
