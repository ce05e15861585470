import {
  CAUSE_ILLEGAL,
  CAUSE_MEMORY,
  CAUSE_PRIVILEGED,
  CAUSE_TIMER,
  FLAG_IF,
  MODE_KERNEL,
  MODE_USER,
  PORT_CONSOLE,
  PORT_NIC,
  PORT_TIMER,
  REGISTER_SLOTS,
  SP,
  STATUS_FLAGS_SHIFT,
  STATUS_PREV_USER,
} from './isa.ts';
import type { Program } from './program.ts';

/** Why the machine is no longer running. */
export const STOP_RUNNING = 0;
/** HLT with interrupts disabled or no timer: nothing can wake the machine. */
export const STOP_HALTED = 1;
/** Control reached the end of the program. */
export const STOP_END = 2;
/** A trap could not be delivered (no valid vector): the machine gave up, like a triple fault. */
export const STOP_CRASHED = 3;
export type StopReason = typeof STOP_RUNNING | typeof STOP_HALTED | typeof STOP_END | typeof STOP_CRASHED;

/** Default data memory size in words. */
export const DEFAULT_MEMORY_WORDS = 4096;
/** Console characters kept in the state; later output only updates count and checksum. */
export const CONSOLE_KEEP = 4096;

/**
 * The complete architectural state of one (virtual) CPU with its memory and devices.
 *
 * For virtualized strategies `mode` is the *virtual* privilege level the guest
 * believes it has; whether the hardware really runs it deprivileged is a property
 * of the execution context, not of this state. The state is mutable plain data;
 * {@link cloneCpu} copies it.
 */
export interface CpuState {
  /** r0–r7, plus a hidden always-zero slot 8 used for `[imm]` addressing. */
  readonly regs: Int32Array;
  /** Data memory, one 32-bit word per address. */
  readonly mem: Int32Array;
  pc: number;
  /** Z | N | IF bits. */
  flags: number;
  mode: number;
  /** Trap vector (code address), -1 when none is installed. */
  vec: number;
  epc: number;
  status: number;
  cause: number;
  /** Page-table base; the machine does not translate addresses, see `memory/` for paging. */
  ptb: number;
  /** Timer period in retired instructions; 0 means off. */
  timerPeriod: number;
  /** Instructions until the next tick. */
  timerLeft: number;
  /** Timer ticks so far (readable with `IN rd, TIMER`). */
  ticks: number;
  /** 1 while a timer interrupt waits for IF. */
  irqPending: number;
  /** First {@link CONSOLE_KEEP} characters written to the console. */
  readonly console: number[];
  consoleCount: number;
  consoleChecksum: number;
  nicWords: number;
  nicChecksum: number;
  /** Guest instructions retired. */
  retired: number;
  /** `retired` at the last trap entry: a fault before the handler retires anything is a double fault. */
  lastTrapAt: number;
  stop: number;
}

/** Options for {@link createCpu}. */
export interface CpuOptions {
  /** Data memory words; defaults to the program's `.memory` or {@link DEFAULT_MEMORY_WORDS}. */
  readonly memoryWords?: number;
  /** Start in user mode instead of kernel mode (for user-only test programs). */
  readonly startInUserMode?: boolean;
}

/**
 * A CPU reset to run `program`: pc 0, kernel mode, interrupts off, sp at the top of memory.
 *
 * @example
 * const cpu = createCpu(assembleOrThrow('LI r1, 5\nHLT'));
 * cpu.regs[7] // 4096: the stack starts at the top of memory
 */
export function createCpu(program: Program, options: CpuOptions = {}): CpuState {
  const words = options.memoryWords ?? program.memoryWords ?? DEFAULT_MEMORY_WORDS;
  const mem = new Int32Array(words);
  for (const seg of program.data) {
    seg.values.forEach((v, i) => {
      const address = seg.address + i;
      if (address >= 0 && address < words) mem[address] = v;
    });
  }
  const regs = new Int32Array(REGISTER_SLOTS);
  regs[SP] = words;
  return {
    regs,
    mem,
    pc: 0,
    flags: 0,
    mode: options.startInUserMode === true ? MODE_USER : MODE_KERNEL,
    vec: -1,
    epc: 0,
    status: 0,
    cause: 0,
    ptb: 0,
    timerPeriod: 0,
    timerLeft: 0,
    ticks: 0,
    irqPending: 0,
    console: [],
    consoleCount: 0,
    consoleChecksum: 0,
    nicWords: 0,
    nicChecksum: 0,
    retired: 0,
    lastTrapAt: -1,
    stop: STOP_RUNNING,
  };
}

