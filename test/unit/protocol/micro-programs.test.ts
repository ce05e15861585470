/**
 * The micro-guest workloads outside any engine: their bytes, where they halt, and the report each
 * writes, computed here the way the guest computes it.
 */
import { describe, expect, it } from 'vitest';
import {
  expectedExits,
  expectedReport,
  haltOffset,
  MICRO_MEMORY_FIRST_PAGE,
  microProgramBytes,
  parseMicroReport,
  REPORT_CHARS,
} from '../../../src/protocol/micro-programs.ts';
import { MAX_MICRO_PAGES, MICRO_WORKLOADS } from '../../../src/protocol/schema.ts';

describe('micro workloads', () => {
  it('compute is vbench cpu: the same checksum for the same count (vbench printed 0xcc2881d6 for 20 000 000)', () => {
    expect(expectedReport('compute', 20_000_000)).toEqual({ count: 20_000_000, checksum: 0xcc2881d6 });
  });

  it('memory sums the values it wrote, one per page; out-loop reports its count twice', () => {
    expect(expectedReport('memory', 144)).toEqual({ count: 144, checksum: (143 * 144) / 2 });
    expect(expectedReport('out-loop', 70_000)).toEqual({ count: 70_000, checksum: 70_000 });
  });

  it('memory stays below 640 KiB: the last page it touches ends at 0xA0000', () => {
    expect(MICRO_MEMORY_FIRST_PAGE + MAX_MICRO_PAGES * 4096).toBe(0xa0000);
  });

  it.each(MICRO_WORKLOADS)(
    '%s: the loop count is in the bytes, and the same bytes halt at the same place for any count',
    (program) => {
      const small = microProgramBytes(program, 1);
      const large = microProgramBytes(program, 0x01020304);
      expect(large.length).toBe(small.length);
      expect([...large.subarray(0, 6)]).toEqual([0x66, 0xb9, 0x04, 0x03, 0x02, 0x01]); // mov ecx, n
      expect(large[haltOffset(program)]).toBe(0xf4);
      expect(expectedExits(program, 10)).toEqual({ io: (program === 'out-loop' ? 10 : 0) + REPORT_CHARS, hlt: 1 });
    },
  );

  it('reads a report and refuses anything else', () => {
    expect(parseMicroReport('000003e8 251e6308\n')).toEqual({ count: 1000, checksum: 0x251e6308 });
    expect(parseMicroReport('000003e8 251e6308')).toBeNull();
    expect(parseMicroReport('Halo, KVM!\n')).toBeNull();
    expect(parseMicroReport('')).toBeNull();
    expect(parseMicroReport('000003E8 251E6308\n')).toBeNull(); // the guest writes lowercase
  });
});
