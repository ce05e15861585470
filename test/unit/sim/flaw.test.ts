import { describe, expect, it } from 'vitest';
import { guest } from '../../../src/sim/guests/index.ts';
import { diffArch, FLAG_IF } from '../../../src/sim/machine/index.ts';
import { architecturalState, init, run, step, type Session, type StrategyName } from '../../../src/sim/strategies/index.ts';
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
    // Nothing trapped for POPF: the monitor never saw it.
    expect(tae.counters.traps['interrupt-flag']).toBe(tae.counters.emulated - countNonFlagEmulations(tae));
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

/** Emulations on the classic machine that are not EI/DI (I/O, IRET, control registers, HLT). */
function countNonFlagEmulations(s: Session): number {
  const t = s.counters.traps;
  return t.io + t['trap-return'] + t['control-register'] + t.halt + t['page-table'];
}
