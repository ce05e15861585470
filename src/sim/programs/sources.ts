/**
 * Assembly sources of the example guests. Shared pieces (the trap handler, the
 * console routine) are spliced in as text so every guest is one readable
 * listing a lesson can show whole.
 *
 * Memory map used by all guests:
 *   0x100 (256)  kernel variables (TICKS, SYSCALLS, ...)
 *   0x200 (512)  strings
 *   0x400 (1024) data tables
 *   top          stack (grows down from the end of memory)
 */

/** The trap handler every guest kernel installs: counts ticks, serves syscalls 0 (exit), 1 (putchar r0), 2 (getpid → r0). */
export const TRAP_HANDLER = `
; ---- trap handler: one entry for interrupts, system calls and faults ----
trap:
    PUSH r1
    PUSH r2
    MFCR r1, CAUSE
    LI   r2, 255
    AND  r2, r1, r2          ; r2 = cause code (low 8 bits)
    CMPI r2, 1               ; 1 = timer interrupt
    JZ   on_timer
    CMPI r2, 2               ; 2 = system call
    JZ   on_syscall
    LI   r1, '!'             ; anything else is a fault: report and stop
    OUT  CONSOLE, r1
    DI
    HLT
on_timer:
    LD   r1, [TICKS]
    ADDI r1, r1, 1
    ST   [TICKS], r1
    JMP  trap_return
on_syscall:
    LD   r2, [SYSCALLS]
    ADDI r2, r2, 1
    ST   [SYSCALLS], r2
    LI   r2, 8
    SHR  r1, r1, r2          ; r1 = syscall number (CAUSE >> 8)
    CMPI r1, 0
    JZ   sys_exit
    CMPI r1, 1
    JZ   sys_putchar
    LI   r0, 42              ; syscall 2: getpid() returns 42
    JMP  trap_return
sys_putchar:
    OUT  CONSOLE, r0
    JMP  trap_return
sys_exit:
    LI   r1, EXIT_MSG
    CALL puts
    DI
    HLT                      ; interrupts off: the machine stops here
trap_return:
    POP  r2
    POP  r1
    IRET

; ---- puts: print the zero-terminated string at r1 (clobbers r1, r2) ----
puts:
    LD   r2, [r1]
    CMPI r2, 0
    JZ   puts_done
    OUT  CONSOLE, r2
    ADDI r1, r1, 1
    JMP  puts
puts_done:
    RET
`;

/**
 * Common constants and the boot sequence that installs the vector, starts the
 * timer and drops to user mode. `exitMessage` (default "[exit]\n") is printed by
 * the exit system call; a guest that should do no I/O passes "".
 */
export function kernelBoot(options: { timerPeriod: number; userEntry: string; banner: string; exitMessage?: string }): string {
  return `
.equ TICKS, 256
.equ SYSCALLS, 257
.equ BANNER, 512
.equ EXIT_MSG, 600
.ascii BANNER, ${JSON.stringify(options.banner)}
.ascii EXIT_MSG, ${JSON.stringify(options.exitMessage ?? '[exit]\n')}

boot:
    LI   r1, trap
    MTCR VEC, r1             ; install the trap vector
    LI   r1, BANNER
    CALL puts
    LI   r1, ${options.timerPeriod}
    OUT  TIMER, r1           ; timer interrupt every ${options.timerPeriod} instructions
    LI   r1, ${options.userEntry}
    MTCR EPC, r1             ; "return" to the user program...
    LI   r1, 9               ; ...in user mode (bit 0) with IF on (IF = 4, saved at bit 3)
    MTCR STATUS, r1
    IRET
`;
}

