/**
 * The assembler for the teaching machine, with structured errors (codes and parameters, no
 * language; the simulator feature words them).
 *
 * @example
 * const r = assemble(source);
 * if (!r.ok) r.errors.map((e) => e.code);
 */
export { assemble, assembleOrThrow, MAX_MEMORY_WORDS, MIN_MEMORY_WORDS, type AsmResult } from './assemble.ts';
export {
  asmError,
  describeAsmError,
  type AsmError,
  type AsmErrorCode,
  type AsmErrorParams,
  type ExpectedKind,
} from './errors.ts';
export { tokenizeLine, type Token } from './lexer.ts';