/** A deep copy of a CPU state (memory and registers included). */
export function cloneCpu(cpu: CpuState): CpuState {
  return { ...cpu, regs: cpu.regs.slice(), mem: cpu.mem.slice(), console: cpu.console.slice() };
}

/**
 * Device read for `IN rd, port`.
 * CONSOLE reads 0, TIMER reads the tick count, NIC reads the words sent; others read -1.
 */
export function portIn(cpu: CpuState, port: number): number {
  switch (port) {
    case PORT_CONSOLE:
      return 0;
    case PORT_TIMER:
      return cpu.ticks;
    case PORT_NIC:
      return cpu.nicWords;
    default:
      return -1;
  }
}

/**
 * Device write for `OUT port, rs`. Returns true when the write reprogrammed the
 * timer, so the caller must recompute how far it may run before the next tick.
 */
export function portOut(cpu: CpuState, port: number, value: number): boolean {
  switch (port) {
    case PORT_CONSOLE: {
      const ch = value & 0xffff;
      if (cpu.console.length < CONSOLE_KEEP) cpu.console.push(ch);
      cpu.consoleCount++;
      cpu.consoleChecksum = (Math.imul(cpu.consoleChecksum, 31) + ch) | 0;
      return false;
    }
    case PORT_TIMER:
      cpu.timerPeriod = value > 0 ? value : 0;
      cpu.timerLeft = cpu.timerPeriod;
      return true;
    case PORT_NIC:
      cpu.nicWords++;
      cpu.nicChecksum = (Math.imul(cpu.nicChecksum, 31) + value) | 0;
      return false;
    default:
      return false;
  }
}

/** Whether `target` is a valid code address for `codeLength` instructions (the END sentinel counts). */
export function isCodeAddress(target: number, codeLength: number): boolean {
  return target >= 0 && target <= codeLength;
}

/**
 * Architectural trap entry, as the hardware does it: save pc, mode and IF, switch
 * to kernel mode with interrupts off and jump to the vector. Without a valid
 * vector, or when a fault hits before the previous trap's handler retired a
 * single instruction (a double fault), the machine crashes
 * (stop = {@link STOP_CRASHED}) and this returns false.
 *
 * @example
 * enterTrap(cpu, CAUSE_SYSCALL | (3 << 8), cpu.pc, program.length) // syscall 3
 */
export function enterTrap(cpu: CpuState, cause: number, epc: number, codeLength: number): boolean {
  const code = cause & 0xff;
  const isFault = code === CAUSE_MEMORY || code === CAUSE_PRIVILEGED || code === CAUSE_ILLEGAL;
  if (!isCodeAddress(cpu.vec, codeLength) || (isFault && cpu.retired === cpu.lastTrapAt)) {
    cpu.stop = STOP_CRASHED;
    cpu.cause = cause;
    cpu.epc = epc;
    return false;
  }
  cpu.status = (cpu.mode === MODE_USER ? STATUS_PREV_USER : 0) | (cpu.flags << STATUS_FLAGS_SHIFT);
  cpu.epc = epc;
  cpu.cause = cause;
  cpu.lastTrapAt = cpu.retired;
  cpu.mode = MODE_KERNEL;
  cpu.flags &= ~FLAG_IF;
  cpu.pc = cpu.vec;
  return true;
}

/** Delivers the pending timer interrupt (caller checked IF). */
export function deliverTimerInterrupt(cpu: CpuState, codeLength: number): boolean {
  cpu.irqPending = 0;
  return enterTrap(cpu, CAUSE_TIMER, cpu.pc, codeLength);
}

/**
 * Advances the timer by `retired` instructions. Returns true if it fired
 * (the interrupt is then pending until IF allows delivery).
 */
export function advanceTimer(cpu: CpuState, retired: number): boolean {
  if (cpu.timerPeriod === 0 || retired === 0) return false;
  cpu.timerLeft -= retired;
  if (cpu.timerLeft > 0) return false;
  cpu.ticks++;
  cpu.irqPending = 1;
  cpu.timerLeft = cpu.timerPeriod;
  return true;
}
