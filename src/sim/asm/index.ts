/**
 * The assembler for the teaching machine, with structured bilingual errors.
 *
 * @example
 * const r = assemble(source);
 * if (!r.ok) r.errors.map((e) => formatAsmError(e, 'id'));
 */
export { assemble, assembleOrThrow, MAX_MEMORY_WORDS, MIN_MEMORY_WORDS, type AsmResult } from './assemble.ts';
export {
  ASM_MESSAGE_TABLES,
  asmError,
  formatAsmError,
  type AsmError,
  type AsmErrorCode,
  type AsmErrorParams,
  type ExpectedKind,
} from './errors.ts';
export { tokenizeLine, type Token } from './lexer.ts';
