import { describe, expect, it } from 'vitest';
import { assembleOrThrow } from '../../../src/sim/asm/index.ts';
import * as isa from '../../../src/sim/machine/isa.ts';
import {
  CAUSE_ILLEGAL,
  CAUSE_MEMORY,
  CAUSE_PRIVILEGED,
  CAUSE_SYSCALL,
  CAUSE_TIMER,
  FLAG_IF,
  FLAG_N,
  FLAG_Z,
  INTERPRETER_CONSTANTS,
  isPrivileged,
  isSensitive,
  MODE_KERNEL,
  MODE_USER,
  OP_COUNT,
  OP_POPF,
  OPS,
  init,
  run,
  step,
  STOP_CRASHED,
  STOP_END,
  STOP_HALTED,
  type MachineVariant,
} from '../../../src/sim/machine/index.ts';

function runSource(source: string, variant: MachineVariant = 'classic', budget = 10_000) {
  const m = init({ program: assembleOrThrow(source), variant });
  run(m, budget);
  return m.cpu;
}

describe('instruction set tables', () => {
  it('lists every opcode once, in order', () => {
    expect(OPS).toHaveLength(OP_COUNT);
    OPS.forEach((o, i) => expect(o.op).toBe(i));
  });

  it("the interpreter's private constants equal the ISA's exports", () => {
    const exported = isa as unknown as Record<string, number>;
    for (const [name, value] of Object.entries(INTERPRETER_CONSTANTS)) expect(value, name).toBe(exported[name]);
  });

  it('classifies POPF as the one sensitive, unprivileged instruction of the classic machine', () => {
    const flawed = OPS.filter((o) => isSensitive(o.op) && !isPrivileged(o.op, 'classic')).map((o) => o.mnemonic);
    // VPOPF, POPF's paravirtual replacement, keeps its user-mode behaviour on purpose.
    expect(flawed).toEqual(['POPF', 'VPOPF']);
    expect(OPS.filter((o) => isSensitive(o.op) && !isPrivileged(o.op, 'fixed'))).toEqual([]);
    expect(isPrivileged(OP_POPF, 'fixed')).toBe(true);
  });
});

describe('instruction semantics', () => {
  it.each<[string, string, Partial<Record<'r1' | 'flags', number>>]>([
    ['LI', 'LI r1, -7', { r1: -7 }],
    ['MOV', 'LI r2, 9\nMOV r1, r2', { r1: 9 }],
    ['ADD wraps to 32 bits', 'LI r2, 2147483647\nLI r3, 1\nADD r1, r2, r3', { r1: -2147483648 }],
    ['SUB', 'LI r2, 5\nLI r3, 8\nSUB r1, r2, r3', { r1: -3 }],
    ['MUL keeps the low 32 bits', 'LI r2, 65536\nMUL r1, r2, r2', { r1: 0 }],
    ['AND', 'LI r2, 12\nLI r3, 10\nAND r1, r2, r3', { r1: 8 }],
    ['OR', 'LI r2, 12\nLI r3, 10\nOR r1, r2, r3', { r1: 14 }],
    ['XOR', 'LI r2, 12\nLI r3, 10\nXOR r1, r2, r3', { r1: 6 }],
    ['SHL masks the count', 'LI r2, 1\nLI r3, 33\nSHL r1, r2, r3', { r1: 2 }],
    ['SHR is logical', 'LI r2, -1\nLI r3, 28\nSHR r1, r2, r3', { r1: 15 }],
    ['ADDI', 'LI r2, 4\nADDI r1, r2, -10', { r1: -6 }],
    ['CMP equal sets Z', 'LI r2, 3\nLI r3, 3\nCMP r2, r3', { flags: FLAG_Z }],
    ['CMP less sets N (signed)', 'LI r2, -1\nLI r3, 3\nCMP r2, r3', { flags: FLAG_N }],
    ['CMPI greater clears both', 'LI r2, 10\nCMPI r2, 3', { flags: 0 }],
    ['LD/ST with offsets', 'LI r2, 100\nLI r3, 42\nST [r2+5], r3\nLD r1, [105]', { r1: 42 }],
    ['PUSH/POP', 'LI r2, 77\nPUSH r2\nPOP r1', { r1: 77 }],
    ['CALL/RET', 'CALL f\nJMP done\nf: LI r1, 5\nRET\ndone: NOP', { r1: 5 }],
    ['JZ taken', 'LI r2, 1\nCMPI r2, 1\nJZ t\nLI r1, 1\nt: NOP', { r1: 0 }],
    ['JNZ not taken', 'LI r2, 1\nCMPI r2, 1\nJNZ t\nLI r1, 1\nt: NOP', { r1: 1 }],
    ['JLT', 'LI r2, 1\nCMPI r2, 2\nJLT t\nLI r1, 1\nt: NOP', { r1: 0 }],
    ['JGE', 'LI r2, 1\nCMPI r2, 2\nJGE t\nLI r1, 1\nt: NOP', { r1: 1 }],
    ['PUSHF/POPF in kernel restores IF', 'EI\nPUSHF\nDI\nPOPF\nMOV r1, r1', { flags: FLAG_IF }],
    ['IN TIMER reads ticks', 'IN r1, TIMER', { r1: 0 }],
    ['IN from an unknown port reads -1', 'IN r1, 9', { r1: -1 }],
    ['MFCR reads PTB set by LPTB', 'LI r2, 8192\nLPTB r2\nMFCR r1, PTB', { r1: 8192 }],
  ])('%s', (_name, source, expected) => {
    const cpu = runSource(source);
    expect(cpu.stop).toBe(STOP_END);
    if (expected.r1 !== undefined) expect(cpu.regs[1]).toBe(expected.r1);
    if (expected.flags !== undefined) expect(cpu.flags).toBe(expected.flags);
  });

  it('writes the console and the NIC', () => {
    const cpu = runSource("LI r1, 'H'\nOUT CONSOLE, r1\nLI r1, 'i'\nOUT CONSOLE, r1\nOUT NIC, r1\nOUT NIC, r1");
    expect(String.fromCharCode(...cpu.console)).toBe('Hi');
    expect(cpu.consoleCount).toBe(2);
    expect(cpu.nicWords).toBe(2);
  });

  it('keeps the hidden zero register at zero', () => {
    const cpu = runSource('LI r1, 5\nST [10], r1\nLD r2, [10]');
    expect(cpu.regs[8]).toBe(0);
    expect(cpu.regs[2]).toBe(5);
  });
});

