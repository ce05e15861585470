/**
 * The nanobenchmarks of Adams & Agesen [AA06] as teaching-machine guests: each
 * repeats one operation in a loop, so (cycles of N₂ iterations − cycles of N₁) /
 * (N₂ − N₁) is that operation's cost, with boot and warm-up cancelled out. Tests
 * and `npm run bench:sim` run these same programs (see `calibration.ts`).
 *
 * Every guest turns paging on (LPTB) and runs without a timer, so nothing else
 * happens in the loop.
 */
import { assembleOrThrow } from '../asm/assemble.ts';
import type { Program } from '../machine/program.ts';

export type NanobenchId = 'syscall' | 'in' | 'cr8wr' | 'callret' | 'pgfault' | 'divzero' | 'ptemod';

export const NANOBENCH_IDS: readonly NanobenchId[] = ['syscall', 'in', 'cr8wr', 'callret', 'pgfault', 'divzero', 'ptemod'];

/** Cycles per operation on the Pentium 4 672 of [AA06]: native, software VMM (BT), hardware VMM (VT-x). */
export interface PaperFigures {
  readonly native: number;
  readonly bt: number;
  readonly vtx: number;
  /** The values that are approximate readings of the paper's figure rather than stated numbers. */
  readonly approximate: readonly ('native' | 'bt' | 'vtx')[];
}

export interface Nanobenchmark {
  readonly id: NanobenchId;
  /** What the loop does on the teaching machine (English, for reports). */
  readonly operation: string;
  /** Operations per loop iteration. */
  readonly perIteration: number;
  readonly paper: PaperFigures;
  readonly source: (iterations: number) => string;
}

const PT = `.equ PT, 3072               ; the page table (64 words)`;

/** Installs the trap vector and the page table; `user` drops to user mode (IF off: no timer anyway). */
function boot(user: boolean): string {
  return `boot:
    LI   r1, trap
    MTCR VEC, r1
    LI   r1, PT
    LPTB r1                  ; paging on
${
  user
    ? `    LI   r1, user
    MTCR EPC, r1
    LI   r1, 1               ; user mode
    MTCR STATUS, r1
    IRET`
    : '    JMP  user'
}`;
}

/** A loop of `body` run `iterations` times, falling off the end of the program when done. */
function loop(iterations: number, body: string): string {
  return `user:
    LI   r4, ${iterations}
loop:
${body}
    ADDI r4, r4, -1
    CMPI r4, 0
    JNZ  loop`;
}

const STOP_ON_UNEXPECTED = `trap:                        ; not expected here: stop
    DI
    HLT`;

