import { asmError, type AsmError } from './errors.ts';

/** One token of a source line. `column` is 1-based. */
export type Token =
  | { readonly kind: 'ident'; readonly text: string; readonly column: number }
  | { readonly kind: 'number'; readonly text: string; readonly value: number; readonly column: number }
  | { readonly kind: 'string'; readonly text: string; readonly value: string; readonly column: number }
  | { readonly kind: 'punct'; readonly text: ',' | '[' | ']' | '+' | '-' | ':'; readonly column: number };

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', '0': '\0', '\\': '\\', "'": "'", '"': '"' };

/** Reads a quoted literal starting at `start` (on the quote); returns the decoded text and the index after it. */
function readQuoted(line: string, start: number): { value: string; end: number } | undefined {
  const quote = line[start];
  let value = '';
  let i = start + 1;
  while (i < line.length) {
    const ch = line[i];
    if (ch === quote) return { value, end: i + 1 };
    if (ch === '\\' && i + 1 < line.length) {
      const esc = line[i + 1] ?? '';
      value += ESCAPES[esc] ?? esc;
      i += 2;
    } else {
      value += ch;
      i++;
    }
  }
  return undefined;
}

/**
 * Splits one source line into tokens; `;` and `#` start a comment.
 * Character literals ('A') become number tokens with the character code.
 *
 * @example
 * tokenizeLine("loop: ADDI r1, r1, -1 ; count down", 4)
 * // ok: ident 'loop' (col 1), ':' , ident 'ADDI' (col 7), ident 'r1', ',', ident 'r1', ',', '-', number 1
 */
export function tokenizeLine(line: string, lineNo: number): { ok: true; tokens: Token[] } | { ok: false; error: AsmError } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] ?? '';
    const column = i + 1;
    if (ch === ';' || ch === '#') break;
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === ',' || ch === '[' || ch === ']' || ch === '+' || ch === '-' || ch === ':') {
      tokens.push({ kind: 'punct', text: ch, column });
      i++;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const m = /^(0x[0-9a-fA-F_]+|0b[01_]+|[0-9_]+)/.exec(line.slice(i));
      const text = m?.[0] ?? ch;
      const clean = text.replace(/_/g, '');
      const value = clean.startsWith('0b') ? parseInt(clean.slice(2), 2) : Number(clean);
      // A number glued to letters ("12abc") is an error, not two tokens.
      const after = line[i + text.length] ?? '';
      if (/[A-Za-z_.]/.test(after)) {
        return { ok: false, error: asmError(lineNo, column + text.length, 'invalidCharacter', { char: after }) };
      }
      tokens.push({ kind: 'number', text, value, column });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_.]/.test(ch)) {
      const m = /^[A-Za-z_.][A-Za-z0-9_.]*/.exec(line.slice(i));
      const text = m?.[0] ?? ch;
      tokens.push({ kind: 'ident', text, column });
      i += text.length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const q = readQuoted(line, i);
      if (q === undefined) return { ok: false, error: asmError(lineNo, column, 'unterminatedString', {}) };
      const text = line.slice(i, q.end);
      if (ch === "'") {
        if ([...q.value].length !== 1) {
          return { ok: false, error: asmError(lineNo, column, 'invalidCharacter', { char: text }) };
        }
        tokens.push({ kind: 'number', text, value: q.value.codePointAt(0) ?? 0, column });
      } else {
        tokens.push({ kind: 'string', text, value: q.value, column });
      }
      i = q.end;
      continue;
    }
    return { ok: false, error: asmError(lineNo, column, 'invalidCharacter', { char: ch }) };
  }
  return { ok: true, tokens };
}
