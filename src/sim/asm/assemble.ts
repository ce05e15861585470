import { HYPERCALL_NUMBERS } from '../machine/hypercalls.ts';
import { CONTROL_REGISTERS, CR_PTB, MNEMONICS, PORTS, SP, ZERO_REGISTER, type OperandSpec, type OpInfo } from '../machine/isa.ts';
import { DEFAULT_MEMORY_WORDS } from '../machine/cpu.ts';
import { programFromInstructions, type DataSegment, type Instruction, type Program } from '../machine/program.ts';
import { asmError, describeAsmError, type AsmError, type ExpectedKind } from './errors.ts';
import { tokenizeLine, type Token } from './lexer.ts';

/** Result of {@link assemble}: a program, or every error found (at most one per line). */
export type AsmResult =
  { readonly ok: true; readonly program: Program } | { readonly ok: false; readonly errors: readonly AsmError[] };

const INT_MIN = -2147483648;
const UINT_MAX = 4294967295;
export const MIN_MEMORY_WORDS = 64;
export const MAX_MEMORY_WORDS = 1 << 20;

interface Value {
  readonly column: number;
  readonly text: string;
  readonly negate: boolean;
  /** A literal number, or undefined for a symbol to resolve in pass 2. */
  readonly number: number | undefined;
}
type ParsedOperand =
  | { readonly kind: 'reg'; readonly reg: number }
  | { readonly kind: 'value'; readonly value: Value }
  | { readonly kind: 'mem'; readonly base: number; readonly offset: Value };

interface PendingInstruction {
  readonly info: OpInfo;
  readonly operands: readonly ParsedOperand[];
  readonly line: number;
}
interface PendingData {
  readonly line: number;
  readonly address: Value;
  readonly values: readonly Value[];
  readonly ascii: string | undefined;
}

/** Thrown inside the line parser; caught per line so later lines are still checked. */
class LineError extends Error {
  readonly error: AsmError;
  constructor(error: AsmError) {
    super(error.code);
    this.error = error;
  }
}

const REGISTER_NAMES = new Map<string, number>([
  ['r0', 0],
  ['r1', 1],
  ['r2', 2],
  ['r3', 3],
  ['r4', 4],
  ['r5', 5],
  ['r6', 6],
  ['r7', 7],
  ['sp', SP],
]);

function registerOf(text: string): number | undefined {
  return REGISTER_NAMES.get(text.toLowerCase());
}

function isReserved(name: string): boolean {
  return registerOf(name) !== undefined || MNEMONICS.has(name.toUpperCase());
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

function suggestMnemonic(name: string): string {
  let best = '';
  let bestDistance = 3;
  for (const m of MNEMONICS.keys()) {
    const d = editDistance(name.toUpperCase(), m);
    if (d < bestDistance) {
      best = m;
      bestDistance = d;
    }
  }
  return best;
}

/** A cursor over one line's tokens with "expect" helpers that throw {@link LineError}. */
class Cursor {
  private index = 0;
  private readonly tokens: readonly Token[];
  private readonly line: number;
  private readonly lineLength: number;
  constructor(tokens: readonly Token[], line: number, lineLength: number) {
    this.tokens = tokens;
    this.line = line;
    this.lineLength = lineLength;
  }
  peek(offset = 0): Token | undefined {
    return this.tokens[this.index + offset];
  }
  next(): Token | undefined {
    const t = this.tokens[this.index];
    this.index++;
    return t;
  }
  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }
  fail(expected: ExpectedKind, token: Token | undefined = this.peek()): never {
    throw new LineError(
      asmError(this.line, token?.column ?? this.lineLength + 1, 'expected', { expected, found: token?.text ?? '' }),
    );
  }
  punct(text: string, expected: ExpectedKind): void {
    const t = this.peek();
    if (t?.kind !== 'punct' || t.text !== text) this.fail(expected);
    this.index++;
  }
  isPunct(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === text;
  }
  register(): number {
    const t = this.peek();
    const reg = t?.kind === 'ident' ? registerOf(t.text) : undefined;
    if (reg === undefined) this.fail('register');
    this.index++;
    return reg;
  }
  /** A number (optionally negative) or a symbol name. */
  value(expected: ExpectedKind): Value {
    let negate = false;
    let t = this.peek();
    if (t?.kind === 'punct' && t.text === '-') {
      negate = true;
      this.index++;
      t = this.peek();
    }
    if (t?.kind === 'number') {
      this.index++;
      return { column: t.column, text: (negate ? '-' : '') + t.text, negate, number: t.value };
    }
    if (t?.kind === 'ident' && registerOf(t.text) === undefined && !t.text.startsWith('.')) {
      this.index++;
      return { column: t.column, text: t.text, negate, number: undefined };
    }
    return this.fail(expected);
  }
  memory(): { base: number; offset: Value } {
    const open = this.peek();
    if (open?.kind !== 'punct' || open.text !== '[') this.fail('memory');
    this.index++;
    const first = this.peek();
    let base = ZERO_REGISTER;
    let offset: Value = { column: first?.column ?? 0, text: '0', negate: false, number: 0 };
    if (first?.kind === 'ident' && registerOf(first.text) !== undefined) {
      base = this.register();
      if (this.isPunct('+') || this.isPunct('-')) {
        const sign = this.next();
        const v = this.value('immediate');
        offset = sign?.text === '-' ? { ...v, negate: !v.negate, text: `-${v.text}` } : v;
      }
    } else {
      offset = this.value('memory');
    }
    this.punct(']', 'closeBracket');
    return { base, offset };
  }
  endOfLine(): void {
    if (!this.atEnd()) this.fail('endOfLine');
  }
}

