/**
 * The micro-program outside KVM: the ROM image, the shared timing arithmetic, the `micro-run`
 * schemas (protocol 3), and the parsers of what QEMU reports (schedstat, info registers).
 */
import { describe, expect, it } from 'vitest';
import { haltOffset, MICRO_LOAD_ADDRESS, microProgramBytes } from '../../../src/protocol/micro-programs.ts';
import { haltState, microQemuArgs, runnableNs } from '../../../src/kvm-bridge/micro-qemu.ts';
import { MICRO_ROM_BYTES, MICRO_ROM_PROGRAM_OFFSET, microHaltedEip, microRom } from '../../../src/protocol/micro-rom.ts';
import {
  DEFAULT_MICRO_COUNTS,
  DEFAULT_MICRO_REPEATS,
  microCounts,
  nsPerIteration,
  runPlan,
} from '../../../src/protocol/micro-timing.ts';
import {
  MAX_MICRO_ITERATIONS,
  MAX_MICRO_PAGES,
  MICRO_PROGRAMS,
  PROTOCOL_VERSION,
  parseClientMessage,
  parseServerMessage,
} from '../../../src/protocol/schema.ts';

const json = (value: unknown): string => JSON.stringify(value);

describe('micro ROM', () => {
  it.each([
    ['hello', 1],
    ['out-loop', 1],
    ['out-loop', MAX_MICRO_ITERATIONS],
    ['compute', MAX_MICRO_ITERATIONS],
    ['memory', MAX_MICRO_PAGES],
  ] as const)('%s (%i): 64 KiB, the program’s exact bytes at 0x100, the reset vector jumps to F000:0000', (program, n) => {
    const rom = microRom(program, n);
    expect(rom.length).toBe(MICRO_ROM_BYTES);
    expect(MICRO_ROM_BYTES % 65536).toBe(0); // QEMU's -bios wants a multiple of 64 KiB
    const bytes = microProgramBytes(program, n);
    expect([...rom.subarray(MICRO_ROM_PROGRAM_OFFSET, MICRO_ROM_PROGRAM_OFFSET + bytes.length)]).toEqual([...bytes]);
    expect([...rom.subarray(0xfff0, 0xfff5)]).toEqual([0xea, 0x00, 0x00, 0x00, 0xf0]);
    // The stub copies exactly the program's length to 0x1000 and jumps there.
    expect([...rom.subarray(0, MICRO_ROM_PROGRAM_OFFSET)]).toEqual(
      expect.arrayContaining([0xb9, bytes.length & 0xff, bytes.length >> 8]),
    );
    const jump = [0xea, MICRO_LOAD_ADDRESS & 0xff, MICRO_LOAD_ADDRESS >> 8, 0, 0];
    const stub = [...rom.subarray(0, MICRO_ROM_PROGRAM_OFFSET)];
    expect(stub.some((_, i) => jump.every((b, j) => stub[i + j] === b))).toBe(true);
  });

  it('the program ends in hlt where the runners expect it', () => {
    for (const program of MICRO_PROGRAMS) {
      expect(microProgramBytes(program, 7)[haltOffset(program)]).toBe(0xf4);
      expect(microHaltedEip(program)).toBe(MICRO_LOAD_ADDRESS + haltOffset(program) + 1);
    }
  });
});

describe('micro timing', () => {
  it('time per iteration from the fastest run of each count: start-up cost cancels, a slow run does not count', () => {
    // 40 µs of set-up and 10 ns per iteration; two of the three low-count runs hit a busy host
    // (their median would make ten times the work look faster).
    const runs = [
      { iterations: 1000, microseconds: 50 },
      { iterations: 11_000, microseconds: 150 },
      { iterations: 1000, microseconds: 900 },
      { iterations: 11_000, microseconds: 170 },
      { iterations: 1000, microseconds: 400 },
      { iterations: 11_000, microseconds: 150 },
    ];
    expect(nsPerIteration(runs)).toBe(10);
    expect(nsPerIteration(runs.slice(0, 1))).toBeNull();
    expect(nsPerIteration([...runs, { iterations: 5, microseconds: 1 }])).toBeNull();
  });

  it('alternates the counts', () => {
    expect(runPlan([10, 100], 3)).toEqual([10, 100, 10, 100, 10, 100]);
  });
});