/** A tiny guest kernel: boots, prints, takes timer interrupts, runs a user program that makes system calls. */
export function tinyKernelSource(options: { iterations: number; timerPeriod: number }): string {
  return `; Tiny guest kernel — boot, console, timer interrupts, one user program
${kernelBoot({ timerPeriod: options.timerPeriod, userEntry: 'user_main', banner: 'Halo! kernel tamu siap.\n' })}
${TRAP_HANDLER}
; ---- user program: sum 1..N, then print "ok" via syscalls and exit ----
user_main:
    LI   r3, 0               ; sum
    LI   r4, ${options.iterations}
sum_loop:
    ADD  r3, r3, r4
    ADDI r4, r4, -1
    CMPI r4, 0
    JNZ  sum_loop
    ST   [1024], r3          ; keep the result in memory
    LI   r0, 'o'
    SYSCALL 1
    LI   r0, 'k'
    SYSCALL 1
    LI   r0, 10
    SYSCALL 1
    SYSCALL 0                ; exit
`;
}

/** CPU-bound: a user program running an xorshift generator over a table; almost no sensitive instructions. */
export function cpuBoundSource(options: { iterations: number; timerPeriod: number }): string {
  // No console output: on bare metal each character is a slow device write.
  return `; CPU-bound workload — xorshift32 into a 256-word table, no I/O
${kernelBoot({ timerPeriod: options.timerPeriod, userEntry: 'user_main', banner: '', exitMessage: '' })}
${TRAP_HANDLER}
user_main:
    LI   r0, 255             ; table index mask
    LI   r1, 2463534242      ; x (xorshift state)
    LI   r2, ${options.iterations}
    LI   r4, 13
    LI   r5, 17
    LI   r6, 5
xorshift:
    SHL  r3, r1, r4          ; x ^= x << 13
    XOR  r1, r1, r3
    SHR  r3, r1, r5          ; x ^= x >>> 17
    XOR  r1, r1, r3
    SHL  r3, r1, r6          ; x ^= x << 5
    XOR  r1, r1, r3
    AND  r3, r1, r0
    ST   [r3+1024], r1       ; table[x & 255] = x
    ADDI r2, r2, -1
    CMPI r2, 0
    JNZ  xorshift
    SYSCALL 0
`;
}

/** I/O-heavy: a kernel network driver sending packets word by word to the NIC port. */
export function ioHeavySource(options: { packets: number; wordsPerPacket: number; timerPeriod: number }): string {
  return `; I/O-heavy workload — a kernel driver sends packets to the NIC, one OUT per word
.equ TICKS, 256
.equ SYSCALLS, 257
.equ EXIT_MSG, 600
.ascii EXIT_MSG, "[exit]\\n"
boot:
    LI   r1, trap
    MTCR VEC, r1
    LI   r1, ${options.timerPeriod}
    OUT  TIMER, r1
    EI
    LI   r3, ${options.packets}
send_packet:
    LI   r4, ${options.wordsPerPacket}
    MOV  r0, r3              ; payload seed
send_word:
    OUT  NIC, r0             ; one device write per word
    ADDI r0, r0, 7
    ADDI r4, r4, -1
    CMPI r4, 0
    JNZ  send_word
    LI   r1, '.'
    OUT  CONSOLE, r1         ; progress mark per packet
    ADDI r3, r3, -1
    CMPI r3, 0
    JNZ  send_packet
    LI   r0, 0
    SYSCALL 0
${TRAP_HANDLER}
`;
}

/**
 * Privileged-heavy: a kernel loop of critical sections and address-space switches,
 * with almost no other work — the worst case for trapping strategies (and the one
 * loop where an emulator, which pays no trap, keeps up with them).
 */
export function privilegedHeavySource(options: { iterations: number; timerPeriod: number }): string {
  return `; Privileged-heavy workload — kernel scheduler loop: DI/EI, LPTB
.equ TICKS, 256
.equ SYSCALLS, 257
.equ CURRENT, 258
.equ EXIT_MSG, 600
.ascii EXIT_MSG, "[exit]\\n"
boot:
    LI   r1, trap
    MTCR VEC, r1
    LI   r1, ${options.timerPeriod}
    OUT  TIMER, r1
    EI
    LI   r3, ${options.iterations}
    LI   r5, 4096            ; page-table base of process A
    LI   r6, 8192            ; page-table base of process B
schedule:
    DI                       ; critical section: pick the next process
    LD   r4, [CURRENT]
    XOR  r4, r4, r5
    XOR  r4, r4, r6          ; toggle between A and B
    ST   [CURRENT], r4
    LPTB r4                  ; switch address space
    EI
    ADDI r3, r3, -1
    CMPI r3, 0
    JNZ  schedule
    LI   r0, 0
    SYSCALL 0
${TRAP_HANDLER}
`;
}