const HANDLER = `
handler:
  MFCR r6, CAUSE
  ST [300], r6
  MFCR r6, EPC
  ST [301], r6
  MFCR r6, STATUS
  ST [302], r6
  DI
  HLT`;

describe('traps and interrupts', () => {
  const toUser = (body: string, status = 1) =>
    `LI r6, handler\nMTCR VEC, r6\nLI r6, user\nMTCR EPC, r6\nLI r6, ${status}\nMTCR STATUS, r6\nIRET\nuser:\n${body}\n${HANDLER}`;

  it.each<[string, string, number, number]>([
    ['a privileged instruction in user mode', 'NOP\nDI', CAUSE_PRIVILEGED, 8],
    ['a system call (number above the cause)', 'SYSCALL 5', CAUSE_SYSCALL | (5 << 8), 8],
    ['VMCALL without a hypervisor', 'VMCALL 1', CAUSE_ILLEGAL, 8],
    ['a bad address', 'LD r1, [-1]', CAUSE_MEMORY, 7],
  ])('%s traps into the kernel vector', (_name, body, cause, epc) => {
    const cpu = runSource(toUser(body));
    expect(cpu.mem[300]).toBe(cause);
    expect(cpu.mem[301]).toBe(epc);
    expect(cpu.mem[302]).toBe(1); // came from user mode, IF off
    expect(cpu.mode).toBe(MODE_KERNEL);
  });

  it('user-mode POPF ignores IF on the classic machine and traps on the fixed one', () => {
    const body = 'LI r1, 4\nPUSH r1\nPOPF\nMFCR r0, CAUSE'; // MFCR then traps, to stop
    const classic = runSource(toUser(body));
    expect(classic.mem[300]).toBe(CAUSE_PRIVILEGED);
    expect(classic.mem[301]).toBe(10); // the MFCR, after POPF ran
    expect(classic.mem[302]).toBe(1); // IF was not set by POPF
    const fixed = runSource(toUser(body), 'fixed');
    expect(fixed.mem[300]).toBe(CAUSE_PRIVILEGED);
    expect(fixed.mem[301]).toBe(9); // POPF itself trapped
  });

  it('IRET restores mode and all flags', () => {
    const cpu = runSource(
      'LI r6, h\nMTCR VEC, r6\nLI r1, 1\nCMPI r1, 2\nSYSCALL 0\nST [400], r1\nJLT ok\nLI r2, 99\nok: HLT\nh: CMPI r1, 1\nIRET',
    );
    expect(cpu.regs[2]).toBe(0); // N survived the handler's CMPI
    expect(cpu.stop).toBe(STOP_HALTED);
  });

  it('delivers timer interrupts only while IF is set, and HLT sleeps until the next tick', () => {
    const cpu = runSource(
      'LI r6, h\nMTCR VEC, r6\nLI r1, 10\nOUT TIMER, r1\nEI\nHLT\nHLT\nDI\nHLT\nh: LD r2, [500]\nADDI r2, r2, 1\nST [500], r2\nIRET',
    );
    expect(cpu.mem[500]).toBe(2);
    expect(cpu.ticks).toBe(2);
    expect(cpu.stop).toBe(STOP_HALTED);
    expect(cpu.cause).toBe(CAUSE_TIMER);
  });

  it('crashes without a vector, and on a fault before the handler runs (double fault)', () => {
    expect(runSource('LD r1, [-1]').stop).toBe(STOP_CRASHED);
    const cpu = runSource('LI r6, h\nMTCR VEC, r6\nLD r1, [-1]\nh: LD r1, [-2]\nIRET');
    expect(cpu.stop).toBe(STOP_CRASHED);
  });

  it('a trap without progress in user mode also ends with the machine stopped', () => {
    expect(runSource(toUser('HLT', 9)).mode).toBe(MODE_KERNEL);
    expect(runSource(toUser('NOP')).mode).not.toBe(MODE_USER);
  });
});

describe('bare machine step()', () => {
  it('is pure and reports instructions, traps and the stop', () => {
    const m0 = init({ program: assembleOrThrow('LI r6, h\nMTCR VEC, r6\nSYSCALL 1\nh: DI\nHLT') });
    const events: string[] = [];
    let m = m0;
    for (let i = 0; i < 10; i++) {
      const r = step(m);
      m = r.state;
      events.push(...r.events.map((e) => e.kind + ('text' in e ? ` ${e.text}` : '')));
    }
    expect(m0.cpu.retired).toBe(0);
    expect(events).toEqual([
      'instruction LI r6, 3',
      'instruction MTCR VEC, r6',
      'instruction SYSCALL 1',
      'trap',
      'instruction DI',
      'instruction HLT',
      'stop',
    ]);
  });
});
