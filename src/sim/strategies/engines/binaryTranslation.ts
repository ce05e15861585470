import type { CpuState } from '../../machine/cpu.ts';
import {
  execute,
  EXIT_END,
  EXIT_FAULT,
  EXIT_FUEL,
  EXIT_HALT,
  EXIT_PT_WRITE,
  EXIT_TRAP,
  type ExitCode,
} from '../../machine/execute.ts';
import { trapPrivileged } from '../../machine/hardware.ts';
import {
  MODE_USER,
  OP_CALL,
  OP_END,
  OP_IRET,
  OP_LPTB,
  OP_PUSH,
  OP_PUSHF,
  OP_ST,
  PAGE_TABLE_WORDS,
  STATUS_PREV_USER,
} from '../../machine/isa.ts';
import { instructionAt } from '../../machine/program.ts';
import { charge, guestLane } from '../account.ts';
import type { Block } from '../bt/state.ts';
import { translateBlock } from '../bt/translate.ts';
import type { Session, TraceEvent } from '../types.ts';
import { runDirect, runPendingEmulation, type Engine } from './engine.ts';
import { idle } from './native.ts';
import { isIo, trapReasonOf } from './reasons.ts';
import { chargeReflection, reflectGuestEvent } from './reflect.ts';
import { hostTimerTick, injectTimer, pageTableWriteTrap } from './trapAndEmulate.ts';

function edgeKey(s: Session, from: Block, to: number): number {
  return from.key * (s.program.length + 1) + to;
}

/** Finds the block for pc in the current mode: chained, cached or freshly translated. */
function lookup(s: Session, trace: TraceEvent[] | null): Block {
  const { bt, cpu, counters, costs } = s;
  const pc = cpu.pc;
  const key = pc * 2 + cpu.mode;
  const last = bt.last;
  let block = bt.cache[key];
  if (block !== undefined && last !== null) {
    // A self-loop is compiled as a loop, so its back edge is chained from the start.
    const chained = (last === block && block.selfLoop && pc === block.start) || bt.chained.has(edgeKey(s, last, pc));
    if (chained) {
      counters.chainedTransfers++;
      return block;
    }
  }
  if (block === undefined) {
    if (bt.size >= bt.options.cacheCapacity) {
      // Full: flush everything, as QEMU does when its code buffer fills.
      bt.cache = [];
      bt.chained.clear();
      bt.size = 0;
      bt.flushes++;
    }
    block = translateBlock({
      code: s.program.code,
      start: pc,
      mode: cpu.mode,
      variant: s.variant,
      memSize: cpu.mem.length,
      maxBlockLength: bt.options.maxBlockLength,
      costs,
      compile: bt.options.compile,
      ctx: s.ctx,
      adaptive: bt.adaptive,
    });
    bt.cache[key] = block;
    bt.size++;
    counters.cacheMisses++;
    counters.translations++;
    counters.translatedInstructions += Math.max(1, block.length);
    const cycles = costs.translatePerBlock + Math.max(1, block.length) * costs.translatePerInstruction;
    charge(s, trace, 'translation', cycles, 'translate', 'monitor', pc, { blockLength: block.length });
  } else {
    counters.cacheHits++;
    charge(s, trace, 'translation', costs.translationCacheLookup, 'cache-hit', 'monitor', pc, {
      blockLength: block.length,
    });
  }
  if (last !== null && bt.options.chaining && last.successors.includes(pc)) bt.chained.add(edgeKey(s, last, pc));
  return block;
}

/** Cycles and inline-sensitive count of `executed` instructions of `block` starting at its start. */
function chargeBlock(s: Session, block: Block, executed: number, trace: TraceEvent[] | null): void {
  const len = block.length;
  const iterations = Math.floor(executed / len);
  const rest = executed % len;
  const cost = iterations * (block.costPrefix[len] ?? 0) + (block.costPrefix[rest] ?? 0);
  s.counters.inlineSensitive += iterations * (block.sensitivePrefix[len] ?? 0) + (block.sensitivePrefix[rest] ?? 0);
  if (block.selfLoop) s.counters.chainedTransfers += Math.max(0, Math.ceil(executed / len) - 1);
  if (trace === null) {
    s.counters.cycles += cost;
    s.counters.cyclesBy.guest += cost;
    return;
  }
  const lane = guestLane(block.mode);
  for (let i = 0; i < executed; i++) {
    const k = i % len;
    const t = block.translations[k];
    const cycles = (block.costPrefix[k + 1] ?? 0) - (block.costPrefix[k] ?? 0);
    charge(s, trace, 'guest', cycles, t === 'inline-sensitive' ? 'emulate' : 'translated', lane, block.start + k);
  }
}

/** Where the store at pc writes, or -1 when the instruction is not a store. */
function storeAddress(s: Session, pc: number): number {
  const { op, b, c } = instructionAt(s.program.code, pc);
  const r = s.cpu.regs;
  if (op === OP_ST) return ((r[b] ?? 0) + c) | 0;
  if (op === OP_PUSH || op === OP_PUSHF || op === OP_CALL) return ((r[7] ?? 0) - 1) | 0;
  return -1;
}

function inPageTable(cpu: CpuState, address: number): boolean {
  return cpu.ptb > 0 && address >= cpu.ptb && address - cpu.ptb < PAGE_TABLE_WORDS;
}