/** Syscall-heavy: a user program calling getpid() in a loop (the classic trap-cost micro-benchmark). */
export function syscallHeavySource(options: { iterations: number; timerPeriod: number }): string {
  return `; Syscall-heavy workload — getpid() in a loop
${kernelBoot({ timerPeriod: options.timerPeriod, userEntry: 'user_main', banner: 'syscall-heavy\n' })}
${TRAP_HANDLER}
user_main:
    LI   r3, ${options.iterations}
call_loop:
    SYSCALL 2                ; getpid() → r0
    ADD  r4, r4, r0
    ADDI r3, r3, -1
    CMPI r3, 0
    JNZ  call_loop
    ST   [1024], r4
    SYSCALL 0
`;
}

/**
 * The Popek–Goldberg flaw: a kernel protecting a counter with
 * PUSHF / DI / ... / POPF, the idiom x86 kernels used. Run natively, POPF
 * restores IF and timer interrupts keep coming. Run deprivileged on the
 * classic machine, POPF silently keeps IF = 0 and the kernel stops getting ticks.
 */
export function popfFlawSource(options: { iterations: number; timerPeriod: number }): string {
  return `; POPF flaw demo — a kernel critical section restored with POPF
.equ TICKS, 256
.equ SYSCALLS, 257
.equ COUNTER, 259
.equ EXIT_MSG, 600
.ascii EXIT_MSG, "[exit]\\n"
boot:
    LI   r1, trap
    MTCR VEC, r1
    LI   r1, ${options.timerPeriod}
    OUT  TIMER, r1
    EI                       ; interrupts on
    LI   r3, ${options.iterations}
work:
    PUSHF                    ; save flags (IF = 1)
    DI                       ; critical section begins
    LD   r1, [COUNTER]
    ADDI r1, r1, 1
    ST   [COUNTER], r1
    POPF                     ; restore flags — should turn interrupts back on
    ADDI r4, r4, 3           ; some work outside the critical section
    ADDI r4, r4, 5
    ADDI r3, r3, -1
    CMPI r3, 0
    JNZ  work
    LD   r1, [TICKS]         ; how many timer interrupts did the kernel see?
    ST   [1024], r1
    LI   r0, 0
    SYSCALL 0
${TRAP_HANDLER}
`;
}

/**
 * A small OS at work (lesson 3's demo): two processes take turns. Each computes
 * for a time slice, asks for its pid and yields; on a yield the kernel switches
 * address space in a critical section and maps a page for the next process. The
 * mix of a real system — mostly ordinary instructions — where every strategy
 * lands where the literature puts it.
 */