function parseOperands(info: OpInfo, cur: Cursor): ParsedOperand[] {
  const operands: ParsedOperand[] = [];
  info.operands.forEach((spec: OperandSpec, i) => {
    // Trailing optional operands (VMCALL's arguments) may be left out.
    if (info.optionalFrom !== undefined && i >= info.optionalFrom && (cur.atEnd() || operands.length < i)) return;
    if (i > 0) cur.punct(',', 'comma');
    switch (spec.kind) {
      case 'reg':
        operands.push({ kind: 'reg', reg: cur.register() });
        break;
      case 'mem': {
        const { base, offset } = cur.memory();
        operands.push({ kind: 'mem', base, offset });
        break;
      }
      case 'imm':
      case 'hypercall':
        operands.push({ kind: 'value', value: cur.value('immediate') });
        break;
      case 'target':
        operands.push({ kind: 'value', value: cur.value('label') });
        break;
      case 'port':
        operands.push({ kind: 'value', value: cur.value('port') });
        break;
      case 'cr':
        operands.push({ kind: 'value', value: cur.value('controlRegister') });
        break;
    }
  });
  cur.endOfLine();
  return operands;
}

interface Pass1 {
  readonly instructions: PendingInstruction[];
  readonly data: PendingData[];
  readonly labels: Map<string, { address: number; line: number }>;
  readonly equs: Map<string, { value: Value; line: number }>;
  memoryWords: number | undefined;
  readonly errors: AsmError[];
}

function parseDirective(name: Token & { kind: 'ident' }, cur: Cursor, lineNo: number, st: Pass1): void {
  switch (name.text.toLowerCase()) {
    case '.equ': {
      const sym = cur.next();
      if (sym?.kind !== 'ident' || sym.text.startsWith('.')) cur.fail('symbolName', sym);
      if (isReserved(sym.text)) throw new LineError(asmError(lineNo, sym.column, 'reservedName', { name: sym.text }));
      const prior = st.equs.get(sym.text) ?? st.labels.get(sym.text);
      if (prior !== undefined) {
        throw new LineError(asmError(lineNo, sym.column, 'duplicateLabel', { name: sym.text, firstLine: prior.line }));
      }
      cur.punct(',', 'comma');
      const value = cur.value('immediate');
      cur.endOfLine();
      st.equs.set(sym.text, { value, line: lineNo });
      return;
    }
    case '.data': {
      const address = cur.value('immediate');
      const values: Value[] = [];
      while (!cur.atEnd()) {
        cur.punct(',', 'comma');
        values.push(cur.value('immediate'));
      }
      st.data.push({ line: lineNo, address, values, ascii: undefined });
      return;
    }
    case '.ascii': {
      const address = cur.value('immediate');
      cur.punct(',', 'comma');
      const text = cur.next();
      if (text?.kind !== 'string') cur.fail('string', text);
      cur.endOfLine();
      st.data.push({ line: lineNo, address, values: [], ascii: text.value });
      return;
    }
    case '.memory': {
      const v = cur.value('immediate');
      cur.endOfLine();
      const words = v.number === undefined ? NaN : v.negate ? -v.number : v.number;
      if (!(words >= MIN_MEMORY_WORDS && words <= MAX_MEMORY_WORDS)) {
        throw new LineError(
          asmError(lineNo, v.column, 'invalidMemorySize', { value: words, min: MIN_MEMORY_WORDS, max: MAX_MEMORY_WORDS }),
        );
      }
      st.memoryWords = words;
      return;
    }
    default:
      throw new LineError(asmError(lineNo, name.column, 'unknownDirective', { name: name.text }));
  }
}

