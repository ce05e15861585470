import { assemble, formatAsmError } from '../../sim/asm/index.ts';
import type { Program } from '../../sim/machine/index.ts';
import type { Locale } from '../../sim/locale.ts';

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
