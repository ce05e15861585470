import { describe, expect, it } from 'vitest';
import { kvmLabText } from '../../../../src/features/kvm-lab/strings';
import { byteText, exitRow, helloSummary } from '../../../../src/features/kvm-lab/exit-rows';
import {
  guestErrorText,
  guestIsLive,
  guestStatusText,
  IDLE_GUEST,
  reduceGuestView,
  STARTING_GUEST,
} from '../../../../src/features/kvm-lab/guest-view';
import {
  addStats,
  counterRows,
  EMPTY_SERIES,
  rateChart,
  ratePoints,
  runRecord,
} from '../../../../src/features/kvm-lab/stats-series';
import type { HelloKvmDone } from '../../../../src/protocol/client';
import type { BridgeGuestEvent } from '../../../../src/features/kvm-lab/guest-backend';

const en = kvmLabText('en');
const id = kvmLabText('id');

describe('guest view', () => {
  const phase = (
    p: 'launching' | 'booting' | 'running' | 'stopping' | 'exited',
    elapsedMs = 0,
    reason?: 'kvm-boot-failed' | 'client-stop',
  ): BridgeGuestEvent => ({
    kind: 'phase',
    phase: p,
    accel: 'kvm',
    elapsedMs,
    reason,
  });

  it('follows a KVM boot that fails and offers TCG', () => {
    let view = STARTING_GUEST;
    expect(guestIsLive(view)).toBe(true);
    view = reduceGuestView(view, phase('launching'));
    view = reduceGuestView(view, phase('booting', 300));
    expect(guestStatusText(view, en, 'en')).toBe('Linux is booting with KVM…');
    view = reduceGuestView(view, {
      kind: 'kvm-boot-failed',
      failure: { type: 'kvm-boot-failed', guestId: 'g1', cause: 'guest-reset', detail: 'triple fault', offer: 'tcg' },
    });
    view = reduceGuestView(view, phase('stopping', 13_000, 'kvm-boot-failed'));
    view = reduceGuestView(view, phase('exited', 13_100, 'kvm-boot-failed'));
    expect(view).toMatchObject({
      phase: 'exited',
      reason: 'kvm-boot-failed',
      bootFailure: { cause: 'guest-reset', detail: 'triple fault' },
    });
    expect(guestIsLive(view)).toBe(false);
    expect(guestStatusText(view, id, 'id')).toBe('Guest berhenti: Linux gagal boot dengan KVM.');
  });

  it('says how long the boot took once running, in the page language', () => {
    const view = reduceGuestView(
      { ...STARTING_GUEST },
      { kind: 'phase', phase: 'running', accel: 'tcg', elapsedMs: 1171, reason: undefined },
    );
    expect(guestStatusText(view, id, 'id')).toBe(
      'Berjalan dengan TCG (prompt muncul setelah 1,2 detik). Ketik perintah di terminal.',
    );
    expect(guestStatusText(IDLE_GUEST, en, 'en')).toBe('');
  });

  it("keeps the bridge's error for the guest and ignores counters", () => {
    const view = reduceGuestView(STARTING_GUEST, { kind: 'error', key: 'guest-idle-timeout', params: { seconds: 900 } });
    expect(guestErrorText(view, 'en')).toBe('Guest stopped: no input for 900 seconds.');
    const stats: BridgeGuestEvent = {
      kind: 'stats',
      stats: { type: 'stats', guestId: 'g1', available: false, vm: {}, vcpu: {}, elapsedMs: 5 },
    };
    expect(reduceGuestView(view, stats)).toBe(view);
  });
});

