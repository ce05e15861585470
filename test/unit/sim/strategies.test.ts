import { describe, expect, it } from 'vitest';
import { assembleOrThrow } from '../../../src/sim/asm/index.ts';
import { guest, nanobenchProgram, type GuestId } from '../../../src/sim/programs/index.ts';
import { diffArch, STOP_RUNNING } from '../../../src/sim/machine/index.ts';
import {
  architecturalState,
  DEFAULT_COSTS,
  exceptionBitmap,
  init,
  resolveCosts,
  run,
  step,
  STRATEGIES,
  translationCache,
  type Session,
  type SessionParams,
  type StrategyName,
  type TraceEvent,
} from '../../../src/sim/strategies/index.ts';

function finished(params: SessionParams): Session {
  const s = init(params);
  run(s, 2_000_000);
  expect(s.cpu.stop, 'guest did not finish').not.toBe(STOP_RUNNING);
  return s;
}

function events(params: SessionParams, steps: number): TraceEvent[] {
  let s = init(params);
  const out: TraceEvent[] = [];
  for (let i = 0; i < steps; i++) {
    const r = step(s);
    s = r.state;
    out.push(...r.events);
  }
  return out;
}

const brief = (e: TraceEvent) => `${e.lane} ${e.kind} ${e.text}${e.reason === undefined ? '' : ` (${e.reason})`}`;

describe('trace events for a timeline', () => {
  const kernelDi = assembleOrThrow('LI r1, 1\nDI\nHLT');

  it.each<[StrategyName, string[]]>([
    ['native', ['guest-kernel guest LI r1, 1', 'guest-kernel guest DI', 'guest-kernel guest HLT', 'hardware stop STOP']],
    [
      'emulation',
      ['guest-kernel interpret LI r1, 1', 'guest-kernel interpret DI', 'guest-kernel interpret HLT', 'hardware stop STOP'],
    ],
    [
      'trap-and-emulate',
      [
        'guest-kernel guest LI r1, 1',
        'monitor trap DI (interrupt-flag)',
        'monitor emulate DI',
        'monitor trap HLT (halt)',
        'monitor emulate HLT',
        'hardware stop STOP',
      ],
    ],
    [
      'binary-translation',
      [
        'monitor translate LI r1, 1',
        'guest-kernel translated LI r1, 1',
        'guest-kernel emulate DI',
        'monitor translate HLT',
        'monitor emulate HLT (halt)',
        'hardware stop STOP',
      ],
    ],
    [
      'paravirtualization',
      [
        'guest-kernel guest LI r1, 1',
        // The paravirtualized guest: DI became VDI, HLT became VMCALL BLOCK.
        'guest-kernel shared-info VDI',
        'monitor hypercall VMCALL BLOCK (halt)',
        'monitor emulate VMCALL BLOCK',
        'hardware stop STOP',
      ],
    ],
    [
      'hardware-assisted',
      [
        'guest-kernel guest LI r1, 1',
        'guest-kernel guest DI',
        'monitor exit HLT (hlt)',
        'monitor emulate HLT',
        'hardware stop STOP',
      ],
    ],
  ])('%s', (strategy, expected) => {
    expect(events({ program: kernelDi, strategy }, 6).map(brief)).toEqual(expected);
  });

  it('places events back to back on the cycle axis', () => {
    const trace = events({ program: guest('tiny-kernel', { iterations: 20 }).program, strategy: 'trap-and-emulate' }, 200);
    for (let i = 1; i < trace.length; i++) {
      const prev = trace[i - 1];
      const cur = trace[i];
      if (prev === undefined || cur === undefined) continue;
      expect(cur.at).toBe(prev.at + prev.cycles);
    }
  });

  it('tags hardware-assist exits with Intel exit-reason numbers', () => {
    const trace = events({ program: assembleOrThrow('LI r1, 65\nOUT CONSOLE, r1\nHLT'), strategy: 'hardware-assisted' }, 4);
    expect(trace.filter((e) => e.kind === 'exit').map((e) => [e.reason, e.exitCode])).toEqual([
      ['io-instruction', 30],
      ['hlt', 12],
    ]);
  });

  it('reflects a user system call through the monitor under trap-and-emulate', () => {
    const trace = events({ program: guest('syscall-heavy', { iterations: 1 }).program, strategy: 'trap-and-emulate' }, 400);
    const i = trace.findIndex((e) => e.reason === 'syscall');
    expect(trace.slice(i, i + 2).map(brief)).toEqual(['monitor trap SYSCALL 2 (syscall)', 'monitor reflect SYSCALL 2 (syscall)']);
  });
});