export function osMixSource(options: { iterations: number; timerPeriod: number }): string {
  return `; A small OS at work — two processes take turns on one CPU.
; Each process computes for a time slice (ordinary instructions), asks the
; kernel for its pid and yields. On a yield the kernel switches address space
; (LPTB) and maps a page for the next process (a page-table write).
.equ TICKS, 256
.equ SYSCALLS, 257
.equ CURRENT, 258            ; page-table base of the running process
.equ NEXT_FRAME, 259
.equ PT_A, 3072              ; page table of process A (64 words)
.equ PT_SWAP, 64             ; PT_A XOR PT_SWAP = page table of process B
.equ EXIT_MSG, 600
.ascii EXIT_MSG, "[exit]\\n"

boot:
    LI   r1, trap
    MTCR VEC, r1             ; install the trap vector
    LI   r1, ${options.timerPeriod}
    OUT  TIMER, r1           ; a timer tick every ${options.timerPeriod} instructions
    LI   r1, PT_A
    ST   [CURRENT], r1
    LPTB r1                  ; process A's address space
    LI   r1, user_main
    MTCR EPC, r1             ; "return" to the user program...
    LI   r1, 9               ; ...in user mode with IF on
    MTCR STATUS, r1
    IRET

; ---- trap handler: timer ticks and system calls ----
trap:
    PUSH r1
    PUSH r2
    MFCR r1, CAUSE
    LI   r2, 255
    AND  r2, r1, r2          ; r2 = cause code (low 8 bits)
    CMPI r2, 1
    JZ   on_timer
    CMPI r2, 2
    JZ   on_syscall
    LI   r1, '!'             ; anything else is a fault: report and stop
    OUT  CONSOLE, r1
    DI
    HLT
on_timer:
    LD   r1, [TICKS]
    ADDI r1, r1, 1
    ST   [TICKS], r1
    JMP  trap_return
on_syscall:
    LI   r2, 8
    SHR  r1, r1, r2          ; r1 = syscall number
    CMPI r1, 3
    JZ   sys_yield
    CMPI r1, 0
    JZ   sys_exit
    LI   r0, 42              ; syscall 2: getpid() returns 42
    JMP  trap_return
sys_yield:
    MFCR r1, EPC             ; save the return state: an interrupt may nest from here
    PUSH r1
    MFCR r1, STATUS
    PUSH r1
    EI                       ; the scheduler runs with interrupts on
    LD   r2, [SYSCALLS]
    ADDI r2, r2, 1
    ST   [SYSCALLS], r2      ; count the switch
    DI                       ; critical section: switch process
    LD   r1, [CURRENT]
    LI   r2, PT_SWAP
    XOR  r1, r1, r2          ; the other process's page table
    ST   [CURRENT], r1
    LPTB r1                  ; switch address space
    LD   r2, [NEXT_FRAME]
    ADDI r2, r2, 1
    ST   [NEXT_FRAME], r2
    ST   [r1+5], r2          ; map a fresh frame for it: a page-table write
    POP  r1
    MTCR STATUS, r1
    POP  r1
    MTCR EPC, r1
    JMP  trap_return
sys_exit:
    LI   r1, EXIT_MSG
    CALL puts
    DI
    HLT                      ; interrupts off: the machine stops here
trap_return:
    POP  r2
    POP  r1
    IRET

; ---- puts: print the zero-terminated string at r1 (clobbers r1, r2) ----
puts:
    LD   r2, [r1]
    CMPI r2, 0
    JZ   puts_done
    OUT  CONSOLE, r2
    ADDI r1, r1, 1
    JMP  puts
puts_done:
    RET

; ---- the user program both processes run ----
user_main:
    LI   r1, 2463534242      ; xorshift state
    LI   r4, 13
    LI   r5, 17
    LI   r6, 5
    LI   r2, ${options.iterations}
    ST   [1025], r2          ; time slices left
slice:
    LI   r2, 300             ; one time slice of computing
work:
    SHL  r3, r1, r4          ; x ^= x << 13
    XOR  r1, r1, r3
    SHR  r3, r1, r5          ; x ^= x >>> 17
    XOR  r1, r1, r3
    SHL  r3, r1, r6          ; x ^= x << 5
    XOR  r1, r1, r3
    ADDI r2, r2, -1
    CMPI r2, 0
    JNZ  work
    ST   [1024], r1
    SYSCALL 2                ; getpid()
    SYSCALL 3                ; yield to the other process
    LD   r2, [1025]
    ADDI r2, r2, -1
    ST   [1025], r2
    CMPI r2, 0
    JNZ  slice
    SYSCALL 0                ; exit
`;
}

/**
 * Process creation, fork-like: the parent forks a short-lived child again and
 * again. The kernel switches to the child's address space and fills its page
 * table, one page-table write per entry; at the child's exit it clears the
 * table and switches back. The workload where first-generation VT-x, with
 * shadow paging, lost to binary translation [AA06, forkwait].
 */
