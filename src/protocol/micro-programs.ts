/**
 * The fixed real-mode programs the micro-guest can run. Bytes are hand-assembled 16-bit x86; the
 * assembly is written next to each byte so the lesson can show it. The guest loads them at
 * {@link MICRO_LOAD_ADDRESS} with CS = DS = 0. Clients choose a program by name only.
 */
import type { MicroProgramName } from './schema.ts';

/** Guest-physical address where the program is copied and where execution starts. */
export const MICRO_LOAD_ADDRESS = 0x1000;
/** The console port the programs write to (COM1's data register). */
export const MICRO_CONSOLE_PORT = 0x3f8;
/** The port `out-loop` writes to (0x80, the POST diagnostic port: a write with no side effect). */
export const MICRO_LOOP_PORT = 0x80;
/** The text `hello` prints. */
export const HELLO_TEXT = 'Halo, KVM!\n';

/**
 * `hello`: writes {@link HELLO_TEXT} to port 0x3f8 one byte per `out`, then `hlt`.
 * Expected exits: one KVM_EXIT_IO per character, then one KVM_EXIT_HLT.
 */
function helloProgram(): Uint8Array {
  const text = new TextEncoder().encode(HELLO_TEXT);
  const code = [
    0xba, 0xf8, 0x03, //       mov dx, 0x3f8
    0xbe, 0x0f, 0x10, //       mov si, 0x100f      ; the text follows the code
    0xac, //             next: lodsb               ; al = [ds:si], si++
    0x84, 0xc0, //             test al, al
    0x74, 0x03, //             jz done
    0xee, //                   out dx, al          ; → KVM_EXIT_IO
    0xeb, 0xf8, //             jmp next
    0xf4, //             done: hlt                 ; → KVM_EXIT_HLT
  ];
  // 15 bytes of code, so the text starts at 0x1000 + 15 = 0x100f (the `mov si` operand above).
  return Uint8Array.from([...code, ...text, 0]);
}

/**
 * `out-loop`: `iterations` times `out 0x80, al`, then `hlt`.
 * Expected exits: exactly `iterations` KVM_EXIT_IO, then one KVM_EXIT_HLT.
 */
function outLoopProgram(iterations: number): Uint8Array {
  const n = iterations >>> 0;
  return Uint8Array.from([
    0x66, 0xb9, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff, // mov ecx, n
    0xe6, 0x80, //       loop: out 0x80, al        ; → KVM_EXIT_IO
    0x66, 0x49, //             dec ecx
    0x75, 0xfa, //             jnz loop
    0xf4, //                   hlt                 ; → KVM_EXIT_HLT
  ]);
}

/**
 * The machine code of a micro-guest program.
 * @example microProgramBytes('out-loop', 3).length // 13
 */
export function microProgramBytes(program: MicroProgramName, iterations: number): Uint8Array {
  return program === 'hello' ? helloProgram() : outLoopProgram(iterations);
}

/**
 * Offset of the program's final `hlt` in its bytes: when it has run, the CPU is halted with
 * EIP = load address + this + 1 (the runners outside KVM check that).
 * @example haltOffset('hello') // 14
 */
export function haltOffset(program: MicroProgramName): number {
  return program === 'hello' ? 14 : 12;
}

/** How many exits a correct run of the program produces (the integration test checks this). */
export function expectedExits(program: MicroProgramName, iterations: number): { io: number; hlt: number } {
  return program === 'hello' ? { io: HELLO_TEXT.length, hlt: 1 } : { io: iterations, hlt: 1 };
}
