import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleOrThrow } from '../../../src/sim/asm/index.ts';
import { guest, GUEST_IDS } from '../../../src/sim/programs/index.ts';
import { diffArch, STOP_RUNNING, type MachineVariant } from '../../../src/sim/machine/index.ts';
import {
  architecturalState,
  init,
  run,
  STRATEGIES,
  withHwPreset,
  type SessionParams,
} from '../../../src/sim/strategies/index.ts';
import { randomGuestSource } from './helpers/randomProgram.ts';

const BUDGET = 200_000;

function finalState(params: SessionParams) {
  const s = init(params);
  run(s, BUDGET);
  return s;
}

describe('every strategy ends in the same architectural state as native', () => {
  for (const variant of ['classic', 'fixed'] as const) {
    for (const id of GUEST_IDS) {
      // Small sizes keep the suite fast; the default sizes run in the benchmark. os-mix and
      // fork count time slices and forks, each hundreds of instructions.
      const g = guest(id, { iterations: id === 'os-mix' || id === 'fork' ? 20 : 300, packets: 20 });
      // The one exception (trap-and-emulate of the POPF demo on the classic machine) has its own test.
      const strategies = STRATEGIES.filter((s) => g.avoidsFlaw || variant === 'fixed' || s !== 'trap-and-emulate');
      it.each(strategies)(`${variant} machine, ${id}: %s`, (strategy) => {
        const native = finalState({ program: g.program, strategy: 'native', variant });
        expect(native.cpu.stop).not.toBe(STOP_RUNNING);
        const other = finalState({ program: g.program, strategy, variant });
        expect(diffArch(architecturalState(native), architecturalState(other))).toEqual([]);
      });
    }
  }

  const property = (variant: MachineVariant) => () => {
    fc.assert(
      fc.property(randomGuestSource(variant), (source) => {
        const program = assembleOrThrow(source);
        const native = finalState({ program, strategy: 'native', variant });
        // The generator only makes terminating programs; if this fails, the generator is wrong.
        expect(native.cpu.stop, 'program did not stop').not.toBe(STOP_RUNNING);
        const expected = architecturalState(native);
        // Hardware assist three times: as configured by default (modern, EPT), with every guest
        // exception exiting, and as the 2006 VT-x with shadow paging (page-table writes exit).
        const runs: SessionParams[] = [
          ...STRATEGIES.map((strategy) => ({ program, strategy, variant })),
          { program, strategy: 'hardware-assisted', variant, exitControls: { exceptionBitmap: 0x6000 } },
          { program, strategy: 'hardware-assisted', variant, ...withHwPreset('vtx-2006') },
        ];
        for (const params of runs) {
          const strategy = params.strategy;
          const other = finalState(params);
          const diff = diffArch(expected, architecturalState(other));
          if (diff.length > 0) {
            throw new Error(`${strategy} differs from native: ${JSON.stringify(diff)}\n--- program ---\n${source}`);
          }
        }
      }),
      { numRuns: 150, seed: 20240611 },
    );
  };
  it('random programs that avoid the flaw (classic machine)', property('classic'), 20_000);
  it('random programs, POPF included (fixed machine)', property('fixed'), 20_000);
});

describe('the equivalence check can fail', () => {
  it('notices a single changed register', () => {
    const program = assembleOrThrow('LI r1, 5\nHLT');
    const a = finalState({ program, strategy: 'native' });
    const b = finalState({ program, strategy: 'emulation' });
    b.cpu.regs[1] = 6;
    expect(diffArch(architecturalState(a), architecturalState(b))).toEqual([{ field: 'regs[1]', expected: 5, actual: 6 }]);
  });
});