export const NANOBENCHMARKS: Readonly<Record<NanobenchId, Nanobenchmark>> = {
  syscall: {
    id: 'syscall',
    operation: 'SYSCALL 2 from user mode: getpid() and IRET back',
    perIteration: 1,
    paper: { native: 242, bt: 2308, vtx: 246, approximate: [] },
    source: (n) => `; syscall nanobenchmark [AA06]: getpid() in a loop
${PT}
.equ CALLS, 256
${boot(true)}
trap:                        ; system call handler
    PUSH r1
    MFCR r1, CAUSE
    LI   r2, 8
    SHR  r1, r1, r2          ; the system call number
    CMPI r1, 2
    JNZ  trap_done
    LD   r1, [CALLS]
    ADDI r1, r1, 1
    ST   [CALLS], r1
    LI   r0, 42              ; getpid()
trap_done:
    POP  r1
    IRET
${loop(n, '    SYSCALL 2')}
`,
  },
  in: {
    id: 'in',
    operation: 'IN r1, CONSOLE in the kernel: read a device port',
    perIteration: 1,
    paper: { native: 3200, bt: 216, vtx: 3400, approximate: ['native', 'bt', 'vtx'] },
    source: (n) => `; in nanobenchmark [AA06]: the kernel reads a device port in a loop
${PT}
${boot(false)}
${STOP_ON_UNEXPECTED}
${loop(n, '    IN   r1, CONSOLE')}
`,
  },
  cr8wr: {
    id: 'cr8wr',
    operation: 'DI and EI in the kernel (nearest to a CR8 write: both mask interrupts; CLI/STI never exit under VT-x)',
    perIteration: 2,
    paper: { native: 150, bt: 30, vtx: 3000, approximate: ['native', 'bt', 'vtx'] },
    source: (n) => `; cr8wr nanobenchmark [AA06], nearest here: masking interrupts with DI/EI
${PT}
${boot(false)}
${STOP_ON_UNEXPECTED}
${loop(n, '    DI\n    EI')}
`,
  },
  callret: {
    id: 'callret',
    operation: 'CALL and RET in the kernel',
    perIteration: 1,
    paper: { native: 40, bt: 150, vtx: 40, approximate: ['native', 'bt', 'vtx'] },
    source: (n) => `; callret nanobenchmark [AA06]: a call and a return in the kernel
${PT}
${boot(false)}
${STOP_ON_UNEXPECTED}
f:
    RET
${loop(n, '    CALL f')}
`,
  },
  pgfault: {
    id: 'pgfault',
    operation: 'a user load from an unmapped page; the kernel zeroes a frame, writes its page-table entry and resumes',
    perIteration: 1,
    paper: { native: 1093, bt: 3927, vtx: 11_242, approximate: [] },
    source: (n) => `; pgfault nanobenchmark [AA06]: a page fault the guest kernel handles
; (the teaching machine does not translate addresses, so the handler
; resumes after the faulting load instead of retrying it)
${PT}
.equ FRAME, 2048             ; the frame the kernel hands out...
.equ FRAME_END, 2248         ; ...200 words long
.equ NEXT, 256
${boot(true)}
trap:                        ; page fault handler
    PUSH r1
    PUSH r2
    PUSH r3
    MFCR r1, EPC
    ADDI r1, r1, 1
    MTCR EPC, r1             ; resume after the load
    LI   r1, FRAME
    LI   r2, FRAME_END
    LI   r3, 0
zero:
    ST   [r1], r3            ; zero the new frame
    ADDI r1, r1, 1
    CMP  r1, r2
    JNZ  zero
    LD   r1, [NEXT]
    ADDI r1, r1, 1
    ST   [NEXT], r1
    LI   r2, 63
    AND  r1, r1, r2
    ST   [r1+PT], r2         ; map it: a page-table write
    POP  r3
    POP  r2
    POP  r1
    IRET
${loop(n, '    LD   r5, [9999]         ; an unmapped address')}
`,
  },
  divzero: {
    id: 'divzero',
    operation: 'a user exception (nearest: #GP from DI in user mode); the kernel delivers a signal frame and skips it',
    perIteration: 1,
    paper: { native: 1000, bt: 8000, vtx: 1200, approximate: ['native', 'bt', 'vtx'] },
    source: (n) => `; divzero nanobenchmark [AA06], nearest here: a #GP the guest kernel handles
${PT}
${boot(true)}
trap:                        ; exception handler: signal the process
    PUSH r1
    PUSH r2
    MFCR r1, EPC
    ADDI r1, r1, 1
    MTCR EPC, r1             ; skip the faulting instruction
    LI   r2, 150
signal:
    LD   r1, [r2+1024]       ; build the signal frame
    ST   [r2+1536], r1
    ADDI r2, r2, -1
    CMPI r2, 0
    JNZ  signal
    POP  r2
    POP  r1
    IRET
${loop(n, '    DI                       ; privileged in user mode: #GP')}
`,
  },
  ptemod: {
    id: 'ptemod',
    operation: 'a kernel store into a page-table entry',
    perIteration: 1,
    paper: { native: 15, bt: 391, vtx: 12_733, approximate: ['native'] },
    source: (n) => `; ptemod nanobenchmark [AA06]: the kernel rewrites a page-table entry
${PT}
.equ PTE, 3077               ; entry 5 of the page table
${boot(false)}
${STOP_ON_UNEXPECTED}
${loop(n, '    ST   [PTE], r4')}
`,
  },
};

/**
 * A nanobenchmark assembled for `iterations` loop iterations.
 *
 * @example
 * nanobenchProgram('ptemod', 100).length // instructions in the listing
 */
export function nanobenchProgram(id: NanobenchId, iterations: number): Program {
  return assembleOrThrow(NANOBENCHMARKS[id].source(iterations));
}
