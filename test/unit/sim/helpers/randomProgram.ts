import fc from 'fast-check';
import type { MachineVariant } from '../../../../src/sim/machine/index.ts';

/**
 * Random guest programs for the equivalence property: a kernel that installs a
 * trap handler, optionally starts the timer, runs a random body (forward
 * branches and bounded loops only, so it terminates), optionally drops into a
 * random user-mode body, and halts. The handler counts traps, skips faulting
 * instructions and stops the machine on `SYSCALL 0`.
 */

type Item =
  | { readonly t: 'op'; readonly text: string }
  | { readonly t: 'skip'; readonly cond: string; readonly distance: number }
  | { readonly t: 'loop'; readonly count: number; readonly body: readonly string[] };

const reg = fc.integer({ min: 0, max: 5 }).map((r) => `r${r}`);
const anyReg = fc.integer({ min: 0, max: 7 }).map((r) => `r${r}`);
const imm = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -2147483648, max: 2147483647 }));
const address = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 4095 }) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 5000 }) },
);

/** Instructions that are safe anywhere in a body (no control flow). */
function straightLine(mode: 'kernel' | 'user', variant: MachineVariant): fc.Arbitrary<string> {
  const common: fc.Arbitrary<string>[] = [
    fc
      .tuple(fc.constantFrom('ADD', 'SUB', 'MUL', 'AND', 'OR', 'XOR', 'SHL', 'SHR'), reg, anyReg, anyReg)
      .map(([op, a, b, c]) => `${op} ${a}, ${b}, ${c}`),
    fc.tuple(reg, imm).map(([a, v]) => `LI ${a}, ${v}`),
    fc.tuple(reg, anyReg).map(([a, b]) => `MOV ${a}, ${b}`),
    fc.tuple(reg, anyReg, fc.integer({ min: -9, max: 9 })).map(([a, b, v]) => `ADDI ${a}, ${b}, ${v}`),
    fc.tuple(anyReg, anyReg).map(([a, b]) => `CMP ${a}, ${b}`),
    fc.tuple(anyReg, imm).map(([a, v]) => `CMPI ${a}, ${v}`),
    fc.tuple(reg, address).map(([a, v]) => `LD ${a}, [${v}]`),
    fc.tuple(reg, anyReg, fc.integer({ min: -3, max: 3 })).map(([a, b, v]) => `LD ${a}, [${b}${v < 0 ? v : `+${v}`}]`),
    fc.tuple(address, anyReg).map(([v, a]) => `ST [${v}], ${a}`),
    fc.tuple(anyReg).map(([a]) => `PUSH ${a}`),
    fc.tuple(reg).map(([a]) => `POP ${a}`),
    fc.constant('POP r7'),
    fc.constant('PUSHF'),
    fc.constant('NOP'),
    fc.integer({ min: 1, max: 3 }).map((n) => `SYSCALL ${n}`),
    // Stores near r6, which a kernel may have loaded as its page-table base (see below).
    fc.tuple(fc.integer({ min: 0, max: 70 }), anyReg).map(([k, a]) => `ST [r6+${k}], ${a}`),
    fc.constant('VMCALL 1'),
  ];
  // The flaw: a kernel POPF that should restore IF. Avoided on the classic machine.
  if (mode === 'user' || variant === 'fixed') common.push(fc.constant('POPF'));
  const privileged: fc.Arbitrary<string>[] = [
    fc.constantFrom('EI', 'DI'),
    fc.tuple(fc.constantFrom('CONSOLE', 'NIC'), anyReg).map(([p, a]) => `OUT ${p}, ${a}`),
    fc.tuple(reg, fc.constantFrom('CONSOLE', 'TIMER', 'NIC', '9')).map(([a, p]) => `IN ${a}, ${p}`),
    fc.tuple(anyReg).map(([a]) => `LPTB ${a}`),
    // A page table in memory: under shadow paging its words are write-protected.
    fc.integer({ min: 1, max: 4000 }).map((a) => `LI r6, ${a}\n LPTB r6`),
    fc.tuple(reg, fc.constantFrom('VEC', 'EPC', 'STATUS', 'CAUSE', 'PTB')).map(([a, c]) => `MFCR ${a}, ${c}`),
    fc.tuple(fc.constantFrom('EPC', 'CAUSE'), anyReg).map(([c, a]) => `MTCR ${c}, ${a}`),
    // Interrupts off in between: a tick's handler clobbers r6, and a period of 1 would be an interrupt storm.
    fc.integer({ min: 30, max: 200 }).map((p) => `DI\n LI r6, ${p}\n OUT TIMER, r6\n EI`),
  ];
  return fc.oneof(
    // HLT: sleeps until the next tick, or stops the machine when IF is off.
    { weight: 1, arbitrary: fc.constant('HLT') },
    { weight: 60, arbitrary: fc.oneof(...common) },
    // In user mode privileged instructions fault (the handler skips them).
    { weight: mode === 'kernel' ? 30 : 8, arbitrary: fc.oneof(...privileged) },
  );
}

