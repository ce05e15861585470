/**
 * The comparison table KVM | QEMU TCG | v86 and the order its columns run in, in both languages.
 */
import { describe, expect, it } from 'vitest';
import { kvmLabText } from '../../../src/i18n/kvm-lab';
import type { MicroRunResultMessage } from '../../../src/lib/kvm-lab/micro-bridge';
import {
  compareView,
  formatRatio,
  fromBridgeResult,
  fromV86Timing,
  IDLE_COMPARE,
  runComparison,
  type CompareEngine,
  type CompareStates,
} from '../../../src/lib/kvm-lab/micro-compare';

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

const row = (states: CompareStates, id: string, locale: 'id' | 'en' = 'en'): string[] =>
  compareView(states, kvmLabText(locale), locale).rows.find((r) => r.id === id)?.cells ?? [];

describe('compareView', () => {
  it('three columns in order, one per engine', () => {
    const view = compareView(done, kvmLabText('en'), 'en');
    expect(view.columns.map((c) => [c.id, c.heading, c.state])).toEqual([
      ['kvm', 'KVM', 'done'],
      ['tcg', 'QEMU TCG', 'done'],
      ['v86', 'v86 (in this page)', 'done'],
    ]);
    expect(view.rows.map((r) => r.id)).toEqual(['time', 'ratio', 'exits', 'note']);
  });

  it('time per iteration and the ratio to KVM, in each language’s number style', () => {
    expect(row(done, 'time')).toEqual(['7,000 ns', '46.7 ns', '150 ns']);
    expect(row(done, 'time', 'id')).toEqual(['7.000 ns', '46,7 ns', '150 ns']);
    expect(row(done, 'ratio')).toEqual(['1×', '0.0067×', '0.021×']);
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
    // Without KVM's time there is nothing to compare with.
    expect(row({ ...done, kvm: IDLE_COMPARE.kvm }, 'ratio')).toEqual(['—', '—', '—']);
  });

  it.each([
    [0.006634, 'en', '0.0066'],
    [21.4, 'id', '21'],
    [1.55, 'id', '1,6'],
  ] as const)('formatRatio(%d, %s) = %s', (value, locale, expected) => expect(formatRatio(value, locale)).toBe(expected));
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
            accel === 'kvm' ? { ok: false, key: 'kvm-permission-denied', params: { path: '/dev/kvm' } } : { ok: true, result: tcgResult },
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
    expect(alone.kvm).toEqual({ state: 'unavailable', reason: text['kvm.compare.notConnected'] });
    expect(alone.tcg).toEqual({ state: 'unavailable', reason: text['kvm.compare.notConnected'] });
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
    expect(failed.kvm).toEqual({ state: 'unavailable', reason: 'Koneksi ke bridge terputus (kode 1006) sebelum hasilnya datang.' });
    expect(failed.v86).toEqual({ state: 'unavailable', reason: 'v86 tidak bisa menjalankan program: no wasm' });
  });
});