export function forkSource(options: { iterations: number; timerPeriod: number }): string {
  return `; Process creation, fork-like — the parent forks a child again and again.
; The kernel builds the child's page table (a page-table write per entry),
; the child runs briefly and exits, the kernel tears the table down.
.equ TICKS, 256
.equ PARENT_PC, 258          ; where the parent continues after fork()
.equ PT_PARENT, 3072         ; the parent's page table (64 words)
.equ PT_CHILD, 3136          ; the child's page table
.equ ENTRIES, 16             ; entries the child needs
.equ EXIT_MSG, 600
.ascii EXIT_MSG, "[exit]\\n"
.data PT_PARENT, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116

boot:
    LI   r1, trap
    MTCR VEC, r1             ; install the trap vector
    LI   r1, ${options.timerPeriod}
    OUT  TIMER, r1           ; a timer tick every ${options.timerPeriod} instructions
    LI   r1, PT_PARENT
    LPTB r1                  ; the parent's address space
    LI   r1, user_main
    MTCR EPC, r1
    LI   r1, 9               ; user mode, IF on
    MTCR STATUS, r1
    IRET

; ---- trap handler: timer ticks and system calls ----
trap:
    PUSH r1
    PUSH r2
    MFCR r1, CAUSE
    LI   r2, 255
    AND  r2, r1, r2          ; r2 = cause code (low 8 bits)
    CMPI r2, 1
    JZ   on_timer
    CMPI r2, 2
    JZ   on_syscall
    LI   r1, '!'             ; anything else is a fault: report and stop
    OUT  CONSOLE, r1
    DI
    HLT
on_timer:
    LD   r1, [TICKS]
    ADDI r1, r1, 1
    ST   [TICKS], r1
    JMP  trap_return
on_syscall:
    LI   r2, 8
    SHR  r1, r1, r2          ; r1 = syscall number
    CMPI r1, 4
    JZ   sys_fork
    CMPI r1, 5
    JZ   sys_child_exit
    CMPI r1, 0
    JZ   sys_exit
    LI   r0, 42              ; syscall 2: getpid() returns 42
    JMP  trap_return
sys_fork:
    MFCR r1, EPC
    ST   [PARENT_PC], r1     ; the parent continues here later
    LI   r1, PT_CHILD
    LPTB r1                  ; switch to the child's address space
    LI   r2, 0
copy:
    LD   r1, [r2+PT_PARENT]  ; copy the parent's mapping...
    ST   [r2+PT_CHILD], r1   ; ...into the child's table: a page-table write
    ADDI r2, r2, 1
    CMPI r2, ENTRIES
    JNZ  copy
    LI   r1, child
    MTCR EPC, r1             ; return into the child
    JMP  trap_return
sys_child_exit:
    LI   r1, 0
    LI   r2, 0
clear:
    ST   [r2+PT_CHILD], r1   ; tear down the child's table: a page-table write
    ADDI r2, r2, 1
    CMPI r2, ENTRIES
    JNZ  clear
    LI   r1, PT_PARENT
    LPTB r1                  ; back to the parent's address space
    LD   r1, [PARENT_PC]
    MTCR EPC, r1             ; and into the parent
    JMP  trap_return
sys_exit:
    LI   r1, EXIT_MSG
    CALL puts
    DI
    HLT                      ; interrupts off: the machine stops here
trap_return:
    POP  r2
    POP  r1
    IRET

; ---- puts: print the zero-terminated string at r1 (clobbers r1, r2) ----
puts:
    LD   r2, [r1]
    CMPI r2, 0
    JZ   puts_done
    OUT  CONSOLE, r2
    ADDI r1, r1, 1
    JMP  puts
puts_done:
    RET

; ---- the user program: a parent that forks ----
user_main:
    LI   r2, ${options.iterations}
    ST   [1025], r2          ; forks left
parent:
    SYSCALL 4                ; fork(): the kernel runs the child first...
    LD   r2, [1025]          ; ...and the parent continues here after its exit
    ADDI r2, r2, -1
    ST   [1025], r2
    CMPI r2, 0
    JNZ  parent
    SYSCALL 0                ; exit
child:
    LI   r2, 200             ; the child's short life
child_work:
    ADDI r3, r3, 7
    ADDI r2, r2, -1
    CMPI r2, 0
    JNZ  child_work
    SYSCALL 5                ; exit(): back to the parent
`;
}
