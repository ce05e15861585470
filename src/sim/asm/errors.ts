/** What the assembler was looking for when it met something else. */
export type ExpectedKind =
  | 'register'
  | 'comma'
  | 'immediate'
  | 'label'
  | 'port'
  | 'controlRegister'
  | 'memory'
  | 'closeBracket'
  | 'string'
  | 'instruction'
  | 'endOfLine'
  | 'symbolName';

/** Every assembler error, by code. Parameters for each code are listed in {@link AsmErrorParams}. */
export type AsmErrorCode =
  | 'expected'
  | 'invalidCharacter'
  | 'unterminatedString'
  | 'unknownMnemonic'
  | 'unknownDirective'
  | 'unknownSymbol'
  | 'unknownPort'
  | 'unknownControlRegister'
  | 'readOnlyControlRegister'
  | 'duplicateLabel'
  | 'reservedName'
  | 'numberOutOfRange'
  | 'targetOutOfRange'
  | 'dataOutOfRange'
  | 'invalidMemorySize';

/** Parameters per error code (all plain strings and numbers, ready for message templates). */
export interface AsmErrorParams {
  expected: { expected: ExpectedKind; found: string };
  invalidCharacter: { char: string };
  unterminatedString: Record<string, never>;
  unknownMnemonic: { name: string; suggestion: string };
  unknownDirective: { name: string };
  unknownSymbol: { name: string };
  unknownPort: { name: string };
  unknownControlRegister: { name: string };
  readOnlyControlRegister: { name: string };
  duplicateLabel: { name: string; firstLine: number };
  reservedName: { name: string };
  numberOutOfRange: { value: string; min: number; max: number };
  targetOutOfRange: { value: number; max: number };
  dataOutOfRange: { address: number; size: number };
  invalidMemorySize: { value: number; min: number; max: number };
}

/**
 * A structured assembler error: where (1-based line and column) and what, with
 * parameters for the message. The model has no language: the simulator feature turns it
 * into a sentence (src/features/simulator/asm.ts, `formatAsmError`).
 *
 * @example
 * { line: 3, column: 9, code: 'expected', params: { expected: 'register', found: '12' } }
 */
export type AsmError = {
  [K in AsmErrorCode]: {
    readonly line: number;
    readonly column: number;
    readonly code: K;
    readonly params: AsmErrorParams[K];
  };
}[AsmErrorCode];

/** Builds an {@link AsmError} with checked parameters. */
export function asmError<K extends AsmErrorCode>(line: number, column: number, code: K, params: AsmErrorParams[K]): AsmError {
  return { line, column, code, params } as AsmError;
}

/**
 * A language-free line for developers (a thrown `Error`, a test failure): position, code and
 * parameters. Learners see the simulator feature's sentences instead.
 *
 * @example
 * describeAsmError({ line: 3, column: 9, code: 'expected', params: { expected: 'register', found: '12' } })
 * // '3:9 expected {"expected":"register","found":"12"}'
 */
export function describeAsmError(error: AsmError): string {
  return `${error.line}:${error.column} ${error.code} ${JSON.stringify(error.params)}`;
}
