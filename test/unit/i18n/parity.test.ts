import { describe, expect, it } from 'vitest';
import { placeholders } from '../../../src/i18n/fill';
import { LOCALES } from '../../../src/i18n/locale';
import type { StringTable } from '../../../src/i18n/strings';

/**
 * Every string table of the course, found by file name so a new table is checked without being
 * listed here: `strings.ts` and `*-strings.ts` anywhere in src/, and the bridge's texts.
 */
const modules = import.meta.glob<Record<string, unknown>>(
  ['../../../src/**/strings.ts', '../../../src/**/*-strings.ts', '../../../src/protocol/texts.ts'],
  {
    eager: true,
  },
);

const isTable = (value: unknown): value is StringTable =>
  typeof value === 'object' &&
  value !== null &&
  LOCALES.every((l) => typeof (value as Record<string, unknown>)[l] === 'object') &&
  Object.values((value as Record<string, Record<string, unknown>>)['id'] ?? {}).every((v) => typeof v === 'string');

const tables: [string, StringTable][] = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports)
    .filter((entry): entry is [string, StringTable] => isTable(entry[1]))
    .map(([name, table]): [string, StringTable] => [`${file.replace('../../../', '')} ${name}`, table]),
);

describe('string tables', () => {
  it('are all found, site strings included', () => {
    expect(tables.map(([name]) => name).sort()).toEqual([
      'src/features/course/strings.ts courseNavStrings',
      'src/features/kvm-lab/strings.ts kvmLabStrings',
      'src/features/labs/strings.ts labStrings',
      'src/features/pc/strings.ts pcPageStrings',
      'src/features/pc/strings.ts pcStrings',
      'src/features/simulator/asm-strings.ts asmStrings',
      'src/features/simulator/isa-strings.ts isaStrings',
      'src/features/simulator/program-strings.ts programStrings',
      'src/features/simulator/strings.ts simStrings',
      'src/features/terminal/strings.ts terminalStrings',
      'src/protocol/texts.ts MESSAGES',
      'src/site/strings.ts ui',
    ]);
  });

  it.each(tables)('%s: the same keys in every language, none empty', (_, table) => {
    const keys = Object.keys(table.id).sort();
    for (const locale of LOCALES) {
      expect(Object.keys(table[locale]).sort(), locale).toEqual(keys);
      for (const key of keys) expect(table[locale][key]?.trim(), `${locale} ${key}`).not.toBe('');
    }
  });

  it.each(tables)('%s: every {placeholder} in one language is in the other', (_, table) => {
    for (const key of Object.keys(table.id)) {
      expect(placeholders(table.en[key] ?? ''), key).toEqual(placeholders(table.id[key] ?? ''));
    }
  });

  it('a table whose languages disagree on a placeholder is caught', () => {
    const broken = { id: { a: 'Soal {n} dari {total}' }, en: { a: 'Question {n} of {count}' } };
    expect(placeholders(broken.en.a)).not.toEqual(placeholders(broken.id.a));
  });
});