describe('step() and run() agree', () => {
  it.each(STRATEGIES)('%s: same final state and counters', (strategy) => {
    const program = guest('tiny-kernel', { iterations: 40, timerPeriod: 37 }).program;
    const batch = finished({ program, strategy });
    let s = init({ program, strategy });
    for (let i = 0; i < 5000 && s.cpu.stop === STOP_RUNNING; i++) s = step(s).state;
    expect(diffArch(architecturalState(batch), architecturalState(s))).toEqual([]);
    expect(s.counters).toEqual(batch.counters);
  });

  it('leaves the input state untouched', () => {
    const s0 = init({ program: guest('tiny-kernel').program, strategy: 'binary-translation' });
    step(s0);
    expect(s0.cpu.retired).toBe(0);
    expect(s0.counters.cycles).toBe(0);
    expect(s0.bt.size).toBe(0);
  });

  it('run() in chunks equals one run()', () => {
    const program = guest('cpu-bound', { iterations: 2000, timerPeriod: 333 }).program;
    for (const strategy of STRATEGIES) {
      const whole = finished({ program, strategy });
      const chunked = init({ program, strategy });
      while (chunked.cpu.stop === STOP_RUNNING) run(chunked, 97);
      expect(chunked.counters, strategy).toEqual(whole.counters);
    }
  });
});

