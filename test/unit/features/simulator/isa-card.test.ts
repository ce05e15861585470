import { describe, expect, it } from 'vitest';
import { MNEMONICS } from '../../../../src/sim/machine/index.ts';
import { assemble } from '../../../../src/sim/asm/index.ts';
import { isaCard, syntaxOf } from '../../../../src/features/simulator/isa-card';
import { isaStrings } from '../../../../src/features/simulator/isa-strings';
import { LOCALES } from '../../../../src/i18n/locale';

describe('the instruction reference card', () => {
  it('lists every mnemonic of the ISA once', () => {
    expect(
      isaCard()
        .map((r) => r.mnemonic)
        .sort(),
    ).toEqual([...MNEMONICS.keys()].sort());
  });

  it.each(LOCALES)('explains every mnemonic in %s', (locale) => {
    const table: Readonly<Record<string, string>> = isaStrings[locale];
    for (const mnemonic of MNEMONICS.keys()) expect(table[`isa.${mnemonic}`]?.trim(), mnemonic).toBeTruthy();
  });

  it('writes each form the way the assembler reads it', () => {
    const example: Record<string, string> = {
      rA: 'r1',
      rB: 'r2',
      rC: 'r3',
      n: '1',
      label: 'here',
      PORT: 'CONSOLE',
      CR: 'EPC',
      '[addr]': '[r4+2]',
    };
    for (const info of MNEMONICS.values()) {
      const operands = syntaxOf(info)
        .slice(info.mnemonic.length)
        .replace(/\[, (.*)\]$/, ', $1')
        .replace(/rA|rB|rC|\[addr\]|\bn\b|label|PORT|CR/g, (name) => example[name] ?? name);
      const line = `${info.mnemonic}${operands}`;
      const result = assemble(`here:\n    ${line}\n`);
      expect(result.ok ? [] : result.errors, `${syntaxOf(info)} → ${line}`).toEqual([]);
    }
  });

  it('shows the optional operands of VMCALL in brackets', () => {
    const vmcall = MNEMONICS.get('VMCALL');
    expect(vmcall && syntaxOf(vmcall)).toBe('VMCALL n[, rB, PORT]');
  });
});
