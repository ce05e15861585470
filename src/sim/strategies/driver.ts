import { advanceTimer, STOP_RUNNING } from '../machine/cpu.ts';
import { EXIT_TIMER_SET } from '../machine/execute.ts';
import { FLAG_IF } from '../machine/isa.ts';
import { binaryTranslationEngine } from './engines/binaryTranslation.ts';
import type { Engine } from './engines/engine.ts';
import { emulationEngine } from './engines/emulation.ts';
import { hardwareAssistedEngine } from './engines/hardwareAssisted.ts';
import { nativeEngine } from './engines/native.ts';
import { paravirtEngine } from './engines/paravirt.ts';
import { trapAndEmulateEngine } from './engines/trapAndEmulate.ts';
import type { Session, StrategyName, TraceEvent } from './types.ts';

const MAX_STALLS = 64;

/** The engine behind each strategy. */
export const ENGINES: Readonly<Record<StrategyName, Engine>> = {
  native: nativeEngine,
  emulation: emulationEngine,
  'trap-and-emulate': trapAndEmulateEngine,
  'binary-translation': binaryTranslationEngine,
  paravirtualization: paravirtEngine,
  'hardware-assisted': hardwareAssistedEngine,
};

/**
 * The one run loop every strategy shares: deliver a due interrupt, let the
 * engine run guest code up to the next timer tick, account the tick, let the
 * engine handle the exit. Interrupt timing, and so the architectural result,
 * is therefore identical across strategies; only who does the work, and what
 * it costs, differs.
 *
 * Runs until at least `budget` more instructions retired or the guest stops
 * (a binary-translated block may finish past the budget). Mutates `s`; pass
 * `trace` to collect events, or null for the allocation-free batch path.
 * Returns the number of instructions retired.
 */
export function drive(s: Session, budget: number, trace: TraceEvent[] | null): number {
  const cpu = s.cpu;
  const engine = ENGINES[s.strategy];
  const start = cpu.retired;
  const target = start + budget;
  const wasRunning = cpu.stop === STOP_RUNNING;
  let stalls = 0;
  while (cpu.stop === STOP_RUNNING && cpu.retired < target) {
    const before = cpu.retired;
    if (s.pendingEmulation < 0 && cpu.irqPending !== 0 && (cpu.flags & FLAG_IF) !== 0) {
      engine.interrupt(s, trace);
    } else {
      const hard = cpu.timerPeriod > 0 ? cpu.timerLeft : Number.POSITIVE_INFINITY;
      const exit = engine.run(s, hard, target - cpu.retired, trace);
      if (exit !== EXIT_TIMER_SET && advanceTimer(cpu, cpu.retired - before)) engine.tick(s, trace);
      engine.exit(s, exit, trace);
    }
    // Every path retires an instruction within a few rounds (a trap is followed
    // by its emulation or by the handler's first instruction). If not, an engine
    // is broken: fail loudly instead of spinning forever.
    stalls = cpu.retired === before ? stalls + 1 : 0;
    if (stalls > MAX_STALLS) {
      throw new Error(`${s.strategy}: no instruction retired in ${MAX_STALLS} rounds at pc ${cpu.pc} (simulator bug)`);
    }
  }
  s.counters.instructions = cpu.retired;
  if (trace !== null && wasRunning && cpu.stop !== STOP_RUNNING) {
    trace.push({ kind: 'stop', lane: 'hardware', pc: cpu.pc, at: s.counters.cycles, cycles: 0, text: 'STOP' });
  }
  return cpu.retired - start;
}