describe('cost model', () => {
  it('native cycles: an ordinary instruction costs one; device access, CLI/STI, CR3 loads, traps and IRET what the CPU charges', () => {
    const src = 'LI r6, h\nMTCR VEC, r6\nDI\nEI\nLI r1, 3072\nLPTB r1\nIN r2, CONSOLE\nSYSCALL 1\nHLT\nh: IRET';
    const s = finished({ program: assembleOrThrow(src), strategy: 'native' });
    const c = DEFAULT_COSTS;
    expect(s.counters.instructions).toBe(10);
    expect(s.counters.cycles).toBe(
      5 * c.nativeInstruction + // LI, MTCR, LI, SYSCALL, HLT
        2 * c.nativeInterruptFlag + // DI, EI
        c.nativePtbLoad +
        c.nativeDeviceAccess +
        c.nativeTrap +
        c.nativeIret,
    );
  });

  it('one device model for every strategy: a trap, callout or exit adds only its own transition', () => {
    const program = assembleOrThrow('IN r1, CONSOLE\nHLT');
    const extra = (strategy: StrategyName) => {
      const base = finished({ program, strategy });
      const dearer = finished({ program, strategy, costs: { deviceEmulation: DEFAULT_COSTS.deviceEmulation + 1000 } });
      return dearer.counters.cycles - base.counters.cycles;
    };
    for (const strategy of STRATEGIES) expect(extra(strategy), strategy).toBe(strategy === 'native' ? 0 : 1000);
  });

  it.each(STRATEGIES)('%s: the breakdown sums to the total', (strategy) => {
    const s = finished({ program: guest('tiny-kernel').program, strategy });
    const by = s.counters.cyclesBy;
    expect(by.guest + by.monitor + by.transition + by.translation + by.idle).toBe(s.counters.cycles);
  });

  it('an edited cost changes the total by exactly count × change', () => {
    const program = guest('io-heavy', { packets: 10 }).program;
    const base = finished({ program, strategy: 'hardware-assisted' });
    const dearer = finished({
      program,
      strategy: 'hardware-assisted',
      costs: { vmExitRoundTrip: DEFAULT_COSTS.vmExitRoundTrip + 100 },
    });
    const exits = Object.values(base.counters.exits).reduce((a, b) => a + b, 0);
    expect(exits).toBeGreaterThan(0);
    expect(dearer.counters.cycles - base.counters.cycles).toBe(100 * exits);
  });

  it('rejects negative or missing numbers', () => {
    expect(() => resolveCosts({ trapRoundTrip: -1 })).toThrow(RangeError);
    expect(() => resolveCosts({ hypercall: Number.NaN })).toThrow(RangeError);
    expect(resolveCosts({ hypercall: 7 }).hypercall).toBe(7);
  });

  // The story the lessons tell, as checks on the default costs.
  const cycles = (id: GuestId, strategy: StrategyName) =>
    finished({ program: guest(id, { iterations: id === 'cpu-bound' ? 20_000 : 400, packets: 20 }).program, strategy }).counters
      .cycles;

  it('CPU-bound: direct execution is near native, emulation is tens of times slower', () => {
    const native = cycles('cpu-bound', 'native');
    expect(cycles('cpu-bound', 'hardware-assisted') / native).toBeLessThan(2);
    expect(cycles('cpu-bound', 'emulation') / native).toBeGreaterThan(20);
  });

  it('os-mix (lesson 3): emulation is the slowest way; the direct-execution strategies come close to native', () => {
    const mix = (strategy: StrategyName) =>
      finished({ program: guest('os-mix', { iterations: 30 }).program, strategy }).counters.cycles;
    const native = mix('native');
    const slowdowns = STRATEGIES.map((s) => mix(s) / native);
    expect(Math.max(...slowdowns)).toBe(mix('emulation') / native);
    expect(mix('emulation') / native).toBeGreaterThan(20);
    expect(mix('hardware-assisted') / native).toBeLessThan(1.1);
    expect(mix('paravirtualization') / native).toBeLessThan(2);
  });

  it('syscall-heavy: hardware assist beats binary translation, which beats trap-and-emulate', () => {
    expect(cycles('syscall-heavy', 'hardware-assisted')).toBeLessThan(cycles('syscall-heavy', 'binary-translation'));
    expect(cycles('syscall-heavy', 'binary-translation')).toBeLessThan(cycles('syscall-heavy', 'trap-and-emulate'));
  });

  it('I/O-heavy: paravirtual rings beat exits and traps', () => {
    const pv = cycles('io-heavy', 'paravirtualization');
    expect(pv).toBeLessThan(cycles('io-heavy', 'hardware-assisted'));
    expect(pv).toBeLessThan(cycles('io-heavy', 'trap-and-emulate'));
  });

  it('privileged-heavy: binary translation beats trap-and-emulate (Adams & Agesen)', () => {
    expect(cycles('privileged-heavy', 'binary-translation')).toBeLessThan(cycles('privileged-heavy', 'trap-and-emulate'));
  });

  it('emulation pays for building and unwinding trap frames in software', () => {
    const base = finished({ program: guest('syscall-heavy', { iterations: 100 }).program, strategy: 'emulation' });
    const dearer = finished({
      program: guest('syscall-heavy', { iterations: 100 }).program,
      strategy: 'emulation',
      costs: { emulatedTrap: DEFAULT_COSTS.emulatedTrap + 1 },
    });
    // Each of the 101 system calls: one trap entry and one IRET.
    expect(dearer.counters.cycles - base.counters.cycles).toBe(2 * 101);
  });
});

