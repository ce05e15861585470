import { assemble, type AsmError } from '../../sim/asm/index.ts';
import type { Program } from '../../sim/machine/index.ts';
import type { Locale } from '../../i18n/locale';
import { translator } from '../../i18n/strings';
import { asmStrings } from './asm-strings';

/**
 * An assembler error as a sentence in `locale`, with its position.
 *
 * @example
 * formatAsmError({ line: 3, column: 9, code: 'expected', params: { expected: 'register', found: '12' } }, 'id')
 * // "Baris 3, kolom 9: diharapkan register (r0–r7 atau sp), tetapi ditemukan '12'"
 * formatAsmError(sameError, 'en')
 * // "Line 3, column 9: expected a register (r0–r7 or sp), but found '12'"
 */
export function formatAsmError(error: AsmError, locale: Locale): string {
  const t = translator(asmStrings, locale);
  const where = t('asm.location', { line: error.line, column: error.column });
  switch (error.code) {
    case 'expected': {
      const { expected, found } = error.params;
      return (
        where +
        t('asm.error.expected', {
          expected: t(`asm.expected.${expected}`),
          found: found === '' ? t('asm.foundEndOfLine') : `'${found}'`,
        })
      );
    }
    case 'unknownMnemonic': {
      const { name, suggestion } = error.params;
      return (
        where +
        t('asm.error.unknownMnemonic', { name, suggestion: suggestion === '' ? '' : t('asm.didYouMean', { name: suggestion }) })
      );
    }
    default:
      return where + t(`asm.error.${error.code}`, error.params);
  }
}

/** An assembler error ready to show next to its line. */
export interface SourceError {
  readonly line: number;
  readonly column: number;
  /** The full sentence in the page language, with its position. */
  readonly message: string;
}

export type SourceCheck =
  { readonly ok: true; readonly program: Program } | { readonly ok: false; readonly errors: readonly SourceError[] };

/**
 * Assembles an edited guest program; errors come back as sentences in `locale`.
 *
 * @example
 * checkSource('LI r1, 5\nHLTX', 'id')
 * // { ok: false, errors: [{ line: 2, column: 1, message: "Baris 2, kolom 1: instruksi 'HLTX' tidak dikenal; maksudnya 'HLT'?" }] }
 */
export function checkSource(source: string, locale: Locale): SourceCheck {
  const result = assemble(source);
  if (result.ok) return { ok: true, program: result.program };
  return {
    ok: false,
    errors: result.errors.map((e) => ({ line: e.line, column: e.column, message: formatAsmError(e, locale) })),
  };
}

/** Number of lines in a source text (an empty text has one line), for an editor's gutter. */
export function lineCount(source: string): number {
  let n = 1;
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) n++;
  return n;
}
