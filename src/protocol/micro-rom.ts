/**
 * A 64 KiB "BIOS" that runs one micro-guest program (micro-programs.ts) on a whole emulated PC, so
 * the very bytes the raw-KVM micro-guest runs can also run under QEMU TCG (`-bios`) and v86
 * (`bios: { buffer }`). Built at run time from the program bytes; no binary is committed.
 *
 * The ROM sits at 0xF0000–0xFFFFF (both QEMU and v86 put a 64 KiB BIOS there; QEMU also at the top
 * of 4 GiB, where the CPU starts). At the reset vector a far jump enters the stub at F000:0000,
 * which copies the program to {@link MICRO_LOAD_ADDRESS} and enters it at 0000:1000 with the
 * register state the KVM micro-guest gets from kvm-api.ts: every segment 0, every general
 * register 0 except ESP = 0xFFF0, EFLAGS = 2 (interrupts off). The program ends in `hlt`; with
 * interrupts off the CPU then stays halted, which each runner observes its own way.
 * No Node imports: the page builds the same ROM for v86.
 */
import { MICRO_LOAD_ADDRESS, haltOffset, microProgramBytes } from './micro-programs.ts';
import type { MicroProgramName } from './schema.ts';

/** Size of the ROM; QEMU wants a multiple of 64 KiB for `-bios`. */
export const MICRO_ROM_BYTES = 0x10000;
/** Segment the ROM is seen at in real mode (linear 0xF0000). */
const ROM_SEGMENT = 0xf000;
/** Offset of the program's bytes inside the ROM (after the stub). */
export const MICRO_ROM_PROGRAM_OFFSET = 0x100;
/** The x86 reset vector, 16 bytes below the top of the ROM. */
const RESET_VECTOR_OFFSET = 0xfff0;
/** The stack pointer the KVM micro-guest starts with (kvm-api.ts). */
const INITIAL_ESP = 0xfff0;

const le16 = (value: number): number[] => [value & 0xff, (value >>> 8) & 0xff];
const le32 = (value: number): number[] => [...le16(value & 0xffff), ...le16(value >>> 16)];

/** The copy-and-enter stub at F000:0000 for a program of `length` bytes. */
function stub(length: number): number[] {
  return [
    0xfa, //                                   cli
    0xfc, //                                   cld
    0x31,
    0xc0, //                             xor ax, ax
    0x8e,
    0xd0, //                             mov ss, ax
    0x66,
    0xbc,
    ...le32(INITIAL_ESP), //       mov esp, 0xfff0
    0x8e,
    0xc0, //                             mov es, ax            ; destination 0000:1000
    0xb8,
    ...le16(ROM_SEGMENT), //             mov ax, 0xf000
    0x8e,
    0xd8, //                             mov ds, ax            ; source F000:0100
    0xbe,
    ...le16(MICRO_ROM_PROGRAM_OFFSET), // mov si, 0x100
    0xbf,
    ...le16(MICRO_LOAD_ADDRESS), //      mov di, 0x1000
    0xb9,
    ...le16(length), //                  mov cx, length
    0xf3,
    0xa4, //                             rep movsb
    0x31,
    0xc0, //                             xor ax, ax
    0x8e,
    0xd8, //                             mov ds, ax
    0x8e,
    0xe0, //                             mov fs, ax
    0x8e,
    0xe8, //                             mov gs, ax
    0x66,
    0x31,
    0xc0, //                       xor eax, eax
    0x66,
    0x31,
    0xdb, //                       xor ebx, ebx
    0x66,
    0x31,
    0xc9, //                       xor ecx, ecx
    0x66,
    0x31,
    0xd2, //                       xor edx, edx
    0x66,
    0x31,
    0xf6, //                       xor esi, esi
    0x66,
    0x31,
    0xff, //                       xor edi, edi
    0x66,
    0x31,
    0xed, //                       xor ebp, ebp
    0x66,
    0x6a,
    0x02, //                       push dword 2
    0x66,
    0x9d, //                             popfd                 ; EFLAGS = 2, as KVM_SET_REGS sets it
    0xea,
    ...le16(MICRO_LOAD_ADDRESS),
    ...le16(0), // jmp 0000:1000
  ];
}

/**
 * The ROM image for a program; the same bytes as the KVM micro-guest runs are at offset 0x100.
 * @example microRom('out-loop', 1000).length // 65536
 */
export function microRom(program: MicroProgramName, iterations: number): Uint8Array<ArrayBuffer> {
  const bytes = microProgramBytes(program, iterations);
  const code = stub(bytes.length);
  if (code.length > MICRO_ROM_PROGRAM_OFFSET) throw new Error('micro-rom stub overlaps the program');
  if (MICRO_ROM_PROGRAM_OFFSET + bytes.length > RESET_VECTOR_OFFSET) throw new Error('micro-program too large for the ROM');
  const rom = new Uint8Array(new ArrayBuffer(MICRO_ROM_BYTES));
  rom.set(code, 0);
  rom.set(bytes, MICRO_ROM_PROGRAM_OFFSET);
  rom.set([0xea, ...le16(0), ...le16(ROM_SEGMENT)], RESET_VECTOR_OFFSET); // jmp F000:0000
  return rom;
}

/** EIP of a CPU halted at the program's end: one past its final `hlt`. */
export function microHaltedEip(program: MicroProgramName): number {
  return MICRO_LOAD_ADDRESS + haltOffset(program) + 1;
}