describe('binary translation', () => {
  // Kernel code: binary translation translates only the guest kernel.
  const program = assembleOrThrow(
    'LI r2, 5000\nloop: ADDI r1, r1, 3\nXOR r3, r3, r1\nCALL f\nADDI r2, r2, -1\nCMPI r2, 0\nJNZ loop\nHLT\nf: ADDI r4, r4, 1\nRET',
  );

  it('translates each block once and then hits the cache or a chained branch', () => {
    const s = finished({ program, strategy: 'binary-translation' });
    const c = s.counters;
    expect(c.cacheMisses).toBe(c.translations);
    expect(c.translations).toBe(translationCache(s).length);
    expect(c.cacheHits).toBeGreaterThan(4000); // every RET looks its target up
    expect(c.chainedTransfers).toBeGreaterThan(4000); // CALL f and the back edge are chained
    expect(c.translations).toBeLessThan(10);
  });

  it('runs guest user code by direct execution and translates only kernel code [AA06]', () => {
    const s = finished({ program: guest('cpu-bound', { iterations: 5000 }).program, strategy: 'binary-translation' });
    expect(s.counters.instructions).toBeGreaterThan(50_000);
    expect(s.counters.translatedInstructions).toBeLessThan(100);
    expect(translationCache(s).every((b) => b.mode === 0)).toBe(true);
  });

  it('adaptive translation: the first page-table write faults, then the store is a callout [AA06]', () => {
    const s = finished({ program: nanobenchProgram('ptemod', 300), strategy: 'binary-translation' });
    expect(s.counters.traps['page-table']).toBe(1);
    expect(s.bt.adaptive.size).toBe(1);
    expect(s.counters.emulated).toBeGreaterThanOrEqual(299);
    const store = [...s.bt.adaptive][0] ?? -1;
    expect(translationCache(s).some((b) => b.callout && b.start === store)).toBe(true);
  });

  it('without chaining, every block transfer is a lookup', () => {
    const chained = finished({ program, strategy: 'binary-translation' });
    const unchained = finished({ program, strategy: 'binary-translation', bt: { chaining: false } });
    expect(unchained.counters.cacheHits).toBeGreaterThan(chained.counters.cacheHits);
    expect(unchained.counters.cycles).toBeGreaterThan(chained.counters.cycles);
  });

  it('compiled blocks and the interpreter fallback give identical results and counters', () => {
    const compiled = finished({ program, strategy: 'binary-translation' });
    const interpreted = finished({ program, strategy: 'binary-translation', bt: { compile: 'interpret' } });
    expect(translationCache(compiled).every((b) => b.callout || b.compiled)).toBe(true);
    expect(translationCache(interpreted).some((b) => b.compiled)).toBe(false);
    expect(architecturalState(interpreted)).toEqual(architecturalState(compiled));
    expect(interpreted.counters).toEqual(compiled.counters);
  });

  it('a tiny cache flushes and retranslates but computes the same thing', () => {
    const big = finished({ program: guest('tiny-kernel').program, strategy: 'binary-translation' });
    const tiny = finished({ program: guest('tiny-kernel').program, strategy: 'binary-translation', bt: { cacheCapacity: 3 } });
    expect(tiny.bt.flushes).toBeGreaterThan(0);
    expect(tiny.counters.translations).toBeGreaterThan(big.counters.translations);
    expect(architecturalState(tiny)).toEqual(architecturalState(big));
  });

  it('rewrites kernel EI/DI inline instead of trapping', () => {
    const s = finished({ program: guest('privileged-heavy', { iterations: 50 }).program, strategy: 'binary-translation' });
    expect(s.counters.inlineSensitive).toBeGreaterThanOrEqual(100);
    expect(s.counters.traps['interrupt-flag']).toBe(0);
  });

  it('shows the generated code', () => {
    const s = finished({
      program: assembleOrThrow('loop: ADDI r1, r1, 1\nCMPI r1, 10\nJLT loop\nHLT'),
      strategy: 'binary-translation',
    });
    const [loop] = translationCache(s);
    expect(loop?.selfLoop).toBe(true);
    expect(loop?.source).toContain('r[1] = (r[1] + 1) | 0;');
    expect(loop?.source).toContain('for (;;)');
  });

  it('rejects nonsense options', () => {
    expect(() => init({ program, strategy: 'binary-translation', bt: { maxBlockLength: 0 } })).toThrow(RangeError);
  });
});

