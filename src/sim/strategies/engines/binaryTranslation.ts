import { execute, EXIT_END, EXIT_FUEL, EXIT_HALT, EXIT_TRAP, type ExitCode } from '../../machine/execute.ts';
import { trapPrivileged } from '../../machine/hardware.ts';
import { OP_END } from '../../machine/isa.ts';
import { charge, guestLane } from '../account.ts';
import type { Block } from '../bt/state.ts';
import { translateBlock } from '../bt/translate.ts';
import type { Session, TraceEvent } from '../types.ts';
import { type Engine } from './engine.ts';
import { idle } from './native.ts';
import { isIo, trapReasonOf } from './reasons.ts';
import { reflectGuestEvent } from './reflect.ts';
import { hostTimerTick, injectTimer } from './trapAndEmulate.ts';

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
      nativeCtx: s.nativeCtx,
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

/**
 * Binary translation (VMware-style, Adams & Agesen 2006): guest code is
 * translated block by block into host code (here: JavaScript functions) kept in
 * a translation cache. Innocuous instructions translate to themselves;
 * sensitive ones the kernel uses often (EI, DI, POPF, MFCR, MTCR) are rewritten
 * into cheap operations on the virtual CPU; I/O, HLT, IRET, LPTB and system
 * calls call out to the monitor. Because the translator sees every kernel POPF,
 * it restores the virtual IF correctly even on the classic machine.
 *
 * Timer interrupts land on the same instruction as natively: a block that would
 * straddle the next tick is run instruction by instruction instead.
 */
export const binaryTranslationEngine: Engine = {
  run(s, hard, soft, trace): ExitCode {
    const cpu = s.cpu;
    const code = s.program.code;
    if ((code[cpu.pc * 4] ?? OP_END) === OP_END) {
      s.bt.last = null;
      return EXIT_END;
    }
    const block = lookup(s, trace);
    if (block.callout) {
      s.bt.last = null;
      const op = code[cpu.pc * 4] ?? OP_END;
      const cost = s.costs.translationCallout + (isIo(op) ? s.costs.deviceEmulation : 0);
      charge(s, trace, 'monitor', cost, 'emulate', 'monitor', cpu.pc, { reason: trapReasonOf(op) });
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
      exit = execute(cpu, hard, s.nativeCtx, code);
      s.bt.last = null;
    }
    chargeBlock(s, block, cpu.retired - before, trace);
    return exit;
  },
  exit(s, exit, trace) {
    if (exit !== EXIT_FUEL) s.bt.last = null;
    if (exit === EXIT_TRAP) {
      // A callout found a guest *user* program executing a privileged instruction.
      s.counters.traps.fault++;
      charge(s, trace, 'monitor', s.costs.injectVirtual, 'reflect', 'monitor', s.cpu.pc, { reason: 'fault' });
      trapPrivileged(s.cpu, s.program.length);
    } else if (exit === EXIT_HALT) {
      if (idle(s, trace)) hostTimerTick(s, trace);
    } else {
      // Syscalls are callouts already inside the monitor: only the reflection costs.
      reflectGuestEvent(s, exit, trace, 0);
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
