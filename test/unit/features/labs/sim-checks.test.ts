import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CpuController, SPEEDS } from '../../../../src/features/simulator/cpu-controller';
import { evaluateSimCheck, exitsUnderHardwareAssist } from '../../../../src/features/labs/sim-checks';
import { observeCpu } from '../../../../src/features/labs/sim-observation';
import { fakeScheduler } from '../simulator/fake-scheduler';

/** The real simulator controller, as the lab page runs it (cpu-flaw: with the native reference). */
function simulator(options: Partial<ConstructorParameters<typeof CpuController>[0]> = {}) {
  const scheduler = fakeScheduler();
  const c = new CpuController({ locale: 'id', scheduler, yieldFn: () => Promise.resolve(), reference: true, ...options });
  const runToEnd = () => {
    c.setSpeed(SPEEDS.length - 1);
    c.run();
    for (let i = 0; i < 500 && c.snapshot.status === 'running'; i++) scheduler.frame();
  };
  return { c, runToEnd, seen: () => observeCpu(c.snapshot) };
}

const flaw = { guest: 'popf-flaw' };
const THREE_OUTS = 'LI r1, 72\nOUT CONSOLE, r1\nLI r1, 105\nOUT CONSOLE, r1\nLI r1, 10\nOUT CONSOLE, r1\nHLT\n';

describe('lab 07: trap-and-emulate breaks on POPF', () => {
  it('flaw-diverges: fails before running, passes once the guest differs from native', () => {
    const { c, runToEnd, seen } = simulator({ guestId: 'popf-flaw', strategy: 'trap-and-emulate', variant: 'classic' });
    expect(evaluateSimCheck('flaw-diverges', flaw, seen()).passed).toBe(false);
    runToEnd();
    expect(evaluateSimCheck('flaw-diverges', flaw, seen())).toEqual({ passed: true, missing: [] });
    expect(c.snapshot.reference?.divergence?.afterText).toMatch(/POPF/);
  });

  it('flaw-diverges: a strategy that handles POPF never diverges, so it fails', () => {
    const { runToEnd, seen } = simulator({ guestId: 'popf-flaw', strategy: 'binary-translation', variant: 'classic' });
    runToEnd();
    const verdict = evaluateSimCheck('flaw-diverges', flaw, seen());
    expect(verdict.passed).toBe(false);
    expect(verdict.missing[0]?.en).toMatch(/trap-and-emulate/);
  });

  it('stopped-at-divergence: passes only when stepped exactly to the first difference', () => {
    const { c, seen } = simulator({ guestId: 'popf-flaw', strategy: 'trap-and-emulate', variant: 'classic' });
    while (c.snapshot.reference?.divergence == null) c.step();
    expect(evaluateSimCheck('stopped-at-divergence', flaw, seen()).passed).toBe(true);
    c.step();
    expect(evaluateSimCheck('stopped-at-divergence', flaw, seen()).passed).toBe(false);
  });

  it.each(['binary-translation', 'paravirtualization', 'hardware-assisted'] as const)('flaw-fixed: %s fixes it', (strategy) => {
    const { runToEnd, seen } = simulator({ guestId: 'popf-flaw', strategy, variant: 'classic' });
    expect(evaluateSimCheck('flaw-fixed', flaw, seen()).passed).toBe(false); // not run yet
    runToEnd();
    expect(evaluateSimCheck('flaw-fixed', flaw, seen()).passed).toBe(true);
  });

  it('flaw-fixed: trap-and-emulate, or the fixed machine instead of a strategy, does not count', () => {
    const tae = simulator({ guestId: 'popf-flaw', strategy: 'trap-and-emulate', variant: 'classic' });
    tae.runToEnd();
    expect(evaluateSimCheck('flaw-fixed', flaw, tae.seen()).passed).toBe(false);
    const fixedMachine = simulator({ guestId: 'popf-flaw', strategy: 'trap-and-emulate', variant: 'fixed' });
    fixedMachine.runToEnd();
    expect(evaluateSimCheck('flaw-fixed', flaw, fixedMachine.seen()).missing[0]?.en).toMatch(/classic/);
  });
});

describe('lab 08: count the VM exits', () => {
  it('the model gives the lab program 4 exits (three OUT, one HLT)', () => {
    expect(exitsUnderHardwareAssist(THREE_OUTS)).toBe(4);
  });

  it('predict-exits: the right number passes; property: every other answer fails', () => {
    const { seen } = simulator();
    expect(evaluateSimCheck('predict-exits', { program: THREE_OUTS }, seen(), ' 4 ').passed).toBe(true);
    fc.assert(
      fc.property(fc.string(), (answer) => {
        fc.pre(answer.trim() !== '4' && answer.trim() !== '04' && answer.trim() !== '004');
        expect(evaluateSimCheck('predict-exits', { program: THREE_OUTS }, seen(), answer).passed).toBe(false);
      }),
    );
  });

  it('ran-program: the same program (other spacing and comments) run to its end under hardware assist', () => {
    const { c, runToEnd, seen } = simulator({
      strategy: 'hardware-assisted',
      source: '; mine\n' + THREE_OUTS.replaceAll(', ', ',  '),
    });
    expect(evaluateSimCheck('ran-program', { program: THREE_OUTS }, seen()).passed).toBe(false);
    runToEnd();
    expect(evaluateSimCheck('ran-program', { program: THREE_OUTS }, seen()).passed).toBe(true);
    c.setStrategy('native');
    runToEnd();
    expect(evaluateSimCheck('ran-program', { program: THREE_OUTS }, seen()).passed).toBe(false);
  });

  it('program-with-exits: exactly N exits passes; one more or one less fails and says how many', () => {
    const two = simulator({ strategy: 'hardware-assisted', source: 'LI r1, 65\nOUT CONSOLE, r1\nHLT\n' });
    two.runToEnd();
    expect(evaluateSimCheck('program-with-exits', { exits: 2 }, two.seen()).passed).toBe(true);
    const verdict = evaluateSimCheck('program-with-exits', { exits: 3 }, two.seen());
    expect(verdict.passed).toBe(false);
    expect(verdict.missing[0]?.en).toBe('Your program makes 2 VM exits, not 3.');
    expect(verdict.missing[0]?.id).toBe('Programmu menghasilkan 2 VM exit, bukan 3.');
  });

  it('program-with-exits: an example program does not count, nor an unfinished run', () => {
    const example = simulator({ guestId: 'cpu-bound', strategy: 'hardware-assisted' });
    example.runToEnd();
    expect(evaluateSimCheck('program-with-exits', { exits: example.seen().exits }, example.seen()).passed).toBe(false);
    const unrun = simulator({ strategy: 'hardware-assisted', source: 'LI r1, 65\nOUT CONSOLE, r1\nHLT\n' });
    expect(evaluateSimCheck('program-with-exits', { exits: 2 }, unrun.seen()).passed).toBe(false);
  });
});
