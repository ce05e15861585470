import { describe, expect, it } from 'vitest';
import { guest } from '../../../src/sim/programs/index.ts';
import { diffArch, FLAG_IF } from '../../../src/sim/machine/index.ts';
import {
  architecturalState,
  init,
  isStopped,
  run,
  step,
  type Session,
  type StrategyName,
} from '../../../src/sim/strategies/index.ts';
import type { MachineVariant } from '../../../src/sim/machine/index.ts';

const demo = guest('popf-flaw');
const TICKS_SEEN = 1024; // where the demo kernel stores the ticks its handler counted

function finished(strategy: StrategyName, variant: MachineVariant): Session {
  const s = init({ program: demo.program, strategy, variant });
  run(s, 1_000_000);
  return s;
}

describe('Popek–Goldberg: the POPF flaw', () => {
  it('trap-and-emulate on the classic machine silently loses IF, so the guest kernel stops seeing timer ticks', () => {
    const native = finished('native', 'classic');
    const tae = finished('trap-and-emulate', 'classic');
    const diff = diffArch(architecturalState(native), architecturalState(tae), 100);
    expect(diff.length).toBeGreaterThan(0);
    const seenNative = native.cpu.mem[TICKS_SEEN] ?? 0;
    const seenTae = tae.cpu.mem[TICKS_SEEN] ?? 0;
    expect(diff).toContainEqual({ field: `memory[${TICKS_SEEN}]`, expected: seenNative, actual: seenTae });
    expect(seenNative).toBeGreaterThan(50);
    expect(seenTae).toBeLessThan(3);
  });

  it('on the classic machine POPF never reaches the monitor: it runs directly, and only EI/DI trap', () => {
    let s = init({ program: demo.program, strategy: 'trap-and-emulate', variant: 'classic' });
    const popf: string[] = [];
    const flagTraps: string[] = [];
    for (let i = 0; i < 100_000 && !isStopped(s); i++) {
      const r = step(s);
      s = r.state;
      for (const e of r.events) {
        if (e.text === 'POPF') popf.push(e.kind);
        if (e.reason === 'interrupt-flag' && e.kind === 'trap') flagTraps.push(e.text);
      }
    }
    expect(isStopped(s)).toBe(true);
    // Each of the 300 loop iterations executes POPF once, directly in the guest.
    expect(popf).toEqual(Array.from({ length: 300 }, () => 'guest'));
    // The boot EI, one DI per iteration and the DI before the final HLT: POPF is not among them.
    expect(flagTraps.filter((t) => t === 'POPF')).toEqual([]);
    expect(flagTraps).toHaveLength(2 + 300);
    expect(s.counters.traps['interrupt-flag']).toBe(2 + 300);
  });

  it('the divergence starts at the first POPF: natively it turns IF back on, deprivileged it does not', () => {
    const ifAfterFirstPopf = (strategy: StrategyName): number => {
      let s = init({ program: demo.program, strategy, variant: 'classic' });
      for (let i = 0; i < 200; i++) {
        const r = step(s);
        s = r.state;
        if (r.events.some((e) => e.text === 'POPF' && (e.kind === 'guest' || e.kind === 'emulate'))) return s.cpu.flags & FLAG_IF;
      }
      throw new Error('no POPF reached');
    };
    expect(ifAfterFirstPopf('native')).toBe(FLAG_IF);
    expect(ifAfterFirstPopf('trap-and-emulate')).toBe(0);
  });

  it('the fixed machine traps POPF, the monitor emulates it, and the states agree', () => {
    const native = finished('native', 'fixed');
    const tae = finished('trap-and-emulate', 'fixed');
    expect(diffArch(architecturalState(native), architecturalState(tae))).toEqual([]);
    // PUSHF is unprivileged; DI and POPF trap once per loop iteration each, plus the
    // boot EI and the DI before the final HLT.
    expect(tae.counters.traps['interrupt-flag']).toBe(2 * 300 + 2);
  });

  it.each(['binary-translation', 'paravirtualization', 'hardware-assisted'] as const)(
    '%s agrees with native even on the classic machine',
    (strategy) => {
      const native = finished('native', 'classic');
      const other = finished(strategy, 'classic');
      expect(diffArch(architecturalState(native), architecturalState(other))).toEqual([]);
    },
  );
});