function parseLine(text: string, lineNo: number, st: Pass1): void {
  const lexed = tokenizeLine(text, lineNo);
  if (!lexed.ok) throw new LineError(lexed.error);
  const cur: Cursor = new Cursor(lexed.tokens, lineNo, text.length);
  const first = cur.peek();
  if (first === undefined) return;
  const second = cur.peek(1);
  if (first.kind === 'ident' && second?.kind === 'punct' && second.text === ':') {
    if (isReserved(first.text) || first.text.startsWith('.')) {
      throw new LineError(asmError(lineNo, first.column, 'reservedName', { name: first.text }));
    }
    const prior = st.labels.get(first.text) ?? st.equs.get(first.text);
    if (prior !== undefined) {
      throw new LineError(asmError(lineNo, first.column, 'duplicateLabel', { name: first.text, firstLine: prior.line }));
    }
    st.labels.set(first.text, { address: st.instructions.length, line: lineNo });
    cur.next();
    cur.next();
  }
  const head = cur.next();
  if (head === undefined) return;
  if (head.kind !== 'ident') cur.fail('instruction', head);
  if (head.text.startsWith('.')) {
    parseDirective(head, cur, lineNo, st);
    return;
  }
  const info = MNEMONICS.get(head.text.toUpperCase());
  if (info === undefined) {
    throw new LineError(
      asmError(lineNo, head.column, 'unknownMnemonic', { name: head.text, suggestion: suggestMnemonic(head.text) }),
    );
  }
  st.instructions.push({ info, operands: parseOperands(info, cur), line: lineNo });
}

/** Pass 2: symbol resolution and range checks. */
class Resolver {
  private readonly st: Pass1;
  private readonly codeLength: number;
  constructor(st: Pass1) {
    this.st = st;
    this.codeLength = st.instructions.length;
  }
  symbol(v: Value, line: number, seen: ReadonlySet<string> = new Set()): number {
    if (v.number !== undefined) return v.negate ? -v.number : v.number;
    const label = this.st.labels.get(v.text);
    let resolved: number;
    if (label !== undefined) {
      resolved = label.address;
    } else {
      const equ = this.st.equs.get(v.text);
      if (equ === undefined || seen.has(v.text)) {
        throw new LineError(asmError(line, v.column, 'unknownSymbol', { name: v.text }));
      }
      resolved = this.symbol(equ.value, equ.line, new Set([...seen, v.text]));
    }
    return v.negate ? -resolved : resolved;
  }
  int32(v: Value, line: number): number {
    const n = this.symbol(v, line);
    if (!Number.isInteger(n) || n < INT_MIN || n > UINT_MAX) {
      throw new LineError(asmError(line, v.column, 'numberOutOfRange', { value: v.text, min: INT_MIN, max: UINT_MAX }));
    }
    return n | 0;
  }
  target(v: Value, line: number): number {
    const n = this.symbol(v, line);
    if (!Number.isInteger(n) || n < 0 || n > this.codeLength) {
      throw new LineError(asmError(line, v.column, 'targetOutOfRange', { value: n, max: this.codeLength }));
    }
    return n;
  }
  /** A hypercall name (case-insensitive) or any number or constant. */
  hypercall(v: Value, line: number): number {
    const named = v.number === undefined && !v.negate ? HYPERCALL_NUMBERS[v.text.toUpperCase()] : undefined;
    return named ?? this.int32(v, line);
  }
  port(v: Value, line: number): number {
    if (v.number === undefined && !v.negate) {
      const named = PORTS[v.text.toUpperCase()];
      if (named !== undefined) return named;
      if (!this.st.equs.has(v.text)) throw new LineError(asmError(line, v.column, 'unknownPort', { name: v.text }));
    }
    return this.int32(v, line);
  }
  controlRegister(v: Value, line: number, forWrite: boolean): number {
    const cr = v.number === undefined ? CONTROL_REGISTERS[v.text.toUpperCase()] : undefined;
    if (cr === undefined) throw new LineError(asmError(line, v.column, 'unknownControlRegister', { name: v.text }));
    if (forWrite && cr === CR_PTB) {
      throw new LineError(asmError(line, v.column, 'readOnlyControlRegister', { name: v.text }));
    }
    return cr;
  }
}