describe('micro-run messages', () => {
  it('fills defaults: out-loop and the repeats; the counts default per program on the bridge', () => {
    expect(parseClientMessage(json({ type: 'micro-run', accel: 'tcg' }))).toEqual({
      ok: true,
      message: { type: 'micro-run', accel: 'tcg', program: 'out-loop', repeats: DEFAULT_MICRO_REPEATS },
    });
    expect(microCounts('out-loop', undefined)).toEqual([...DEFAULT_MICRO_COUNTS]);
    expect(microCounts('memory', undefined)[1]).toBeLessThanOrEqual(MAX_MICRO_PAGES);
    expect(microCounts('compute', [5, 50])).toEqual([5, 50]);
    // micro-run came with protocol 3.
    expect(PROTOCOL_VERSION).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['no accel', { type: 'micro-run' }],
    ['auto accel (the client names the engine it compares)', { type: 'micro-run', accel: 'auto' }],
    ['equal counts', { type: 'micro-run', accel: 'kvm', counts: [100, 100] }],
    ['descending counts', { type: 'micro-run', accel: 'kvm', counts: [200, 100] }],
    ['one count', { type: 'micro-run', accel: 'kvm', counts: [100] }],
    ['a count of zero', { type: 'micro-run', accel: 'kvm', counts: [0, 100] }],
    ['too many iterations', { type: 'micro-run', accel: 'tcg', counts: [1, MAX_MICRO_ITERATIONS + 1] }],
    ['six repeats', { type: 'micro-run', accel: 'tcg', repeats: 6 }],
    [
      'more pages than real mode reaches',
      { type: 'micro-run', accel: 'tcg', program: 'memory', counts: [1, MAX_MICRO_PAGES + 1] },
    ],
    ['an unknown program', { type: 'micro-run', accel: 'tcg', program: 'shellcode' }],
    ['a ROM path', { type: 'micro-run', accel: 'tcg', bios: '/etc/shadow' }],
  ])('rejects %s', (_name, message) => {
    const result = parseClientMessage(json(message));
    expect(result.ok).toBe(false);
  });

  it('says why counts are refused', () => {
    expect(parseClientMessage(json({ type: 'micro-run', accel: 'kvm', counts: [9, 9] }))).toEqual({
      ok: false,
      detail: 'counts: the first loop count must be smaller than the second',
    });
  });

  const result = {
    type: 'micro-run-result',
    ref: 'c1',
    accel: 'tcg',
    program: 'out-loop',
    engine: 'QEMU 7.2.22',
    timer: 'vcpu-thread-runnable',
    runs: [
      { iterations: 20_000, microseconds: 1374.2, exits: null },
      { iterations: 200_000, microseconds: 10_683.7, exits: null },
    ],
    nsPerIteration: 51.7,
    consoleText: '',
    exits: null,
  };

  it('accepts a TCG result without exits and a KVM result with them', () => {
    expect(parseServerMessage(json(result))).toMatchObject({ ok: true });
    const kvm = {
      ...result,
      accel: 'kvm',
      engine: 'kvm_pvm',
      timer: 'kvm-run-loop',
      runs: [{ iterations: 20_000, microseconds: 140_000, exits: 20_001 }],
      exits: { total: 20_001, counts: { io: 20_000, hlt: 1 }, microsecondsPerExit: 7 },
    };
    expect(parseServerMessage(json(kvm))).toMatchObject({ ok: true });
  });

  it.each([
    ['an unknown timer', { ...result, timer: 'stopwatch' }],
    ['a negative time', { ...result, runs: [{ iterations: 1, microseconds: -1, exits: null }] }],
    ['too many runs', { ...result, runs: Array.from({ length: 11 }, () => ({ iterations: 1, microseconds: 1, exits: null })) }],
    ['an extra field', { ...result, cycles: 5 }],
  ])('rejects a result with %s', (_name, message) => {
    expect(parseServerMessage(json(message)).ok).toBe(false);
  });
});

describe('what QEMU reports', () => {
  it('schedstat: running plus waiting for a CPU', () => {
    expect(runnableNs('1500 500 3\n')).toBe(2000);
    expect(() => runnableNs('')).toThrow(/schedstat/);
  });

  it('info registers: EIP and the halted flag', () => {
    const dump =
      'EAX=00000000 EBX=00000000 ECX=00000000 EDX=00000000\nESI=00000000 EDI=00000000 EBP=00000000 ESP=0000fff0\n' +
      'EIP=0000100d EFL=00000046 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\n';
    expect(haltState(dump)).toEqual({ eip: 0x100d, halted: true });
    expect(haltState(dump.replace('HLT=1', 'HLT=0'))).toEqual({ eip: 0x100d, halted: false });
    expect(haltState('no registers here')).toBeNull();
  });

  it('the QEMU command line: TCG, sandboxed, no network, no display, paused, the ROM as BIOS', () => {
    const args = microQemuArgs({ rom: '/d/micro.rom', qmpSocket: '/d/qmp.sock', serialSocket: '/d/console.sock' });
    const after = (flag: string): string | undefined => args[args.indexOf(flag) + 1];
    expect(after('-accel')).toBe('tcg');
    expect(after('-sandbox')).toMatch(/^on,/);
    expect(after('-nic')).toBe('none');
    expect(after('-display')).toBe('none');
    expect(after('-bios')).toBe('/d/micro.rom');
    expect(after('-machine')).toBe('pc');
    expect(args).toEqual(expect.arrayContaining(['-nodefaults', '-no-user-config', '-S']));
    expect(args.join(' ')).not.toMatch(/tcp:|0\.0\.0\.0|-netdev|-kernel/);
    // RAM from a memfd: on anonymous RAM QEMU asks for huge pages, and `memory`'s first touch of a
    // 4 KiB page would then cost no page fault under TCG (measured: ~0.08 µs a page, 7 µs with memfd).
    expect(args.join(' ')).toContain('-object memory-backend-memfd,id=micro-ram,size=16M -machine memory-backend=micro-ram');
  });
});