function items(mode: 'kernel' | 'user', variant: MachineVariant): fc.Arbitrary<Item[]> {
  const line = straightLine(mode, variant);
  return fc.array(
    fc.oneof(
      { weight: 10, arbitrary: line.map((text): Item => ({ t: 'op', text })) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom('JMP', 'JZ', 'JNZ', 'JLT', 'JGE'), fc.integer({ min: 0, max: 4 }))
          .map(([cond, distance]): Item => ({ t: 'skip', cond, distance })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.integer({ min: 1, max: 30 }), fc.array(line, { minLength: 1, maxLength: 6 }))
          .map(([count, body]): Item => ({ t: 'loop', count, body })),
      },
    ),
    { maxLength: 40 },
  );
}

let labelCounter = 0;
function render(list: readonly Item[], prefix: string): string[] {
  const out: string[] = [];
  const pending = new Map<number, string[]>();
  list.forEach((item, i) => {
    for (const l of pending.get(i) ?? []) out.push(`${l}:`);
    if (item.t === 'op') out.push(item.text);
    else if (item.t === 'skip') {
      const label = `${prefix}f${labelCounter++}`;
      const at = Math.min(list.length, i + 1 + item.distance);
      pending.set(at, [...(pending.get(at) ?? []), label]);
      out.push(`${item.cond} ${label}`);
    } else {
      // r5 counts the loop; the body must not write it (it may only read it).
      const label = `${prefix}l${labelCounter++}`;
      out.push(`LI r5, ${item.count}`, `${label}:`);
      for (const b of item.body)
        out.push(b.replace(/^(ADD|SUB|MUL|AND|OR|XOR|SHL|SHR|LI|MOV|ADDI|LD|POP|IN|MFCR) r5\b/, '$1 r4'));
      out.push('ADDI r5, r5, -1', 'CMPI r5, 0', `JNZ ${label}`);
    }
  });
  for (const l of pending.get(list.length) ?? []) out.push(`${l}:`);
  return out;
}

const HANDLER = `
handler:
  MFCR r6, CAUSE
  ST [200], r6
  LD r6, [201]
  ADDI r6, r6, 1
  ST [201], r6
  MFCR r6, CAUSE
  CMPI r6, 2
  JZ h_exit
  CMPI r6, 3
  JZ h_skip
  CMPI r6, 4
  JZ h_skip
  JMP h_ret
h_skip:
  MFCR r6, EPC
  ADDI r6, r6, 1
  MTCR EPC, r6
h_ret:
  IRET
h_exit:
  DI
  HLT
`;

/** A random, terminating guest program (assembly text) for `variant`. */
export function randomGuestSource(variant: MachineVariant): fc.Arbitrary<string> {
  return fc
    .record({
      timer: fc.option(fc.integer({ min: 30, max: 150 }), { nil: undefined, freq: 3 }),
      kernel: items('kernel', variant),
      user: fc.option(fc.record({ body: items('user', variant), interrupts: fc.boolean() }), { nil: undefined }),
    })
    .map(({ timer, kernel, user }) => {
      const lines = ['boot:', 'LI r6, handler', 'MTCR VEC, r6'];
      if (timer !== undefined) lines.push(`LI r6, ${timer}`, 'OUT TIMER, r6', 'EI');
      lines.push(...render(kernel, 'k'));
      if (user !== undefined) {
        // Interrupts off while the return frame is built, or a tick would overwrite EPC.
        lines.push('DI', 'LI r6, user', 'MTCR EPC, r6', `LI r6, ${user.interrupts ? 9 : 1}`, 'MTCR STATUS, r6', 'IRET');
        lines.push('user:', ...render(user.body, 'u'), 'SYSCALL 0');
      }
      lines.push('DI', 'HLT', HANDLER);
      return lines.join('\n');
    });
}