describe('paravirtualization', () => {
  const program = guest('io-heavy', { packets: 10, wordsPerPacket: 32 }).program;

  it('queues console and NIC output in a ring and notifies once per batch', () => {
    const s = finished({ program, strategy: 'paravirtualization', pvBatchSize: 16 });
    const c = s.counters;
    expect(c.ringRequests).toBe(10 * 32 + 10 + '[exit]\n'.length);
    expect(c.sharedInfoAccesses).toBeGreaterThan(0);
    expect(c.traps['interrupt-flag']).toBe(0);
    const bigger = finished({ program, strategy: 'paravirtualization', pvBatchSize: 64 });
    expect(bigger.counters.hypercalls).toBeLessThan(c.hypercalls);
    expect(bigger.counters.cycles).toBeLessThan(c.cycles);
  });

  it('a system call never enters the hypervisor: the fast trap handler in, a direct IRET out [Xen03]', () => {
    const trace = events({ program: guest('syscall-heavy', { iterations: 3 }).program, strategy: 'paravirtualization' }, 400);
    const first = trace.findIndex((e) => e.reason === 'syscall');
    expect(trace[first]).toMatchObject({ lane: 'hardware', kind: 'trap', cycles: DEFAULT_COSTS.nativeTrap });
    const back = trace.findIndex((e, i) => i > first && e.text === 'VIRET');
    expect(trace[back]).toMatchObject({ kind: 'shared-info', lane: 'guest-kernel' });
    expect(trace.slice(first, back + 1).filter((e) => e.lane === 'monitor')).toEqual([]);
  });

  it('batches page-table updates: one mmu_update hypercall per batch [Xen03]', () => {
    const s = finished({ program: guest('fork', { iterations: 4 }).program, strategy: 'paravirtualization', pvBatchSize: 8 });
    const trace = events(
      { program: guest('fork', { iterations: 1 }).program, strategy: 'paravirtualization', pvBatchSize: 8 },
      3000,
    );
    // A fork fills 16 entries and clears 16: four full batches of 8.
    expect(trace.filter((e) => e.kind === 'hypercall' && e.text === 'mmu_update')).toHaveLength(4);
    expect(s.counters.traps['page-table']).toBe(0);
  });
});

