import { describe, expect, it } from 'vitest';
import { assemble, type AsmError } from '../../../../src/sim/asm/index.ts';
import { formatAsmError } from '../../../../src/features/simulator/asm';

function errorsOf(source: string): readonly AsmError[] {
  const r = assemble(source);
  if (r.ok) throw new Error(`expected errors for ${source}`);
  return r.errors;
}

describe("formatAsmError: the assembler's errors in the page language", () => {
  const error: AsmError = { line: 3, column: 9, code: 'expected', params: { expected: 'register', found: '12' } };

  it.each([
    ['id', "Baris 3, kolom 9: diharapkan register (r0–r7 atau sp), tetapi ditemukan '12'"],
    ['en', "Line 3, column 9: expected a register (r0–r7 or sp), but found '12'"],
  ] as const)('%s', (locale, text) => {
    expect(formatAsmError(error, locale)).toBe(text);
  });

  it('names the end of the line and suggests a mnemonic', () => {
    const [eol] = errorsOf('ADD r1, r2');
    const [typo] = errorsOf('ADDD r1, r2, r3');
    if (eol === undefined || typo === undefined) throw new Error('missing errors');
    expect(formatAsmError(eol, 'en')).toContain('found the end of the line');
    expect(formatAsmError(eol, 'id')).toContain('ditemukan akhir baris');
    expect(formatAsmError(typo, 'en')).toContain("did you mean 'ADD'?");
    expect(formatAsmError(typo, 'id')).toContain("maksudnya 'ADD'?");
  });

  it('leaves no placeholder unfilled', () => {
    const sources = [
      'LI r9, 1',
      'ADDD r1',
      '.foo',
      'JMP x',
      'OUT DISK, r1',
      'MFCR r1, X',
      'MTCR PTB, r1',
      'x: NOP\nx: NOP',
      'r1: NOP',
      'LI r1, 99999999999',
      'JMP 9',
      '.data 5000, 1',
      '.memory 1',
      'LI r1, $',
      '.ascii 0, "x',
    ];
    for (const src of sources) {
      for (const e of errorsOf(src)) {
        for (const locale of ['id', 'en'] as const) expect(formatAsmError(e, locale)).not.toMatch(/\{\w+\}/);
      }
    }
  });
});
