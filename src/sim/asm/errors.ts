import type { Locale } from '../locale.ts';

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
 * parameters for the message. Turn it into text with {@link formatAsmError}.
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

const EXPECTED_TEXT: Record<Locale, Record<ExpectedKind, string>> = {
  id: {
    register: 'register (r0–r7 atau sp)',
    comma: 'koma',
    immediate: 'bilangan atau nama konstanta',
    label: 'label tujuan lompatan',
    port: 'port I/O (CONSOLE, TIMER, NIC atau nomor)',
    controlRegister: 'register kontrol (VEC, EPC, STATUS, CAUSE, PTB)',
    memory: 'operand memori seperti [r1+4]',
    closeBracket: "']'",
    string: 'teks dalam tanda kutip',
    instruction: 'instruksi, direktif atau label',
    endOfLine: 'akhir baris',
    symbolName: 'nama simbol',
  },
  en: {
    register: 'a register (r0–r7 or sp)',
    comma: 'a comma',
    immediate: 'a number or constant name',
    label: 'a jump-target label',
    port: 'an I/O port (CONSOLE, TIMER, NIC or a number)',
    controlRegister: 'a control register (VEC, EPC, STATUS, CAUSE, PTB)',
    memory: 'a memory operand such as [r1+4]',
    closeBracket: "']'",
    string: 'quoted text',
    instruction: 'an instruction, directive or label',
    endOfLine: 'the end of the line',
    symbolName: 'a symbol name',
  },
};

const MESSAGES: Record<Locale, Record<AsmErrorCode, string>> = {
  id: {
    expected: 'diharapkan {expected}, tetapi ditemukan {found}',
    invalidCharacter: "karakter '{char}' tidak dikenal",
    unterminatedString: 'teks atau karakter tidak ditutup dengan tanda kutip',
    unknownMnemonic: "instruksi '{name}' tidak dikenal{suggestion}",
    unknownDirective: "direktif '{name}' tidak dikenal (yang ada: .equ, .data, .ascii, .memory)",
    unknownSymbol: "simbol '{name}' belum didefinisikan",
    unknownPort: "port '{name}' tidak dikenal (yang ada: CONSOLE, TIMER, NIC)",
    unknownControlRegister: "register kontrol '{name}' tidak dikenal (yang ada: VEC, EPC, STATUS, CAUSE, PTB)",
    readOnlyControlRegister: "'{name}' tidak bisa ditulis dengan MTCR; gunakan LPTB",
    duplicateLabel: "label '{name}' sudah didefinisikan di baris {firstLine}",
    reservedName: "'{name}' adalah nama yang dipakai mesin dan tidak bisa menjadi label atau konstanta",
    numberOutOfRange: 'bilangan {value} di luar rentang {min} sampai {max}',
    targetOutOfRange: 'alamat lompatan {value} di luar program (0 sampai {max})',
    dataOutOfRange: 'data di alamat {address} melewati batas memori ({size} kata)',
    invalidMemorySize: 'ukuran memori {value} harus antara {min} dan {max} kata',
  },
  en: {
    expected: 'expected {expected}, but found {found}',
    invalidCharacter: "unknown character '{char}'",
    unterminatedString: 'text or character is missing its closing quote',
    unknownMnemonic: "unknown instruction '{name}'{suggestion}",
    unknownDirective: "unknown directive '{name}' (available: .equ, .data, .ascii, .memory)",
    unknownSymbol: "symbol '{name}' is not defined",
    unknownPort: "unknown port '{name}' (available: CONSOLE, TIMER, NIC)",
    unknownControlRegister: "unknown control register '{name}' (available: VEC, EPC, STATUS, CAUSE, PTB)",
    readOnlyControlRegister: "'{name}' cannot be written with MTCR; use LPTB",
    duplicateLabel: "label '{name}' was already defined on line {firstLine}",
    reservedName: "'{name}' is a name the machine uses and cannot be a label or constant",
    numberOutOfRange: 'number {value} is outside {min} to {max}',
    targetOutOfRange: 'jump address {value} is outside the program (0 to {max})',
    dataOutOfRange: 'data at address {address} runs past the end of memory ({size} words)',
    invalidMemorySize: 'memory size {value} must be between {min} and {max} words',
  },
};

const LOCATION: Record<Locale, string> = {
  id: 'Baris {line}, kolom {column}: ',
  en: 'Line {line}, column {column}: ',
};
const FOUND_EOL: Record<Locale, string> = { id: 'akhir baris', en: 'the end of the line' };
const DID_YOU_MEAN: Record<Locale, string> = { id: "; maksudnya '{name}'?", en: "; did you mean '{name}'?" };

function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = values[key];
    return v === undefined ? whole : String(v);
  });
}

/**
 * The error as a sentence in `locale`, with its position.
 *
 * @example
 * formatAsmError({ line: 3, column: 9, code: 'expected', params: { expected: 'register', found: '12' } }, 'id')
 * // "Baris 3, kolom 9: diharapkan register (r0–r7 atau sp), tetapi ditemukan '12'"
 * formatAsmError(sameError, 'en')
 * // "Line 3, column 9: expected a register (r0–r7 or sp), but found '12'"
 */
export function formatAsmError(error: AsmError, locale: Locale): string {
  const values: Record<string, string | number> = {};
  switch (error.code) {
    case 'expected':
      values['expected'] = EXPECTED_TEXT[locale][error.params.expected];
      values['found'] = error.params.found === '' ? FOUND_EOL[locale] : `'${error.params.found}'`;
      break;
    case 'unknownMnemonic':
      values['name'] = error.params.name;
      values['suggestion'] = error.params.suggestion === '' ? '' : fill(DID_YOU_MEAN[locale], { name: error.params.suggestion });
      break;
    default:
      Object.assign(values, error.params);
  }
  return fill(LOCATION[locale], { line: error.line, column: error.column }) + fill(MESSAGES[locale][error.code], values);
}

/** The message templates, for a test that both languages cover every code. */
export const ASM_MESSAGE_TABLES: Readonly<Record<Locale, Readonly<Record<AsmErrorCode, string>>>> = MESSAGES;
