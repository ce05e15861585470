import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble, assembleOrThrow, type AsmError } from '../../../src/sim/asm/index.ts';
import {
  disassemble,
  HC_IRET,
  HC_NEW_BASEPTR,
  HC_PORT_IN,
  HYPERCALLS,
  instructionAt,
  OP_ADD,
  OP_END,
  OP_JNZ,
  OP_LD,
  OP_LI,
  OP_MTCR,
  OP_OUT,
  OP_ST,
  OP_VMCALL,
  OPS,
  PORT_NIC,
  CR_EPC,
  ZERO_REGISTER,
} from '../../../src/sim/machine/index.ts';

function errorsOf(source: string): readonly AsmError[] {
  const r = assemble(source);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('assembler: encoding', () => {
  it.each([
    ['LI r1, 10', { op: OP_LI, a: 1, b: 10, c: 0 }],
    ['li R2, -5', { op: OP_LI, a: 2, b: -5, c: 0 }],
    ['LI r3, 0x10', { op: OP_LI, a: 3, b: 16, c: 0 }],
    ['LI r3, 0b101', { op: OP_LI, a: 3, b: 5, c: 0 }],
    ["LI r3, 'A'", { op: OP_LI, a: 3, b: 65, c: 0 }],
    ['LI r0, 4294967295', { op: OP_LI, a: 0, b: -1, c: 0 }],
    ['ADD r1, r2, sp', { op: OP_ADD, a: 1, b: 2, c: 7 }],
    ['LD r1, [r2+4]', { op: OP_LD, a: 1, b: 2, c: 4 }],
    ['LD r1, [r2-4]', { op: OP_LD, a: 1, b: 2, c: -4 }],
    ['LD r1, [r2]', { op: OP_LD, a: 1, b: 2, c: 0 }],
    ['LD r1, [100]', { op: OP_LD, a: 1, b: ZERO_REGISTER, c: 100 }],
    ['ST [r3+1], r4', { op: OP_ST, a: 4, b: 3, c: 1 }],
    ['OUT NIC, r5', { op: OP_OUT, a: 5, b: PORT_NIC, c: 0 }],
    ['MTCR EPC, r1', { op: OP_MTCR, a: 1, b: CR_EPC, c: 0 }],
    ['.equ N, 7\nLI r1, N', { op: OP_LI, a: 1, b: 7, c: 0 }],
  ])('%s', (source, expected) => {
    const p = assembleOrThrow(source);
    expect(instructionAt(p.code, p.length - 1)).toEqual(expected);
  });

  it('resolves labels forward and backward and appends the END sentinel', () => {
    const p = assembleOrThrow('top: NOP\n  JNZ end ; forward\n  JNZ top\nend:');
    expect(instructionAt(p.code, 1)).toEqual({ op: OP_JNZ, a: 3, b: 0, c: 0 });
    expect(instructionAt(p.code, 2)).toEqual({ op: OP_JNZ, a: 0, b: 0, c: 0 });
    expect(instructionAt(p.code, 3).op).toBe(OP_END);
    expect(p.labels.get('end')).toBe(3);
    expect(p.lines).toEqual([1, 2, 3]);
  });

  it('lays out .data, .ascii and .memory', () => {
    const p = assembleOrThrow('.memory 128\n.data 10, 1, -2, 0x3\n.ascii 20, "hi\\n"\nHLT');
    expect(p.memoryWords).toBe(128);
    expect(p.data).toEqual([
      { address: 10, values: [1, -2, 3] },
      { address: 20, values: [104, 105, 10, 0] },
    ]);
  });

  it('ignores comments and blank lines', () => {
    expect(assembleOrThrow('; only a comment\n\n   # another\nNOP ; trailing').length).toBe(1);
  });
});

describe('assembler: hypercalls', () => {
  it.each<[string, [number, number, number]]>([
    ['VMCALL 1', [1, 0, 0]],
    ['VMCALL IRET', [HC_IRET, 0, 0]],
    ['vmcall new_baseptr, r3', [HC_NEW_BASEPTR, 3, 0]],
    ['VMCALL PORT_IN, r1, NIC', [HC_PORT_IN, 1, PORT_NIC]],
  ])('%s encodes number, register and port', (source, [a, b, c]) => {
    const ins = instructionAt(assembleOrThrow(source).code, 0);
    expect(ins).toEqual({ op: OP_VMCALL, a, b, c });
  });

  it('names the hypercall when disassembling, with the arguments it takes', () => {
    const p = assembleOrThrow('VMCALL PORT_IN, r1, NIC\nVMCALL 29\nVMCALL 5');
    expect([0, 1, 2].map((pc) => disassemble(p.code, pc))).toEqual(['VMCALL PORT_IN, r1, NIC', 'VMCALL BLOCK', 'VMCALL 5']);
  });

  it('rejects an unknown hypercall name', () => {
    const r = assemble('VMCALL NAP');
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual(['unknownSymbol']);
  });
});

describe('assembler: errors say where and what was expected', () => {
  it.each<[string, Partial<AsmError>]>([
    ['LI r9, 1', { line: 1, column: 4, code: 'expected', params: { expected: 'register', found: 'r9' } }],
    ['ADD r1, r2', { line: 1, column: 11, code: 'expected', params: { expected: 'comma', found: '' } }],
    ['LI r1 5', { line: 1, column: 7, code: 'expected', params: { expected: 'comma', found: '5' } }],
    ['ST r1, [r2]', { line: 1, column: 4, code: 'expected', params: { expected: 'memory', found: 'r1' } }],
    ['LD r1, [r2+4', { line: 1, column: 13, code: 'expected', params: { expected: 'closeBracket', found: '' } }],
    ['NOP r1', { line: 1, column: 5, code: 'expected', params: { expected: 'endOfLine', found: 'r1' } }],
    ['  ADDD r1, r2, r3', { line: 1, column: 3, code: 'unknownMnemonic', params: { name: 'ADDD', suggestion: 'ADD' } }],
    ['FROB', { line: 1, column: 1, code: 'unknownMnemonic', params: { name: 'FROB', suggestion: '' } }],
    ['.foo 1', { line: 1, column: 1, code: 'unknownDirective', params: { name: '.foo' } }],
    ['JMP nowhere', { line: 1, column: 5, code: 'unknownSymbol', params: { name: 'nowhere' } }],
    ['OUT DISK, r1', { line: 1, column: 5, code: 'unknownPort', params: { name: 'DISK' } }],
    ['MFCR r1, FOO', { line: 1, column: 10, code: 'unknownControlRegister', params: { name: 'FOO' } }],
    ['MTCR PTB, r1', { line: 1, column: 6, code: 'readOnlyControlRegister', params: { name: 'PTB' } }],
    ['x: NOP\nx: NOP', { line: 2, column: 1, code: 'duplicateLabel', params: { name: 'x', firstLine: 1 } }],
    ['r1: NOP', { line: 1, column: 1, code: 'reservedName', params: { name: 'r1' } }],
    ['LI r1, 99999999999', { line: 1, column: 8, code: 'numberOutOfRange' }],
    ['JMP 5', { line: 1, column: 5, code: 'targetOutOfRange', params: { value: 5, max: 1 } }],
    ['.data 4095, 1, 2', { line: 1, column: 7, code: 'dataOutOfRange', params: { address: 4095, size: 4096 } }],
    ['.memory 10', { line: 1, column: 9, code: 'invalidMemorySize', params: { value: 10, min: 64, max: 1048576 } }],
    ['LI r1, $', { line: 1, column: 8, code: 'invalidCharacter', params: { char: '$' } }],
    ['.ascii 0, "open', { line: 1, column: 11, code: 'unterminatedString' }],
  ])('%j', (source, expected) => {
    expect(errorsOf(source)[0]).toMatchObject(expected);
  });

  it('reports one error per line and keeps going', () => {
    const errors = errorsOf('LI r9, 1\nNOP\nBAD\nJMP missing');
    expect(errors.map((e) => [e.line, e.code])).toEqual([
      [1, 'expected'],
      [3, 'unknownMnemonic'],
      [4, 'unknownSymbol'],
    ]);
  });
});

describe('assembleOrThrow', () => {
  it('names every error by line, column, code and parameters, in no language', () => {
    expect(() => assembleOrThrow('LI r9, 1\nADDD r1')).toThrow(
      'assembly failed:\n1:4 expected {"expected":"register","found":"r9"}\n2:1 unknownMnemonic {"name":"ADDD","suggestion":"ADD"}',
    );
  });
});

describe('disassembly round-trips through the assembler', () => {
  // Random instructions of every assemblable opcode, with operands in range.
  const assemblable = OPS.filter((o) => o.mnemonic !== '.END');
  const instruction = fc
    .tuple(
      fc.constantFrom(...assemblable),
      fc.integer({ min: 0, max: 7 }),
      fc.integer({ min: 0, max: 7 }),
      fc.integer({ min: -100000, max: 100000 }),
      fc.constantFrom(1, 2, 3, 17),
      fc.constantFrom(0, 1, 2, 3, 4),
      fc.boolean(),
    )
    .map(([info, r1, r2, n, port, cr, absolute]) => {
      const parts = info.operands.map((spec) => {
        switch (spec.kind) {
          case 'reg':
            return spec.slot === 'a' ? `r${r1}` : `r${r2}`;
          case 'imm':
            return String(n);
          case 'target':
            return '0';
          case 'port':
            return String(port);
          case 'cr':
            return ['VEC', 'EPC', 'STATUS', 'CAUSE', info.mnemonic.endsWith('MTCR') ? 'EPC' : 'PTB'][cr] ?? 'VEC';
          case 'hypercall':
            return cr % 2 === 0 ? String(n) : (HYPERCALLS[port % HYPERCALLS.length]?.name ?? '0');
          case 'mem':
            return absolute ? `[${Math.abs(n)}]` : `[r${r2}${n < 0 ? n : `+${n}`}]`;
        }
      });
      return parts.length === 0 ? info.mnemonic : `${info.mnemonic} ${parts.join(', ')}`;
    });

  it('assemble(disassemble(x)) encodes the same instruction', () => {
    fc.assert(
      fc.property(fc.array(instruction, { minLength: 1, maxLength: 20 }), (lines) => {
        const p = assembleOrThrow(lines.join('\n'));
        const text = Array.from({ length: p.length }, (_, i) => disassemble(p.code, i));
        const again = assembleOrThrow(text.join('\n'));
        expect(Array.from(again.code)).toEqual(Array.from(p.code));
      }),
      { numRuns: 200 },
    );
  });
});