describe('hardware assist: exits only for configured events', () => {
  const program = guest('privileged-heavy', { iterations: 100, timerPeriod: 50 }).program;

  it('with defaults (modern, EPT), DI/EI and LPTB run in the guest; every timer tick exits', () => {
    const s = finished({ program, strategy: 'hardware-assisted' });
    expect(s.counters.exits['cr-access']).toBe(0);
    expect(s.counters.exits['external-interrupt']).toBe(s.cpu.ticks);
    expect(s.cpu.ticks).toBeGreaterThan(10);
    // DI, EI and LPTB cost what they cost natively: with HLT and port I/O not exiting, the
    // guest's own cycles are the native run's.
    const direct = finished({ program, strategy: 'hardware-assisted', exitControls: { hltExiting: false, ioExiting: false } });
    expect(direct.counters.cyclesBy.guest).toBe(finished({ program, strategy: 'native' }).counters.cyclesBy.guest);
  });

  it('CR3-load exiting (shadow paging) adds an exit per LPTB', () => {
    const s = finished({ program, strategy: 'hardware-assisted', exitControls: { ptbLoadExiting: true } });
    expect(s.counters.exits['cr-access']).toBe(100);
  });

  it('without I/O exiting, port I/O runs without exits (and pays the real device)', () => {
    const io = guest('io-heavy', { packets: 5 }).program;
    const s = finished({ program: io, strategy: 'hardware-assisted', exitControls: { ioExiting: false, hltExiting: false } });
    expect(s.counters.exits['io-instruction']).toBe(0);
    expect(s.counters.cycles).toBe(finished({ program: io, strategy: 'native' }).counters.cycles);
  });

  it('without nested paging (shadow paging), every page-table write exits as a #PF [AA06]', () => {
    const ptemod = nanobenchProgram('ptemod', 50);
    const shadow = finished({ program: ptemod, strategy: 'hardware-assisted', exitControls: { nestedPaging: false } });
    expect(shadow.counters.exits.exception).toBe(50);
    expect(shadow.counters.exits['cr-access']).toBe(1); // its LPTB: CR3-load exiting is implied
    const exit = events({ program: ptemod, strategy: 'hardware-assisted', exitControls: { nestedPaging: false } }, 20).find(
      (e) => e.kind === 'exit' && e.reason === 'exception',
    );
    expect(exit).toMatchObject({ exitCode: 0, text: '#PF' });
    const ept = finished({ program: ptemod, strategy: 'hardware-assisted' });
    expect(ept.counters.exits.exception + ept.counters.exits['cr-access']).toBe(0);
  });

  it('without external-interrupt exiting, ticks go through the guest’s IDT without exits', () => {
    const s = finished({ program, strategy: 'hardware-assisted', exitControls: { externalInterruptExiting: false } });
    expect(s.counters.exits['external-interrupt']).toBe(0);
    expect(s.counters.interrupts).toBeGreaterThan(0);
  });

  it('a tick that arrives with IF off waits for an interrupt-window exit', () => {
    // The tick fires inside the DI section; EI then opens the window.
    const src = 'LI r6, h\nMTCR VEC, r6\nLI r1, 5\nOUT TIMER, r1\nDI\nNOP\nNOP\nNOP\nNOP\nNOP\nNOP\nEI\nNOP\nDI\nHLT\nh: IRET';
    const s = finished({ program: assembleOrThrow(src), strategy: 'hardware-assisted' });
    expect(s.counters.exits['interrupt-window']).toBe(1);
    // The second tick finds IF on (after the handler's IRET) and is injected at once.
    expect(s.counters.interrupts).toBe(2);
    expect(s.counters.exits['external-interrupt']).toBe(2);
  });

  describe('the exception bitmap', () => {
    // A user program that touches a bad address (#PF) and runs a privileged instruction (#GP); the
    // kernel's handler skips each faulting instruction.
    const src = [
      'LI r6, h\nMTCR VEC, r6\nLI r6, u\nMTCR EPC, r6\nLI r6, 1\nMTCR STATUS, r6\nIRET',
      'u: LD r1, [9999]\nDI\nLD r2, [9998]\nSYSCALL 0',
      'h: MFCR r6, CAUSE\nCMPI r6, 2\nJZ done\nMFCR r6, EPC\nADDI r6, r6, 1\nMTCR EPC, r6\nIRET',
      'done: HLT',
    ].join('\n');
    const program = assembleOrThrow(src);

    it('without bits, guest exceptions go to the guest handler without an exit', () => {
      const s = finished({ program, strategy: 'hardware-assisted' });
      expect(s.counters.traps.fault).toBe(3);
      expect(s.counters.exits.exception).toBe(0);
    });

    it.each([
      [exceptionBitmap(['page-fault']), 2, '#PF'],
      [exceptionBitmap(['general-protection']), 1, '#GP'],
      [exceptionBitmap(['page-fault', 'general-protection']), 3, '#PF'],
    ])('bitmap %i: %i exits with reason 0, and the guest still handles each fault', (bitmap, exits, text) => {
      const s = finished({ program, strategy: 'hardware-assisted', exitControls: { exceptionBitmap: bitmap } });
      expect(s.counters.exits.exception).toBe(exits);
      expect(s.counters.traps.fault).toBe(3);
      const native = finished({ program, strategy: 'native' });
      expect(diffArch(architecturalState(native), architecturalState(s))).toEqual([]);
      const exit = events({ program, strategy: 'hardware-assisted', exitControls: { exceptionBitmap: bitmap } }, 40).find(
        (e) => e.kind === 'exit',
      );
      expect(exit).toMatchObject({ reason: 'exception', exitCode: 0, text });
    });

    it('sets the bit of each vector (#GP 13, #PF 14)', () => {
      expect(exceptionBitmap(['general-protection'])).toBe(1 << 13);
      expect(exceptionBitmap(['page-fault', 'general-protection'])).toBe(0x6000);
    });
  });

  it('guest system calls never exit', () => {
    const s = finished({ program: guest('syscall-heavy', { iterations: 100 }).program, strategy: 'hardware-assisted' });
    expect(s.counters.traps.syscall).toBe(101); // 100 getpid() + exit
    expect(s.counters.exits.vmcall).toBe(0);
  });
});