function encode(ins: PendingInstruction, res: Resolver): Instruction {
  const slots = { a: 0, b: 0, c: 0 };
  ins.info.operands.forEach((spec, i) => {
    const operand = ins.operands[i];
    if (operand === undefined) return;
    if (operand.kind === 'reg') {
      slots[spec.slot] = operand.reg;
    } else if (operand.kind === 'mem') {
      slots.b = operand.base;
      slots.c = res.int32(operand.offset, ins.line);
    } else {
      const v = operand.value;
      slots[spec.slot] =
        spec.kind === 'target'
          ? res.target(v, ins.line)
          : spec.kind === 'port'
            ? res.port(v, ins.line)
            : spec.kind === 'cr'
              ? res.controlRegister(v, ins.line, ins.info.mnemonic === 'MTCR' || ins.info.mnemonic === 'VMTCR')
              : spec.kind === 'hypercall'
                ? res.hypercall(v, ins.line)
                : res.int32(v, ins.line);
    }
  });
  return { op: ins.info.op, ...slots };
}

/**
 * Assembles teaching-machine source. Syntax, one statement per line:
 * `label:`, an instruction (`ADD r1, r2, r3`, `LD r1, [r2+4]`, `OUT CONSOLE, r1`),
 * or a directive (`.equ N, 10`, `.data 100, 1, 2`, `.ascii 200, "Halo\n"`,
 * `.memory 8192`). `;` or `#` start comments. Numbers: decimal, `0x1F`, `0b101`,
 * `'A'`. Mnemonics and register names are case-insensitive; labels are not.
 *
 * @example
 * const r = assemble('start: LI r1, 10\n  ADDD r1, r1, r1');
 * // r.ok === false; r.errors[0] = { line: 2, column: 3, code: 'unknownMnemonic',
 * //   params: { name: 'ADDD', suggestion: 'ADD' } }
 */
export function assemble(source: string): AsmResult {
  const st: Pass1 = { instructions: [], data: [], labels: new Map(), equs: new Map(), memoryWords: undefined, errors: [] };
  const lines = source.split('\n');
  lines.forEach((text, i) => {
    try {
      parseLine(text, i + 1, st);
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      st.errors.push(e.error);
    }
  });

  const res = new Resolver(st);
  const instructions: Instruction[] = [];
  for (const ins of st.instructions) {
    try {
      instructions.push(encode(ins, res));
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      st.errors.push(e.error);
    }
  }
  const memoryWords = st.memoryWords ?? DEFAULT_MEMORY_WORDS;
  const data: DataSegment[] = [];
  for (const d of st.data) {
    try {
      const address = res.int32(d.address, d.line);
      const values =
        d.ascii === undefined
          ? d.values.map((v) => res.int32(v, d.line))
          : [...[...d.ascii].map((ch) => ch.codePointAt(0) ?? 0), 0];
      if (address < 0 || address + values.length > memoryWords) {
        throw new LineError(asmError(d.line, d.address.column, 'dataOutOfRange', { address, size: memoryWords }));
      }
      data.push({ address, values });
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      st.errors.push(e.error);
    }
  }
  if (st.errors.length > 0) {
    return { ok: false, errors: [...st.errors].sort((x, y) => x.line - y.line || x.column - y.column) };
  }
  const labels = new Map([...st.labels].map(([name, l]) => [name, l.address]));
  return {
    ok: true,
    program: programFromInstructions(instructions, {
      data,
      labels,
      lines: st.instructions.map((ins) => ins.line),
      ...(st.memoryWords === undefined ? {} : { memoryWords: st.memoryWords }),
    }),
  };
}

/**
 * Assembles or throws an `Error` whose message lists every error by code (see
 * {@link describeAsmError}). For built-in example programs and tests, where a failure is a bug.
 *
 * @example
 * assembleOrThrow('LI r1, 1\nHLT').length // 2
 */
export function assembleOrThrow(source: string): Program {
  const result = assemble(source);
  if (result.ok) return result.program;
  throw new Error(`assembly failed:\n${result.errors.map(describeAsmError).join('\n')}`);
}