/**
 * A translated kernel store wrote the write-protected page table. This first time
 * it faults into the monitor, which emulates it; then the translator marks the
 * instruction and retranslates its block with the store as a callout that updates
 * the shadow entry directly — adaptive binary translation [AA06], which turns a
 * ~2,000-cycle fault into a ~400-cycle callout (their ptemod: 391 cycles).
 */
function adaptToPageTableWrite(s: Session, trace: TraceEvent[] | null): void {
  const pc = s.cpu.pc;
  const bt = s.bt;
  pageTableWriteTrap(s, trace, s.costs.trapRoundTrip);
  bt.adaptive.add(pc);
  bt.cache.forEach((block, key) => {
    if (block !== undefined && block.mode !== MODE_USER && block.start <= pc && pc < block.start + Math.max(1, block.length)) {
      bt.cache[key] = undefined;
      bt.size--;
    }
  });
  bt.chained.clear();
  bt.last = null;
}

/**
 * Binary translation (VMware-style, Adams & Agesen 2006). Guest *user* code runs by
 * direct execution, as in VMware's VMM: it runs deprivileged anyway, and the
 * privileged instructions it might try fault into the monitor, which reflects
 * them to the guest kernel. Guest *kernel* code is translated block by block
 * into host code (here: JavaScript functions) kept in a translation cache.
 * Innocuous instructions translate to themselves; sensitive ones the kernel uses
 * often (EI, DI, POPF, MFCR, MTCR) are rewritten into cheap operations on the
 * virtual CPU; I/O, HLT, IRET, LPTB and system calls call out to the monitor.
 * Because the translator sees every kernel POPF, it restores the virtual IF
 * correctly even on the classic machine. Memory is virtualized with shadow page
 * tables; kernel stores that write the guest's page table become callouts after
 * their first fault.
 *
 * Timer interrupts land on the same instruction as natively: a block that would
 * straddle the next tick is run instruction by instruction instead.
 */
export const binaryTranslationEngine: Engine = {
  run(s, hard, soft, trace): ExitCode {
    const cpu = s.cpu;
    const code = s.program.code;
    const pending = runPendingEmulation(s, trace);
    if (pending !== undefined) return pending;
    if (cpu.mode === MODE_USER) {
      s.bt.last = null;
      return runDirect(s, Math.min(hard, soft), trace, s.costs.nativeInstruction, 'guest');
    }
    if ((code[cpu.pc * 4] ?? OP_END) === OP_END) {
      s.bt.last = null;
      return EXIT_END;
    }
    const block = lookup(s, trace);
    if (block.callout) {
      s.bt.last = null;
      const c = s.costs;
      const op = code[cpu.pc * 4] ?? OP_END;
      let cost = c.translationCallout + (isIo(op) ? c.deviceEmulation : 0);
      if (op === OP_LPTB) cost += c.pageTableSwitch;
      if (inPageTable(cpu, storeAddress(s, cpu.pc))) cost += c.pageTableUpdate;
      // IRET to guest user code: the monitor leaves translated code for direct execution.
      if (op === OP_IRET && (cpu.status & STATUS_PREV_USER) !== 0) cost += c.directExecutionSwitch;
      const reason = s.bt.adaptive.has(cpu.pc) ? 'page-table' : trapReasonOf(op);
      charge(s, trace, 'monitor', cost, 'emulate', 'monitor', cpu.pc, { reason });
      s.counters.emulated++;
      return execute(cpu, 1, s.nativeCtx, code);
    }
    const before = cpu.retired;
    let exit: ExitCode;
    if (block.length <= hard) {
      exit = block.run(cpu, cpu.regs, cpu.mem, Math.min(hard, Math.max(soft, block.length)));
      s.bt.last = exit === EXIT_FUEL ? block : null;
    } else {
      // The next tick falls inside this block: run up to it exactly.
      exit = execute(cpu, hard, s.ctx, code);
      s.bt.last = null;
    }
    chargeBlock(s, block, cpu.retired - before, trace);
    return exit;
  },
  exit(s, exit, trace) {
    if (exit !== EXIT_FUEL) s.bt.last = null;
    const cpu = s.cpu;
    const user = cpu.mode === MODE_USER;
    if (exit === EXIT_TRAP) {
      // Direct execution: a guest *user* program tried a privileged instruction. The
      // #GP reaches the monitor, which reflects it into the guest kernel.
      chargeReflection(s, trace, cpu.pc, 'fault', s.costs.nativeTrap);
      trapPrivileged(cpu, s.program.length);
    } else if (exit === EXIT_PT_WRITE) {
      if (user) pageTableWriteTrap(s, trace, s.costs.trapRoundTrip);
      else adaptToPageTableWrite(s, trace);
    } else if (exit === EXIT_HALT) {
      if (idle(s, trace)) hostTimerTick(s, trace);
    } else {
      // From direct execution (and any fault) the hardware traps into the monitor;
      // a system call from translated kernel code is a callout, already in the monitor.
      const entry = user || exit === EXIT_FAULT ? s.costs.nativeTrap : 0;
      reflectGuestEvent(s, exit, trace, entry, s.costs.shadowPageFault);
    }
  },
  tick(s, trace) {
    s.bt.last = null;
    hostTimerTick(s, trace);
  },
  interrupt(s, trace) {
    s.bt.last = null;
    injectTimer(s, trace, s.costs.injectVirtual);
  },
};