describe('stats series', () => {
  const sample = (elapsedMs: number, vcpu: Record<string, number>, vm: Record<string, number> = {}) => ({
    available: true,
    vm,
    vcpu,
    elapsedMs,
  });

  it('turns counters into per-second rates and a table of what the host reports', () => {
    let s = addStats(EMPTY_SERIES, sample(1000, { exits: 100, io_exits: 10, insn_emulation: 5 }, { remote_tlb_flush: 2 }));
    expect(counterRows(s)).toEqual([
      { counter: 'exits', total: 100, rate: null },
      { counter: 'io_exits', total: 10, rate: null },
      { counter: 'insn_emulation', total: 5, rate: null },
    ]);
    s = addStats(s, sample(3000, { exits: 500, io_exits: 10, insn_emulation: 25 }));
    expect(counterRows(s)).toEqual([
      { counter: 'exits', total: 500, rate: 200 },
      { counter: 'io_exits', total: 10, rate: 0 },
      { counter: 'insn_emulation', total: 25, rate: 10 },
    ]);
    expect(ratePoints(s, 'exits')).toEqual([{ t: 3, rate: 200 }]);
  });

  it('forgets everything when the host has no counters (TCG) and starts over for an older sample', () => {
    const s = addStats(EMPTY_SERIES, sample(1000, { exits: 1 }));
    expect(addStats(s, { available: false, vm: {}, vcpu: {}, elapsedMs: 2000 })).toEqual({ available: false, samples: [] });
    expect(addStats(s, sample(500, { exits: 1 })).samples).toHaveLength(1);
  });

  it('draws a line per counter with scales, once there are two samples', () => {
    const geometry = { width: 500, height: 200, margin: { top: 10, right: 10, bottom: 30, left: 60 } };
    let s = addStats(EMPTY_SERIES, sample(0, { exits: 0, io_exits: 0 }));
    expect(rateChart(s, geometry)).toBeNull();
    s = addStats(s, sample(1000, { exits: 1000, io_exits: 100 }));
    s = addStats(s, sample(2000, { exits: 1500, io_exits: 100 }));
    const chart = rateChart(s, geometry);
    expect(chart?.lines.map((l) => l.counter)).toEqual(['exits', 'io_exits']);
    // exits: 1000/s at t=1 (x = left edge, y = top), 500/s at t=2 (x = right edge, halfway).
    expect(chart?.lines[0]?.d).toBe('M60,10L490,90');
    expect(chart?.lines[1]?.d).toBe('M60,154L490,170');
    expect(chart?.yTicks.at(-1)).toEqual({ y: 10, value: 1000 });
    expect(chart?.spanSeconds).toBe(1);
  });

  it('records a run for comparison only when there were counters', () => {
    const s = addStats(addStats(EMPTY_SERIES, sample(1000, { exits: 1 })), sample(2000, { exits: 9 }));
    expect(runRecord(s, 'g1', 'virtio', 'KVM')).toEqual({
      guestId: 'g1',
      label: 'virtio',
      accel: 'KVM',
      seconds: 2,
      values: { exits: 9 },
    });
    expect(runRecord(EMPTY_SERIES, 'g1', 'virtio', 'KVM')).toBeNull();
  });
});

describe('Hello KVM rows', () => {
  it.each([
    [72, "0x48 'H'"],
    [10, '0x0a (\\n)'],
    [0, '0x00'],
  ])('byte %i reads %s', (byte, shown) => {
    expect(byteText(byte)).toBe(shown);
  });

  it('describes an I/O exit and a HLT exit in the page language', () => {
    const io = {
      seq: 1,
      reason: 'io',
      reasonCode: 2,
      rip: 4108,
      io: { direction: 'out' as const, size: 1, port: 1016, count: 1, data: [72] },
    };
    expect(exitRow(io, en)).toEqual({
      seq: 1,
      reason: 'KVM_EXIT_IO (2)',
      rip: '0x100c',
      detail: "OUT 1 byte(s) to port 0x3f8: 0x48 'H'",
    });
    expect(exitRow(io, id).detail).toBe("OUT 1 byte ke port 0x3f8: 0x48 'H'");
    expect(exitRow({ seq: 12, reason: 'hlt', reasonCode: 5, rip: 4111 }, id)).toEqual({
      seq: 12,
      reason: 'KVM_EXIT_HLT (5)',
      rip: '0x100f',
      detail: 'HLT: vCPU berhenti, program selesai',
    });
    expect(exitRow({ seq: 3, reason: 'internal_error', reasonCode: 17, rip: 0, suberror: 1 }, en).detail).toBe(
      'KVM internal error (suberror 1)',
    );
  });

  it('sums up a run, never calling the streamed time per exit the cost of an exit', () => {
    const done: HelloKvmDone = {
      type: 'hello-kvm-done',
      program: 'out-loop',
      totalExits: 20_019,
      streamedExits: 64,
      exitCounts: { io: 20_018, hlt: 1 },
      consoleText: '00004e20 00004e20\n',
      elapsedMicroseconds: 43_038,
      streamedMicrosecondsPerExit: 2.15,
      unstreamedElapsedMicroseconds: 40_038,
      microsecondsPerExit: 2,
      exitsPerSecond: 500_000,
      streamingMicrosecondsPerExit: 46.875,
      exitTimingCounts: [1000, 5000],
      kvmModule: 'kvm_intel',
    };
    expect(helloSummary(done, en, 'en')).toEqual({
      summary: '20,019 exits in 43,038 µs, with the first 64 sent to this page one by one: 2.2 µs per exit, sending included.',
      exitCost:
        'One exit costs 2 µs (500,000 exits per second; module kvm_intel). Timed with out-loop, not sent to the page, at N = 1,000 and N = 5,000 after a warm-up, so that setting up the VM cancels out. Sending one exit to this page adds 46.9 µs.',
      counts: 'By reason: io 20,018, hlt 1.',
      streamed: 'Showing the first 64 of 20,019 exits; the rest are only counted.',
    });
    expect(helloSummary({ ...done, streamedExits: 20_019 }, id, 'id').streamed).toBeNull();
    // A busy host: no exit cost, and no streaming cost below zero.
    expect(
      helloSummary({ ...done, microsecondsPerExit: null, exitsPerSecond: null, streamingMicrosecondsPerExit: -3 }, en, 'en')
        .exitCost,
    ).toBe('The cost of one exit could not be measured: the computer was busy. Run again.');
  });
});
