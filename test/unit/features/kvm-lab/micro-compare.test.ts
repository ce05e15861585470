/**
 * The comparison table KVM | QEMU TCG | v86 and the order its columns run in, in both languages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kvmLabText } from '../../../../src/features/kvm-lab/strings';
import type { MicroRunResultMessage } from '../../../../src/features/kvm-lab/micro-bridge';
import {
  compareView,
  formatFactor,
  fromBridgeResult,
  fromV86Timing,
  IDLE_COMPARE,
  relativeSpeed,
  runComparison,
  type CompareEngine,
  type CompareStates,
} from '../../../../src/features/kvm-lab/micro-compare';

const kvmResult: MicroRunResultMessage = {
  type: 'micro-run-result',
  accel: 'kvm',
  program: 'out-loop',
  engine: 'kvm_pvm',
  timer: 'kvm-run-loop',
  runs: [
    { iterations: 20_000, microseconds: 140_000, exits: 20_001 },
    { iterations: 200_000, microseconds: 1_400_000, exits: 200_001 },
  ],
  nsPerIteration: 7000,
  consoleText: '',
  exits: { total: 200_001, counts: { io: 200_000, hlt: 1 }, microsecondsPerExit: 7 },
};
const tcgResult: MicroRunResultMessage = {
  ...kvmResult,
  accel: 'tcg',
  engine: 'QEMU 7.2.22',
  timer: 'vcpu-thread-runnable',
  runs: [
    { iterations: 20_000, microseconds: 1400, exits: null },
    { iterations: 200_000, microseconds: 9800, exits: null },
  ],
  nsPerIteration: 46.7,
  exits: null,
};
const v86Timing = {
  runs: [
    { iterations: 20_000, microseconds: 18_000, instructions: 60_026, consoleText: '' },
    { iterations: 200_000, microseconds: 45_000, instructions: 600_026, consoleText: '' },
  ],
  nsPerIteration: 150,
};

const done: CompareStates = {
  kvm: { state: 'done', measurement: fromBridgeResult(kvmResult) },
  tcg: { state: 'done', measurement: fromBridgeResult(tcgResult) },
  v86: { state: 'done', measurement: fromV86Timing(v86Timing) },
};

const row = (states: CompareStates, id: string, locale: 'id' | 'en' = 'en', connected = true): string[] =>
  compareView(states, kvmLabText(locale), locale, connected).rows.find((r) => r.id === id)?.cells ?? [];

describe('compareView', () => {
  it('three columns in order, one per engine', () => {
    const view = compareView(done, kvmLabText('en'), 'en', true);
    expect(view.columns.map((c) => [c.id, c.heading, c.state])).toEqual([
      ['kvm', 'KVM', 'done'],
      ['tcg', 'QEMU TCG', 'done'],
      ['v86', 'v86 (in this page)', 'done'],
    ]);
    expect(view.rows.map((r) => r.id)).toEqual(['time', 'ratio', 'exits', 'note']);
  });

  it('time per iteration, and the speed next to KVM in words, in each language’s number style', () => {
    expect(row(done, 'time')).toEqual(['7,000 ns', '46.7 ns', '150 ns']);
    expect(row(done, 'time', 'id')).toEqual(['7.000 ns', '46,7 ns', '150 ns']);
    // TCG and v86 run this loop faster than (this software) KVM: it must read that way round.
    expect(row(done, 'ratio')).toEqual(['reference', '150× faster', '47× faster']);
    expect(row(done, 'ratio', 'id')).toEqual(['acuan', '150× lebih cepat', '47× lebih cepat']);
    const view = compareView(done, kvmLabText('id'), 'id', true);
    expect(view.rows.find((r) => r.id === 'ratio')?.label).toBe('Dibanding KVM');
  });

  it('a time per iteration that came out zero or negative (noise larger than the difference) is said to be unmeasurable, not printed', () => {
    const noisy: CompareStates = {
      ...done,
      v86: { state: 'done', measurement: { ...fromV86Timing(v86Timing), nsPerIteration: -131.1 } },
    };
    expect(row(noisy, 'time', 'id')[2]).toBe(kvmLabText('id')['kvm.compare.noisy']);
    expect(row(noisy, 'ratio', 'id')).toEqual(['acuan', '150× lebih cepat', '—']);
  });

  it('compares with TCG when KVM did not run, and says slower the right way round', () => {
    const noKvm: CompareStates = { ...done, kvm: { state: 'unavailable', reason: 'No permission to open /dev/kvm.' } };
    expect(row(noKvm, 'ratio')).toEqual(['—', 'reference', '3.2× slower']);
    expect(compareView(noKvm, kvmLabText('en'), 'en', true).rows.find((r) => r.id === 'ratio')?.label).toBe(
      'Compared with QEMU TCG',
    );
  });

  it('a column skipped for want of a bridge says so only while none is connected', () => {
    const alone: CompareStates = { kvm: { state: 'no-bridge' }, tcg: { state: 'no-bridge' }, v86: done.v86 };
    const text = kvmLabText('id');
    const before = compareView(alone, text, 'id', false);
    expect(before.columns.map((c) => c.state)).toEqual(['unavailable', 'unavailable', 'done']);
    expect(row(alone, 'note', 'id', false).slice(0, 2)).toEqual([
      text['kvm.compare.notConnected'],
      text['kvm.compare.notConnected'],
    ]);
    // The bridge connects after the table was computed: nothing says "not connected" any more.
    const after = compareView(alone, text, 'id', true);
    expect(after.columns.map((c) => c.state)).toEqual(['idle', 'idle', 'done']);
    expect(JSON.stringify(after)).not.toContain(text['kvm.compare.notConnected']);
    expect(row(alone, 'time', 'id', true).slice(0, 2)).toEqual(['—', '—']);
  });

  it('exits: real counts for KVM, none (and why) for the emulators', () => {
    expect(row(done, 'exits')).toEqual([
      '200,001 exits at N = 200,000 (io 200,000, hlt 1); 7 µs per exit',
      'none: every instruction is emulated in software',
      'none: every instruction is emulated in software',
    ]);
    expect(row(done, 'exits', 'id')[1]).toBe('tidak ada: setiap instruksi diemulasikan di perangkat lunak');
  });

  it('says what each engine measured', () => {
    const notes = row(done, 'note');
    expect(notes[0]).toBe('Time of the KVM_RUN loop until the HLT exit (module kvm_pvm).');
    expect(notes[1]).toContain('QEMU 7.2.22');
    expect(notes[1]).toContain('schedstat');
    expect(notes[2]).toContain('600,026 guest instructions at N = 200,000');
  });

  it('columns that did not run show their state, and a reason when unavailable', () => {
    const states: CompareStates = {
      kvm: { state: 'unavailable', reason: 'No permission to open /dev/kvm.' },
      tcg: { state: 'running' },
      v86: { state: 'waiting' },
    };
    expect(row(states, 'time')).toEqual(['Not available', 'Running…', 'Waiting its turn…']);
    expect(row(states, 'note')).toEqual(['No permission to open /dev/kvm.', '—', '—']);
    // With one time only there is nothing to compare it with.
    expect(row({ ...IDLE_COMPARE, v86: done.v86 }, 'ratio')).toEqual(['—', '—', '—']);
  });

  it.each([
    [248.6, 'id', '250'],
    [21.4, 'id', '21'],
    [1.55, 'id', '1,6'],
    [1.04, 'en', '1.04'],
    [1.004, 'id', '1,004'],
    [1.0001, 'en', '1.0001'],
    [1_234_567, 'id', '1.200.000'],
  ] as const)('formatFactor(%d, %s) = %s', (value, locale, expected) => expect(formatFactor(value, locale)).toBe(expected));
});

describe('relativeSpeed', () => {
  const en = kvmLabText('en');
  const id = kvmLabText('id');
  it.each([
    [46.7, 7000, 'en', '150× faster'],
    [7000, 46.7, 'en', '150× slower'],
    [28, 7000, 'id', '250× lebih cepat'],
    [100, 104, 'en', '1.04× faster'],
    [104, 100, 'id', '1,04× lebih lambat'],
    [5, 5, 'id', 'sama cepat'],
  ] as const)('%d ns next to %d ns (%s): %s', (ns, ref, locale, expected) =>
    expect(relativeSpeed(ns, ref, kvmLabText(locale), locale)).toBe(expected),
  );

  it('has nothing to say without two positive times', () => {
    for (const [ns, ref] of [
      [null, 5],
      [5, null],
      [0, 5],
      [5, 0],
      [-1, 5],
      [Number.NaN, 5],
      [5, Number.POSITIVE_INFINITY],
    ] as const)
      expect(relativeSpeed(ns, ref, en, 'en')).toBeNull();
  });

  /** The factor printed in a text, read back in the text's locale. */
  const factorIn = (text: string, locale: 'id' | 'en'): number => {
    const digits = /^([\d.,]+)×/.exec(text)?.[1] ?? 'NaN';
    return Number(locale === 'id' ? digits.replace(/\./g, '').replace(',', '.') : digits.replace(/,/g, ''));
  };

  it('never reads backwards: a shorter time is faster, never slower, and the factor printed is above 1 and close to the true one', () => {
    // Times from a picosecond to a second, as ratios near 1 and huge ratios both.
    const time = fc.double({ min: 1e-3, max: 1e9, noNaN: true, noDefaultInfinity: true });
    const nearby = fc.tuple(time, fc.double({ min: -1e-6, max: 1e-6, noNaN: true })).map(([t, d]) => [t, t * (1 + d)] as const);
    fc.assert(
      fc.property(fc.oneof(fc.tuple(time, time), nearby), fc.constantFrom('id' as const, 'en' as const), ([a, b], locale) => {
        const text = locale === 'id' ? id : en;
        const said = relativeSpeed(a, b, text, locale) ?? '';
        if (a === b) {
          expect(said).toBe(text['kvm.compare.same']);
          return;
        }
        // The words after the factor: 'faster' / 'lebih cepat' and 'slower' / 'lebih lambat'.
        const words = (key: 'kvm.compare.faster' | 'kvm.compare.slower') => text[key].replace('{ratio}×', '').trim();
        const [right, wrong] =
          a < b
            ? (['kvm.compare.faster', 'kvm.compare.slower'] as const)
            : (['kvm.compare.slower', 'kvm.compare.faster'] as const);
        expect(said).toMatch(new RegExp(`^[\\d.,]+× ${words(right)}$`));
        expect(said).not.toContain(words(wrong));
        const factor = Math.max(a, b) / Math.min(a, b);
        const printed = factorIn(said, locale);
        expect(printed).toBeGreaterThan(1);
        expect(Math.abs(printed - factor) / factor).toBeLessThan(0.05);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('runComparison', () => {
  it('with a bridge: KVM, then TCG, then v86, one at a time; a refused column says why', async () => {
    const order: string[] = [];
    const seen: [CompareEngine | null, string][] = [];
    const final = await runComparison(
      {
        bridge: (accel) => {
          order.push(accel);
          return Promise.resolve(
            accel === 'kvm'
              ? { ok: false, key: 'kvm-permission-denied', params: { path: '/dev/kvm' } }
              : { ok: true, result: tcgResult },
          );
        },
        v86: () => {
          order.push('v86');
          return Promise.resolve(v86Timing);
        },
      },
      kvmLabText('en'),
      'en',
      (states, running) => seen.push([running, `${states.kvm.state}/${states.tcg.state}/${states.v86.state}`]),
    );
    expect(order).toEqual(['kvm', 'tcg', 'v86']);
    expect(seen[0]).toEqual([null, 'waiting/waiting/waiting']);
    expect(seen).toContainEqual(['kvm', 'running/waiting/waiting']);
    expect(seen).toContainEqual(['tcg', 'unavailable/running/waiting']);
    expect(seen.at(-1)).toEqual([null, 'unavailable/done/done']);
    expect(final.kvm.state === 'unavailable' ? final.kvm.reason : '').toContain('/dev/kvm');
  });

  it('without a bridge the v86 column still runs; a failing v86 says so in the page’s language', async () => {
    const text = kvmLabText('id');
    const alone = await runComparison({ bridge: null, v86: () => Promise.resolve(v86Timing) }, text, 'id', () => undefined);
    expect(alone.kvm).toEqual({ state: 'no-bridge' });
    expect(alone.tcg).toEqual({ state: 'no-bridge' });
    expect(alone.v86.state).toBe('done');
    const failed = await runComparison(
      {
        bridge: () => Promise.resolve({ ok: false, key: null, closeCode: 1006 }),
        v86: () => Promise.reject(new Error('no wasm')),
      },
      text,
      'id',
      () => undefined,
    );
    expect(failed.kvm).toEqual({
      state: 'unavailable',
      reason: 'Koneksi ke bridge terputus (kode 1006) sebelum hasilnya datang.',
    });
    expect(failed.v86).toEqual({ state: 'unavailable', reason: 'v86 tidak bisa menjalankan program: no wasm' });
  });
});
