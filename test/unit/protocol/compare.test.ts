/**
 * The comparison's rows: a missing figure always says why, and vbench's output is read as vbench
 * prints it.
 */
import { describe, expect, it } from 'vitest';
import { COMPARE_WORKLOADS, compareRow, MICRO_WORKLOAD, NATIVE_VBENCH, parseVbench } from '../../../src/protocol/compare.ts';

describe('compare rows', () => {
  it('a number stands alone; a null carries its reason', () => {
    expect(
      compareRow('syscall', {
        native: { ns: 1469.31 },
        kvm: { ns: null, reason: 'needs a kernel' },
        tcg: { ns: null, reason: 'needs a kernel' },
        v86: { ns: null, reason: 'needs a kernel' },
      }),
    ).toEqual({
      workload: 'syscall',
      native: 1469.31,
      kvm: null,
      kvmNullReason: 'needs a kernel',
      tcg: null,
      tcgNullReason: 'needs a kernel',
      v86: null,
      v86NullReason: 'needs a kernel',
    });
  });

  it('every workload has its native vbench counterpart; only syscall lacks a micro-program', () => {
    expect(COMPARE_WORKLOADS.map((w) => NATIVE_VBENCH[w])).toEqual(['cpu', 'pagefault', 'syscall', 'portio']);
    expect(COMPARE_WORKLOADS.filter((w) => MICRO_WORKLOAD[w] === null)).toEqual(['syscall']);
  });
});

describe('vbench output', () => {
  it('reads result and skipped lines, and nothing else', () => {
    const output = [
      '{"tool":"vbench","workload":"cpu","iterations":20000000,"elapsed_ns":284561761,"ns_per_op":14.22,"checksum":"0xcc2881d6"}',
      'some other text',
      '{"tool":"vbench","workload":"portio","skipped":"port I/O not permitted: ioperm/iopl need root (CAP_SYS_RAWIO)","errno":1}',
      '{"tool":"vbench","workload":"syscall","iterations":10',
      '{"tool":"other","workload":"cpu"}',
    ].join('\n');
    expect(parseVbench(output)).toEqual([
      { workload: 'cpu', iterations: 20_000_000, elapsed_ns: 284_561_761, ns_per_op: 14.22, checksum: '0xcc2881d6' },
      { workload: 'portio', skipped: 'port I/O not permitted: ioperm/iopl need root (CAP_SYS_RAWIO)', errno: 1 },
    ]);
  });
});
