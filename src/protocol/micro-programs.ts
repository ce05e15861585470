/**
 * The fixed real-mode programs the micro-guest can run. Bytes are hand-assembled 16-bit x86; the
 * assembly is written next to each byte so the lesson can show it. The guest loads them at
 * {@link MICRO_LOAD_ADDRESS} with CS = DS = 0. Clients choose a program by name only.
 *
 * Besides `hello`, three workloads with the same bytes on every engine (KVM, QEMU TCG, v86):
 * `compute` (registers only), `memory` (first touch of guest pages) and `out-loop` (port I/O).
 * Each counts its iterations itself and ends by writing that count and a checksum to the console,
 * so a run is checked from the guest's own output ({@link parseMicroReport}).
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
    0xba,
    0xf8,
    0x03, //       mov dx, 0x3f8
    0xbe,
    0x0f,
    0x10, //       mov si, 0x100f      ; the text follows the code
    0xac, //             next: lodsb               ; al = [ds:si], si++
    0x84,
    0xc0, //             test al, al
    0x74,
    0x03, //             jz done
    0xee, //                   out dx, al          ; → KVM_EXIT_IO
    0xeb,
    0xf8, //             jmp next
    0xf4, //             done: hlt                 ; → KVM_EXIT_HLT
  ];
  // 15 bytes of code, so the text starts at 0x1000 + 15 = 0x100f (the `mov si` operand above).
  return Uint8Array.from([...code, ...text, 0]);
}

const le32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** First guest-physical page `memory` touches (64 KiB: above the code and the stack). */
export const MICRO_MEMORY_FIRST_PAGE = 0x10000;
/** The seed of `compute`'s xorshift32, the same as vbench's `cpu` (scripts/guest/tools/vbench.c). */
const XORSHIFT_SEED = 2463534242;

/**
 * The end every workload shares: writes EDI (the iterations the guest counted) and EBP (its
 * checksum) to the console port as `cccccccc ssssssss\n` (8 lowercase hex digits each), then `hlt`.
 * 18 console exits under KVM; the same number in every run, so they cancel in the two-count timing.
 */
// prettier-ignore
const REPORT = [
  0xba, 0xf8, 0x03, //       mov dx, 0x3f8
  0x66, 0x89, 0xf8, //       mov eax, edi
  0xe8, 0x0d, 0x00, //       call hex8           ; +13
  0xb0, 0x20, //             mov al, ' '
  0xee, //                   out dx, al
  0x66, 0x89, 0xe8, //       mov eax, ebp
  0xe8, 0x04, 0x00, //       call hex8           ; +4
  0xb0, 0x0a, //             mov al, '\n'
  0xee, //                   out dx, al
  0xf4, //                   hlt                 ; → KVM_EXIT_HLT (offset 21)
  // hex8: EAX as 8 hex digits to port DX, most significant first
  0xb9, 0x08, 0x00, //       mov cx, 8
  0x66, 0xc1, 0xc0, 0x04, // l: rol eax, 4
  0x88, 0xc3, //             mov bl, al
  0x80, 0xe3, 0x0f, //       and bl, 0x0f
  0x80, 0xc3, 0x30, //       add bl, '0'
  0x80, 0xfb, 0x39, //       cmp bl, '9'
  0x76, 0x03, //             jbe d
  0x80, 0xc3, 0x27, //       add bl, 'a' - '9' - 1
  0x86, 0xd8, //          d: xchg al, bl
  0xee, //                   out dx, al          ; → KVM_EXIT_IO
  0x86, 0xd8, //             xchg al, bl
  0xe2, 0xe5, //             loop l
  0xc3, //                   ret
];
/** Offset of the `hlt` in {@link REPORT}. */
const REPORT_HLT = 21;
/** Console bytes the report writes. */
export const REPORT_CHARS = 18;

/** `jnz` back to the start of a loop body of `bodyLength` bytes. */
const jnzBack = (bodyLength: number): number[] => [0x75, -(bodyLength + 2) & 0xff];

/**
 * `out-loop`: `iterations` times `out 0x80, al` (an I/O exit under KVM), counting them in EDI.
 * Checksum: the count again.
 */
function outLoopProgram(iterations: number): number[] {
  // prettier-ignore
  const body = [
    0xe6, 0x80, //             loop: out 0x80, al  ; → KVM_EXIT_IO
    0x66, 0x47, //             inc edi
    0x66, 0x49, //             dec ecx
  ];
  // prettier-ignore
  return [
    0x66, 0xb9, ...le32(iterations), // mov ecx, n
    0x66, 0x31, 0xff, //       xor edi, edi
    ...body,
    ...jnzBack(body.length), // jnz loop
    0x66, 0x89, 0xfd, //       mov ebp, edi
  ];
}

/**
 * `compute`: vbench's `cpu` workload in registers only, no memory and no exits: xorshift32 from
 * the same seed, summed; checksum = x ^ sum (vbench prints the same value for the same count).
 */
