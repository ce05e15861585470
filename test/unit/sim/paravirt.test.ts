import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble, assembleOrThrow } from '../../../src/sim/asm/index.ts';
import { guest, GUEST_IDS } from '../../../src/sim/programs/index.ts';
import {
  disassembleProgram,
  HC_BLOCK,
  HC_PORT_IN,
  hypercallOperation,
  instructionAt,
  OP_VMCALL,
  OPS,
  PORT_NIC,
  STOP_RUNNING,
  type Program,
} from '../../../src/sim/machine/index.ts';
import { hypervisorView, paravirtualize } from '../../../src/sim/paravirt/index.ts';
import { init, run, step, type TraceEvent } from '../../../src/sim/strategies/index.ts';
import { randomGuestSource } from './helpers/randomProgram.ts';

/** Original instructions that must not survive the rewrite: the privileged ones and POPF. */
const ORIGINAL_SENSITIVE = new Set(['IN', 'OUT', 'EI', 'DI', 'HLT', 'LPTB', 'IRET', 'MFCR', 'MTCR', 'POPF']);
const mustGo = (op: number) => ORIGINAL_SENSITIVE.has(OPS[op]?.mnemonic ?? '');

function listing(program: Program): string[] {
  return disassembleProgram(program);
}

/** The listing with its labels, as assembly source. */
function source(program: Program): string {
  const names = new Map<number, string[]>();
  for (const [name, pc] of program.labels) names.set(pc, [...(names.get(pc) ?? []), name]);
  return listing(program)
    .map((text, pc) => [...(names.get(pc) ?? []).map((n) => `${n}:`), text].join(' '))
    .join('\n');
}

describe('paravirtualize: the modified guest', () => {
  it('replaces each sensitive instruction by its paravirtual form, one for one', () => {
    const original = assembleOrThrow(
      [
        'LI r1, h',
        'MTCR VEC, r1',
        'DI',
        'EI',
        'PUSHF',
        'POPF',
        'MFCR r2, EPC',
        'MTCR EPC, r2',
        'IN r3, TIMER',
        'IN r3, NIC',
        'OUT CONSOLE, r1',
        'OUT NIC, r1',
        'OUT TIMER, r1',
        'OUT 9, r1',
        'LPTB r4',
        'HLT',
        'h: IRET',
      ].join('\n'),
    );
    expect(listing(paravirtualize(original))).toEqual([
      'LI r1, 16',
      'VMCALL SET_TRAP_TABLE, r1',
      'VDI',
      'VEI',
      'PUSHF',
      'VPOPF',
      'VMFCR r2, EPC',
      'VMTCR EPC, r2',
      'VCLOCK r3',
      'VMCALL PORT_IN, r3, NIC',
      'RING CONSOLE, r1',
      'RING NIC, r1',
      'VMCALL SET_TIMER_OP, r1',
      'VMCALL PORT_OUT, r1, 9',
      'VMCALL NEW_BASEPTR, r4',
      'VMCALL BLOCK',
      // Xen's fast return path: a direct IRET after restoring the virtual IF, no hypercall.
      'VIRET',
    ]);
  });

  it('keeps addresses, labels, source lines and data; the listing assembles back to the same code', () => {
    for (const id of GUEST_IDS) {
      const original = guest(id).program;
      const pv = paravirtualize(original);
      expect(pv.length).toBe(original.length);
      expect(pv.lines).toEqual(original.lines);
      expect(pv.labels).toEqual(original.labels);
      expect(pv.data).toEqual(original.data);
      const again = assemble(source(pv));
      expect(again.ok && Array.from(again.program.code)).toEqual(Array.from(pv.code));
    }
  });

  it('leaves no privileged instruction (nor POPF) in any program, and the hypervisor decodes every hypercall back to what it replaced', () => {
    fc.assert(
      fc.property(randomGuestSource('fixed'), (source) => {
        const original = assembleOrThrow(source);
        const pv = paravirtualize(original);
        const view = hypervisorView(pv);
        for (let pc = 0; pc < original.length; pc++) {
          const before = instructionAt(original.code, pc);
          const after = instructionAt(pv.code, pc);
          expect(mustGo(after.op), `pc ${pc}: ${listing(pv)[pc] ?? ''}`).toBe(false);
          if (after.op === OP_VMCALL && hypercallOperation(after) !== undefined) {
            expect(instructionAt(view, pc)).toEqual(before);
          } else {
            expect(instructionAt(view, pc)).toEqual(after);
          }
        }
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('decodes hypercall arguments', () => {
    expect(hypercallOperation({ op: OP_VMCALL, a: HC_PORT_IN, b: 2, c: PORT_NIC })).toMatchObject({ a: 2, b: PORT_NIC });
    expect(hypercallOperation({ op: OP_VMCALL, a: HC_BLOCK, b: 0, c: 0 })?.op).toBe(
      instructionAt(assembleOrThrow('HLT').code, 0).op,
    );
    expect(hypercallOperation({ op: OP_VMCALL, a: 1, b: 0, c: 0 })).toBeUndefined();
  });
});

describe('the paravirtualization strategy runs the modified guest', () => {
  it('its session holds the rewritten program and the original', () => {
    const original = guest('tiny-kernel').program;
    const s = init({ program: original, strategy: 'paravirtualization' });
    expect(s.original).toBe(original);
    expect(listing(s.program)).toEqual(listing(paravirtualize(original)));
    expect(listing(s.program)).toContain('VIRET');
  });

  it('counts a hypercall for every VMCALL the hypervisor served and every ring notification, nothing else', () => {
    let s = init({
      program: guest('io-heavy', { packets: 4, wordsPerPacket: 16 }).program,
      strategy: 'paravirtualization',
      pvBatchSize: 8,
    });
    const trace: TraceEvent[] = [];
    let served = 0;
    while (s.cpu.stop === STOP_RUNNING) {
      const r = step(s);
      // A served hypercall retires its VMCALL through the monitor: an `emulate` event on that pc.
      served += r.events.filter((e) => e.kind === 'emulate' && e.text.startsWith('VMCALL')).length;
      trace.push(...r.events);
      s = r.state;
    }
    const notifications = trace.filter((e) => e.kind === 'hypercall' && e.text === 'notify').length;
    // This guest never writes a page table, so no batched page-table update hypercall either.
    expect(trace.some((e) => e.text === 'mmu_update')).toBe(false);
    expect(served).toBeGreaterThan(0);
    expect(notifications).toBeGreaterThan(0);
    expect(s.counters.hypercalls).toBe(served + notifications);
    expect(trace.filter((e) => e.kind === 'hypercall')).toHaveLength(s.counters.hypercalls);
    // Every RING queued one request; a notification went out per full batch of 8.
    expect(s.counters.ringRequests).toBeGreaterThanOrEqual(notifications * 8);
  });

  it('a VMCALL the hypervisor does not know is an illegal instruction, as on bare metal', () => {
    const src = 'LI r1, h\nMTCR VEC, r1\nVMCALL 1\nHLT\nh: MFCR r2, CAUSE\nHLT';
    const s = init({ program: assembleOrThrow(src), strategy: 'paravirtualization' });
    run(s, 100);
    expect(s.cpu.regs[2]).toBe(5);
    expect(s.counters.traps.fault).toBe(1);
    expect(s.counters.hypercalls).toBe(2); // SET_TRAP_TABLE and BLOCK; VMCALL 1 is not one
  });
});
