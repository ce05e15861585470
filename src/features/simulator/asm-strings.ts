import type { StringTable } from '../../i18n/strings';

/**
 * The assembler's error sentences (src/sim/asm/errors.ts gives codes and parameters only):
 * `asm.error.<code>` per error code, `asm.expected.<kind>` for what it was looking for.
 */
const id = {
  'asm.error.expected': 'diharapkan {expected}, tetapi ditemukan {found}',
  'asm.error.invalidCharacter': "karakter '{char}' tidak dikenal",
  'asm.error.unterminatedString': 'teks atau karakter tidak ditutup dengan tanda kutip',
  'asm.error.unknownMnemonic': "instruksi '{name}' tidak dikenal{suggestion}",
  'asm.error.unknownDirective': "direktif '{name}' tidak dikenal (yang ada: .equ, .data, .ascii, .memory)",
  'asm.error.unknownSymbol': "simbol '{name}' belum didefinisikan",
  'asm.error.unknownPort': "port '{name}' tidak dikenal (yang ada: CONSOLE, TIMER, NIC)",
  'asm.error.unknownControlRegister': "register kontrol '{name}' tidak dikenal (yang ada: VEC, EPC, STATUS, CAUSE, PTB)",
  'asm.error.readOnlyControlRegister': "'{name}' tidak bisa ditulis dengan MTCR; gunakan LPTB",
  'asm.error.duplicateLabel': "label '{name}' sudah didefinisikan di baris {firstLine}",
  'asm.error.reservedName': "'{name}' adalah nama yang dipakai mesin dan tidak bisa menjadi label atau konstanta",
  'asm.error.numberOutOfRange': 'bilangan {value} di luar rentang {min} sampai {max}',
  'asm.error.targetOutOfRange': 'alamat lompatan {value} di luar program (0 sampai {max})',
  'asm.error.dataOutOfRange': 'data di alamat {address} melewati batas memori ({size} kata)',
  'asm.error.invalidMemorySize': 'ukuran memori {value} harus antara {min} dan {max} kata',
  'asm.expected.register': 'register (r0–r7 atau sp)',
  'asm.expected.comma': 'koma',
  'asm.expected.immediate': 'bilangan atau nama konstanta',
  'asm.expected.label': 'label tujuan lompatan',
  'asm.expected.port': 'port I/O (CONSOLE, TIMER, NIC atau nomor)',
  'asm.expected.controlRegister': 'register kontrol (VEC, EPC, STATUS, CAUSE, PTB)',
  'asm.expected.memory': 'operand memori seperti [r1+4]',
  'asm.expected.closeBracket': "']'",
  'asm.expected.string': 'teks dalam tanda kutip',
  'asm.expected.instruction': 'instruksi, direktif atau label',
  'asm.expected.endOfLine': 'akhir baris',
  'asm.expected.symbolName': 'nama simbol',
  'asm.location': 'Baris {line}, kolom {column}: ',
  'asm.foundEndOfLine': 'akhir baris',
  'asm.didYouMean': "; maksudnya '{name}'?",
} as const;

export type AsmStringKey = keyof typeof id;

const en = {
  'asm.error.expected': 'expected {expected}, but found {found}',
  'asm.error.invalidCharacter': "unknown character '{char}'",
  'asm.error.unterminatedString': 'text or character is missing its closing quote',
  'asm.error.unknownMnemonic': "unknown instruction '{name}'{suggestion}",
  'asm.error.unknownDirective': "unknown directive '{name}' (available: .equ, .data, .ascii, .memory)",
  'asm.error.unknownSymbol': "symbol '{name}' is not defined",
  'asm.error.unknownPort': "unknown port '{name}' (available: CONSOLE, TIMER, NIC)",
  'asm.error.unknownControlRegister': "unknown control register '{name}' (available: VEC, EPC, STATUS, CAUSE, PTB)",
  'asm.error.readOnlyControlRegister': "'{name}' cannot be written with MTCR; use LPTB",
  'asm.error.duplicateLabel': "label '{name}' was already defined on line {firstLine}",
  'asm.error.reservedName': "'{name}' is a name the machine uses and cannot be a label or constant",
  'asm.error.numberOutOfRange': 'number {value} is outside {min} to {max}',
  'asm.error.targetOutOfRange': 'jump address {value} is outside the program (0 to {max})',
  'asm.error.dataOutOfRange': 'data at address {address} runs past the end of memory ({size} words)',
  'asm.error.invalidMemorySize': 'memory size {value} must be between {min} and {max} words',
  'asm.expected.register': 'a register (r0–r7 or sp)',
  'asm.expected.comma': 'a comma',
  'asm.expected.immediate': 'a number or constant name',
  'asm.expected.label': 'a jump-target label',
  'asm.expected.port': 'an I/O port (CONSOLE, TIMER, NIC or a number)',
  'asm.expected.controlRegister': 'a control register (VEC, EPC, STATUS, CAUSE, PTB)',
  'asm.expected.memory': 'a memory operand such as [r1+4]',
  'asm.expected.closeBracket': "']'",
  'asm.expected.string': 'quoted text',
  'asm.expected.instruction': 'an instruction, directive or label',
  'asm.expected.endOfLine': 'the end of the line',
  'asm.expected.symbolName': 'a symbol name',
  'asm.location': 'Line {line}, column {column}: ',
  'asm.foundEndOfLine': 'the end of the line',
  'asm.didYouMean': "; did you mean '{name}'?",
} as const satisfies Record<AsmStringKey, string>;

export const asmStrings = { id, en } as const satisfies StringTable<AsmStringKey>;