function computeProgram(iterations: number): number[] {
  // prettier-ignore
  const body = [
    0x66, 0x89, 0xc3, //       loop: mov ebx, eax
    0x66, 0xc1, 0xe3, 0x0d, // shl ebx, 13
    0x66, 0x31, 0xd8, //       xor eax, ebx
    0x66, 0x89, 0xc3, //       mov ebx, eax
    0x66, 0xc1, 0xeb, 0x11, // shr ebx, 17
    0x66, 0x31, 0xd8, //       xor eax, ebx
    0x66, 0x89, 0xc3, //       mov ebx, eax
    0x66, 0xc1, 0xe3, 0x05, // shl ebx, 5
    0x66, 0x31, 0xd8, //       xor eax, ebx
    0x66, 0x01, 0xc6, //       add esi, eax        ; sum += x
    0x66, 0x47, //             inc edi
    0x66, 0x49, //             dec ecx
  ];
  // prettier-ignore
  return [
    0x66, 0xb9, ...le32(iterations), // mov ecx, n
    0x66, 0xb8, ...le32(XORSHIFT_SEED), // mov eax, seed
    0x66, 0x31, 0xf6, //       xor esi, esi
    0x66, 0x31, 0xff, //       xor edi, edi
    ...body,
    ...jnzBack(body.length), // jnz loop
    0x66, 0x31, 0xf0, //       xor eax, esi
    0x66, 0x89, 0xc5, //       mov ebp, eax
  ];
}

/**
 * `memory`: writes to `iterations` guest pages, each for the first time (one dword at the start of
 * each 4 KiB page from {@link MICRO_MEMORY_FIRST_PAGE} up), and reads it back. Real mode has no
 * guest page tables, so this is the first touch of guest-physical memory: under KVM an EPT/NPT
 * violation that the host kernel fills in (no exit to the bridge), under TCG and v86 the
 * emulator's own first write to its RAM. Checksum: the sum of the values written, 0 + 1 + … + (n − 1).
 */
function memoryProgram(iterations: number): number[] {
  // prettier-ignore
  const body = [
    0x8e, 0xc3, //             loop: mov es, bx
    0x26, 0x66, 0x89, 0x3e, 0x00, 0x00, // mov [es:0], edi
    0x26, 0x66, 0x03, 0x36, 0x00, 0x00, // add esi, [es:0]
    0x81, 0xc3, 0x00, 0x01, // add bx, 0x100       ; next 4 KiB page
    0x66, 0x47, //             inc edi
    0x66, 0x49, //             dec ecx
  ];
  // prettier-ignore
  return [
    0x66, 0xb9, ...le32(iterations), // mov ecx, n
    0x66, 0x31, 0xff, //       xor edi, edi
    0x66, 0x31, 0xf6, //       xor esi, esi
    0xbb, ...[(MICRO_MEMORY_FIRST_PAGE >>> 4) & 0xff, MICRO_MEMORY_FIRST_PAGE >>> 12], // mov bx, 0x1000 (segment of 0x10000)
    ...body,
    ...jnzBack(body.length), // jnz loop
    0x66, 0x89, 0xf5, //       mov ebp, esi
  ];
}

const WORKLOADS: Record<Exclude<MicroProgramName, 'hello'>, (iterations: number) => number[]> = {
  'out-loop': outLoopProgram,
  compute: computeProgram,
  memory: memoryProgram,
};

/**
 * The machine code of a micro-guest program. `iterations` is the loop count (ignored by `hello`).
 * @example microProgramBytes('out-loop', 3).length // 76
 */
export function microProgramBytes(program: MicroProgramName, iterations: number): Uint8Array {
  if (program === 'hello') return helloProgram();
  return Uint8Array.from([...WORKLOADS[program](iterations >>> 0), ...REPORT]);
}

/**
 * Offset of the program's final `hlt` in its bytes: when it has run, the CPU is halted with
 * EIP = load address + this + 1 (the runners outside KVM check that).
 * @example haltOffset('hello') // 14
 */
export function haltOffset(program: MicroProgramName): number {
  if (program === 'hello') return 14;
  return WORKLOADS[program](1).length + REPORT_HLT;
}

/** How many exits a correct run of the program produces (the integration test checks this). */
export function expectedExits(program: MicroProgramName, iterations: number): { io: number; hlt: number } {
  if (program === 'hello') return { io: HELLO_TEXT.length, hlt: 1 };
  return { io: (program === 'out-loop' ? iterations : 0) + REPORT_CHARS, hlt: 1 };
}

/** What a workload reports on the console: the iterations it counted and its checksum. */
export interface MicroReport {
  count: number;
  checksum: number;
}

/**
 * Reads a workload's report (`cccccccc ssssssss\n`) from what it wrote to the console.
 * @example parseMicroReport('000003e8 000003e8\n') // { count: 1000, checksum: 1000 }
 */
export function parseMicroReport(consoleText: string): MicroReport | null {
  const match = /^([0-9a-f]{8}) ([0-9a-f]{8})\n$/.exec(consoleText);
  if (!match?.[1] || !match[2]) return null;
  return { count: Number.parseInt(match[1], 16), checksum: Number.parseInt(match[2], 16) };
}

/**
 * The report a correct run of a workload writes, computed here the way the guest computes it.
 * @example expectedReport('memory', 4) // { count: 4, checksum: 6 }
 */
export function expectedReport(program: Exclude<MicroProgramName, 'hello'>, iterations: number): MicroReport {
  const n = iterations >>> 0;
  if (program === 'out-loop') return { count: n, checksum: n };
  if (program === 'memory') return { count: n, checksum: Number((BigInt(n) * BigInt(n - 1)) / 2n) >>> 0 };
  let x = XORSHIFT_SEED;
  let sum = 0;
  for (let i = 0; i < n; i += 1) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    sum = (sum + x) >>> 0;
  }
  return { count: n, checksum: (x ^ sum) >>> 0 };
}
