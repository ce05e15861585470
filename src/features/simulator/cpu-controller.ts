import { guest, type GuestId } from '../../sim/programs/index.ts';
import {
  disassemble,
  disassembleProgram,
  FLAG_IF,
  FLAG_N,
  FLAG_Z,
  MODE_USER,
  STOP_CRASHED,
  STOP_END,
  STOP_HALTED,
  type CpuState,
  type MachineVariant,
  type Program,
} from '../../sim/machine/index.ts';
import type { Locale } from '../../i18n/locale';
import {
  cloneSession,
  consoleText,
  createCounters,
  currentInstruction,
  DEFAULT_COSTS,
  EXCEPTION_VECTORS,
  HW_PRESET_NAMES,
  HW_PRESETS,
  hwPresetOf,
  init,
  isStopped,
  run,
  step,
  type CostModel,
  type Counters,
  type ExitControls,
  type GuestException,
  type HwPresetName,
  type Session,
  type StrategyName,
  type TraceEvent,
} from '../../sim/strategies/index.ts';
import { checkSource, type SourceError } from './asm';
import type { RunCommands, RunStatus } from './commands';
import { compareStrategies, type ComparisonRow, type HwVariant } from './compare';
import { whoRuns, type Actor } from './rings';
import { RunLoop } from './run-loop';
import { yieldToBrowser, type FrameScheduler } from './scheduler';
import { localizeComments } from './program-comments';

/** Run speeds in guest instructions per second; the last one is "as fast as the frame budget allows". */
export const SPEEDS: readonly number[] = [1, 5, 20, 100, 1_000, 10_000, 100_000, Number.POSITIVE_INFINITY];

/** What the learner has chosen. */
export interface CpuLabConfig {
  readonly source: string;
  readonly strategy: StrategyName;
  readonly variant: MachineVariant;
  readonly costs: CostModel;
  /** VMCS exit controls, used by the hardware-assisted strategy. */
  readonly exitControls: ExitControls;
  /** The hardware-assist generation last chosen; its costs are the defaults "restore" returns to. */
  readonly hwBase: HwPresetName;
  /** The example guest the source came from, or null once edited. */
  readonly guestId: GuestId | null;
}

/** The boolean exit controls, in the order an island lists them. */
export const EXIT_CONTROL_SWITCHES = [
  'nestedPaging',
  'hltExiting',
  'ioExiting',
  'ptbLoadExiting',
  'externalInterruptExiting',
] as const;
export type ExitControlSwitch = (typeof EXIT_CONTROL_SWITCHES)[number];

/** Under paravirtualization: the program as written and the modified guest that runs, address by address. */
export interface PvListing {
  readonly original: readonly string[];
  readonly modified: readonly string[];
  /** Instructions the rewrite replaced. */
  readonly changed: number;
  /** Requests per I/O-ring notification. */
  readonly batchSize: number;
}

export type CpuStatus = RunStatus;
export type StopName = 'running' | 'halted' | 'end' | 'crashed';

/** A trace event with a stable key for rendering. */
export interface TimelineEvent {
  readonly seq: number;
  readonly event: TraceEvent;
}

/** The first point where the virtualized guest and the native reference disagree. */
export interface Divergence {
  /** Guest instructions retired when the difference appeared. */
  readonly atInstruction: number;
  /** The guest instruction that ran just before (e.g. `POPF`). */
  readonly afterText: string;
  /** Differing guest-visible state: `IF`, `Z`, `N`, `pc`, `mode`, `r0`…`r7`, `memory[256]`. */
  readonly fields: readonly string[];
}

/** The same program on bare metal, advanced in lockstep (same instruction count). */
export interface ReferenceView {
  readonly interruptsEnabled: boolean;
  /** Timer interrupts the guest kernel received natively. */
  readonly interrupts: number;
  readonly instructions: number;
  readonly cycles: number;
  readonly divergence: Divergence | null;
}

export interface ComparisonView {
  readonly status: 'idle' | 'running' | 'done' | 'unavailable';
  readonly rows: readonly ComparisonRow[];
  /** Instruction limit per strategy. */
  readonly limit: number;
}

/** Everything an island needs to draw the CPU simulator, as plain data. */
export interface CpuSnapshot {
  /** Increases with every published change. */
  readonly revision: number;
  readonly status: CpuStatus;
  readonly errors: readonly SourceError[];
  readonly config: CpuLabConfig;
  readonly counters: Counters;
  /** The hardware-assist generation the settings are exactly, or null once the learner changed them. */
  readonly hwPreset: HwPresetName | null;
  /** What "restore default costs" returns to: the model's defaults with the chosen generation's exit costs. */
  readonly defaultCosts: CostModel;
  /** The most recent trace events, oldest first. */
  readonly events: readonly TimelineEvent[];
  /** Next instruction, for highlighting its source line. */
  readonly current: { readonly pc: number; readonly line: number; readonly text: string } | null;
  /** The mode the guest believes it is in. */
  readonly guestMode: 'guest-kernel' | 'guest-user';
  readonly flags: { readonly interruptsEnabled: boolean; readonly zero: boolean; readonly negative: boolean };
  /** Who holds the CPU now (lane of the last event). */
  readonly actor: Actor;
  readonly console: string;
  readonly stop: StopName;
  readonly reference: ReferenceView | null;
  readonly speedIndex: number;
  readonly comparison: ComparisonView;
  /** The paravirtualized guest beside the original; null under other strategies. */
  readonly pvListing: PvListing | null;
  /** Trace events of the last single step; null before one, and after a run or reset. */
  readonly lastStep: readonly TraceEvent[] | null;
}

export interface CpuControllerOptions {
  readonly locale: Locale;
  readonly scheduler: FrameScheduler;
  /** Publish calmly (twice a second) while running. */
  readonly reducedMotion?: boolean;
  readonly guestId?: GuestId;
  /** Overrides the guest's source. */
  readonly source?: string;
  readonly strategy?: StrategyName;
  readonly variant?: MachineVariant;
  /** Hardware-assist generation to start with. Default `modern-ept`. */
  readonly hwPreset?: HwPresetName;
  /** Advance a native run in lockstep and report where the two first differ. */
  readonly reference?: boolean;
  /** Trace events kept for the timeline. Default 160. */
  readonly maxEvents?: number;
  readonly speedIndex?: number;
  /** Instruction limit per strategy for {@link CpuController.compare}. Default 2 000 000. */
  readonly compareLimit?: number;
  /** Between chunks of the comparison. Default: a macrotask. */
  readonly yieldFn?: () => Promise<void>;
  /** Measure all strategies at once and again after every change of program, variant or costs. */
  readonly autoCompare?: boolean;
}

/** Instructions between lockstep checks while no divergence is known yet. */
const CHECK_EVERY = 4096;

const STOP_NAMES: Readonly<Record<number, StopName>> = { [STOP_HALTED]: 'halted', [STOP_END]: 'end', [STOP_CRASHED]: 'crashed' };

/**
 * Differing guest-visible state of two CPUs (cheap: registers, pc, flags, mode, and
 * memory when asked). At most `limit` fields.
 *
 * @example
 * cpuDifferences(native.cpu, tae.cpu, true) // ['IF']
 */
export function cpuDifferences(a: CpuState, b: CpuState, withMemory: boolean, limit = 6): string[] {
  const out: string[] = [];
  const flagNames: [number, string][] = [
    [FLAG_IF, 'IF'],
    [FLAG_Z, 'Z'],
    [FLAG_N, 'N'],
  ];
  for (const [bit, name] of flagNames) if ((a.flags & bit) !== (b.flags & bit)) out.push(name);
  if (a.mode !== b.mode) out.push('mode');
  if (a.pc !== b.pc) out.push('pc');
  for (let i = 0; i < 8; i++) if (a.regs[i] !== b.regs[i]) out.push(`r${i}`);
  if (withMemory) {
    const n = Math.max(a.mem.length, b.mem.length);
    for (let i = 0; i < n && out.length < limit; i++) if (a.mem[i] !== b.mem[i]) out.push(`memory[${i}]`);
  }
  return out.slice(0, limit);
}

/**
 * Owns one guest program under one strategy and everything the CPU islands show:
 * stepping, running on the frame clock, the recent trace, counters, a native
 * reference in lockstep and a measured comparison of all strategies. Islands call
 * its methods and draw its snapshots; they never touch the model.
 *
 * @example
 * const c = new CpuController({ locale: 'id', scheduler: browserScheduler(), guestId: 'popf-flaw', reference: true });
 * const off = c.subscribe((snap) => (view = snap));
 * c.step(); c.run(); c.pause(); c.reset();
 */
export class CpuController implements RunCommands {
  private readonly options: CpuControllerOptions;
  private readonly loop: RunLoop;
  private readonly listeners = new Set<(s: CpuSnapshot) => void>();
  private readonly maxEvents: number;
  private config: CpuLabConfig;
  private program: Program | null = null;
  private errors: readonly SourceError[] = [];
  private session: Session | null = null;
  private pvListing: PvListing | null = null;
  private native: Session | null = null;
  private divergence: Divergence | null = null;
  private events: TimelineEvent[] = [];
  private lastStep: readonly TraceEvent[] | null = null;
  private seq = 0;
  private status: CpuStatus = 'ready';
  private speedIndex: number;
  private revision = 0;
  private comparison: ComparisonView;
  private compareAbort: AbortController | null = null;
  private current: CpuSnapshot;
  private derived: { config: CpuLabConfig; costs: CostModel; preset: HwPresetName | null } | null = null;

  constructor(options: CpuControllerOptions) {
    this.options = options;
    this.maxEvents = options.maxEvents ?? 160;
    this.speedIndex = options.speedIndex ?? 3;
    const guestId = options.guestId ?? 'tiny-kernel';
    const hwBase = options.hwPreset ?? 'modern-ept';
    this.config = {
      source: options.source ?? localizeComments(guest(guestId).source, options.locale),
      strategy: options.strategy ?? 'trap-and-emulate',
      variant: options.variant ?? 'classic',
      costs: { ...DEFAULT_COSTS, ...HW_PRESETS[hwBase].costs },
      exitControls: HW_PRESETS[hwBase].exitControls,
      hwBase,
      guestId: options.source === undefined ? guestId : null,
    };
    this.comparison = { status: 'idle', rows: [], limit: options.compareLimit ?? 2_000_000 };
    this.loop = new RunLoop({
      scheduler: options.scheduler,
      work: (n) => this.advance(n),
      publish: () => this.publish(),
      onFinish: () => {
        this.status = 'finished';
        this.publish();
      },
      publishEveryMs: options.reducedMotion === true ? 500 : 0,
      // Leave most of a 16.7 ms frame to drawing the timeline (software rendering is slow).
      frameBudgetMs: 6,
    });
    this.loop.rate = SPEEDS[this.speedIndex] ?? 100;
    this.load();
    this.current = this.build();
    if (options.autoCompare === true) void this.compare();
  }

  /** The latest snapshot. */
  get snapshot(): CpuSnapshot {
    return this.current;
  }

  /** Calls `listener` now and on every change; returns an unsubscribe function. */
  subscribe(listener: (s: CpuSnapshot) => void): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  // ---- commands --------------------------------------------------------------

  /** One step: one guest instruction (one translated block under binary translation). */
  step(): void {
    if (this.session === null || isStopped(this.session)) return;
    this.loop.stop();
    const mark = this.seq;
    this.advance(1);
    this.lastStep = this.events.filter((e) => e.seq >= mark).map((e) => e.event);
    this.status = isStopped(this.session) ? 'finished' : 'paused';
    this.publish();
  }

  run(): void {
    if (this.session === null || isStopped(this.session) || this.loop.running) return;
    this.status = 'running';
    this.lastStep = null;
    this.loop.start();
    this.publish();
  }

  pause(): void {
    if (!this.loop.running) return;
    this.loop.stop();
    this.status = 'paused';
    this.publish();
  }

  /** Back to the first instruction with the same program and settings. */
  reset(): void {
    this.loop.stop();
    this.load();
    this.publish();
  }

  setSpeed(index: number): void {
    this.speedIndex = Math.max(0, Math.min(SPEEDS.length - 1, Math.round(index)));
    this.loop.rate = SPEEDS[this.speedIndex] ?? 100;
    this.publish();
  }

  /** Replaces the program with the learner's text (resets; errors appear in the snapshot). */
  setSource(source: string): void {
    this.reconfigure({ ...this.config, source, guestId: null });
  }

  /** Loads an example guest's listing. */
  loadGuest(id: GuestId): void {
    this.reconfigure({ ...this.config, source: localizeComments(guest(id).source, this.options.locale), guestId: id });
  }

  /** Changes the strategy (the comparison of all strategies stays valid). */
  setStrategy(strategy: StrategyName): void {
    this.reconfigure({ ...this.config, strategy }, false);
  }

  setVariant(variant: MachineVariant): void {
    this.reconfigure({ ...this.config, variant });
  }

  /** Changes one per-event cost; values that are not finite numbers ≥ 0 are ignored. */
  setCost(key: keyof CostModel, value: number): void {
    if (!Number.isFinite(value) || value < 0 || this.config.costs[key] === value) return;
    this.reconfigure({ ...this.config, costs: { ...this.config.costs, [key]: value } });
  }

  resetCosts(): void {
    this.reconfigure({ ...this.config, costs: this.defaults.costs });
  }

  /**
   * Sets hardware assist to one CPU generation: its exit controls and exit costs
   * (the other costs stay as they are).
   */
  setHwPreset(name: HwPresetName): void {
    const preset = HW_PRESETS[name];
    this.reconfigure({
      ...this.config,
      hwBase: name,
      exitControls: preset.exitControls,
      costs: { ...this.config.costs, ...preset.costs },
    });
  }

  /** Turns one VMCS exit control on or off (hardware assist). */
  setExitControl(key: ExitControlSwitch, on: boolean): void {
    if (this.config.exitControls[key] === on) return;
    this.reconfigure({ ...this.config, exitControls: { ...this.config.exitControls, [key]: on } });
  }

  /** Sets or clears one exception's bit in the exception bitmap. */
  setExceptionExiting(exception: GuestException, on: boolean): void {
    const bit = 1 << EXCEPTION_VECTORS[exception];
    const old = this.config.exitControls.exceptionBitmap;
    const bitmap = on ? old | bit : old & ~bit;
    if (bitmap === old) return;
    this.reconfigure({ ...this.config, exitControls: { ...this.config.exitControls, exceptionBitmap: bitmap } });
  }

  /**
   * Runs the current program under every strategy (up to the instruction limit each)
   * and publishes the measured cycles and slowdowns. A newer call cancels an older one.
   */
  async compare(): Promise<void> {
    this.compareAbort?.abort();
    const program = this.program;
    if (program === null) {
      this.comparison = { ...this.comparison, status: 'unavailable', rows: [] };
      this.publish();
      return;
    }
    const abort = new AbortController();
    this.compareAbort = abort;
    this.comparison = { ...this.comparison, status: 'running' };
    this.publish();
    try {
      const { costs, exitControls } = this.config;
      // Hardware assist as both CPU generations, plus the learner's own settings when they differ.
      const hwVariants: HwVariant[] = HW_PRESET_NAMES.map((id) => ({
        id,
        costs: { ...costs, ...HW_PRESETS[id].costs },
        exitControls: HW_PRESETS[id].exitControls,
      }));
      if (hwPresetOf(costs, exitControls) === null) hwVariants.push({ id: 'custom', costs, exitControls });
      const rows = await compareStrategies(
        { program, variant: this.config.variant, costs, exitControls, hwVariants, limit: this.comparison.limit },
        { signal: abort.signal, yieldFn: this.options.yieldFn ?? yieldToBrowser },
      );
      this.comparison = { ...this.comparison, status: 'done', rows };
      this.publish();
    } catch (error) {
      if (abort.signal.aborted) return;
      // A program the model cannot finish (or a model bug) must not leave "measuring…" forever.
      console.error(error);
      this.comparison = { ...this.comparison, status: 'unavailable', rows: [] };
      this.publish();
    } finally {
      if (this.compareAbort === abort) this.compareAbort = null;
    }
  }

  /** Stops the run loop and any comparison; the controller is unusable afterwards. */
  dispose(): void {
    this.loop.stop();
    this.compareAbort?.abort();
    this.listeners.clear();
  }

  // ---- internals -------------------------------------------------------------

  /** Derived from the settings once per change, not per frame (a new object would redraw the cost editor). */
  private get defaults(): { costs: CostModel; preset: HwPresetName | null } {
    const { costs, exitControls, hwBase } = this.config;
    const cached = this.derived;
    if (cached?.config === this.config) return cached;
    this.derived = {
      config: this.config,
      costs: { ...DEFAULT_COSTS, ...HW_PRESETS[hwBase].costs },
      preset: hwPresetOf(costs, exitControls),
    };
    return this.derived;
  }

  /** Applies new settings and starts over; `affectsComparison` when the program, variant or costs changed. */
  private reconfigure(config: CpuLabConfig, affectsComparison = true): void {
    this.loop.stop();
    this.config = config;
    this.load();
    if (affectsComparison) {
      // A comparison belongs to the old settings.
      this.compareAbort?.abort();
      this.comparison = { ...this.comparison, status: 'idle', rows: [] };
    }
    this.publish();
    if (affectsComparison && this.options.autoCompare === true) void this.compare();
  }

  private load(): void {
    const checked = checkSource(this.config.source, this.options.locale);
    this.events = [];
    this.lastStep = null;
    this.divergence = null;
    if (!checked.ok) {
      this.program = null;
      this.errors = checked.errors;
      this.session = null;
      this.native = null;
      this.pvListing = null;
      this.status = 'invalid';
      return;
    }
    this.program = checked.program;
    this.errors = [];
    const { strategy, variant, costs, exitControls } = this.config;
    this.session = init({ program: checked.program, strategy, variant, costs, exitControls });
    this.pvListing = null;
    if (strategy === 'paravirtualization') {
      const original = disassembleProgram(this.session.original);
      const modified = disassembleProgram(this.session.program);
      this.pvListing = {
        original,
        modified,
        changed: modified.filter((text, i) => text !== original[i]).length,
        batchSize: this.session.pv.batchSize,
      };
    }
    this.native = this.options.reference === true ? init({ program: checked.program, strategy: 'native', variant, costs }) : null;
    this.status = 'ready';
  }

  private push(events: readonly TraceEvent[]): void {
    const start = Math.max(0, events.length - this.maxEvents);
    for (let i = start; i < events.length; i++) {
      const event = events[i];
      if (event !== undefined) this.events.push({ seq: this.seq++, event });
    }
    if (this.events.length > this.maxEvents) this.events = this.events.slice(this.events.length - this.maxEvents);
  }

  /**
   * Advances up to `n` instructions: all but the last `maxEvents` untraced (the fast
   * path), the tail traced for the timeline. With a native reference and no difference
   * found yet, the untraced part goes in pieces of CHECK_EVERY so the first difference
   * can be pinned to its instruction.
   */
  private advance(n: number): { done: number; more: boolean } {
    const first = this.session;
    if (first === null) return { done: 0, more: false };
    const before = first.cpu.retired;
    const traced = Math.min(n, this.maxEvents);
    let bulk = n - traced;
    if (bulk > 0) {
      // The events before this jump are no longer contiguous with what follows.
      this.events = [];
      while (bulk > 0 && !this.stopped()) {
        const piece = this.native !== null && this.divergence === null ? Math.min(bulk, CHECK_EVERY) : bulk;
        this.runPiece(piece, false);
        bulk -= piece;
      }
    }
    if (!this.stopped()) this.runPiece(traced, true);
    const after = this.session ?? first;
    // The guest stopped: let the native reference finish too, so final results compare.
    if (isStopped(after) && this.native !== null && !isStopped(this.native)) run(this.native, this.comparison.limit);
    return { done: after.cpu.retired - before, more: !isStopped(after) };
  }

  private stopped(): boolean {
    return this.session === null || isStopped(this.session);
  }

  /** Runs `n` instructions (traced or not), keeps the native reference in step and looks for the first difference. */
  private runPiece(n: number, traced: boolean): void {
    const s = this.session;
    if (s === null) return;
    const native = this.native;
    const checking = native !== null && this.divergence === null;
    // `step` is pure, so under tracing `s` itself is the state before the piece.
    const saved = checking ? { s: traced ? s : cloneSession(s), native: cloneSession(native) } : null;
    if (traced) {
      const result = step(s, { instructions: n });
      this.session = result.state;
      this.push(result.events);
    } else {
      run(s, n);
    }
    const now = this.session ?? s;
    if (native !== null) {
      run(native, now.cpu.retired - native.cpu.retired);
      if (saved !== null && cpuDifferences(native.cpu, now.cpu, true, 1).length > 0) this.findDivergence(saved.s, saved.native);
    }
  }

  /** Replays the last piece one instruction at a time from copies to find the first difference. */
  private findDivergence(s: Session, native: Session): void {
    for (;;) {
      const pc = s.cpu.pc;
      run(s, 1);
      run(native, s.cpu.retired - native.cpu.retired);
      const fields = cpuDifferences(native.cpu, s.cpu, true);
      if (fields.length > 0) {
        this.divergence = { atInstruction: s.cpu.retired, afterText: disassemble(s.program.code, pc, s.program.labels), fields };
        return;
      }
      if (isStopped(s) || isStopped(native)) {
        this.divergence = { atInstruction: s.cpu.retired, afterText: '', fields: cpuDifferences(native.cpu, s.cpu, true) };
        return;
      }
    }
  }

  private publish(): void {
    this.revision++;
    this.current = this.build();
    for (const listener of this.listeners) listener(this.current);
  }

  private build(): CpuSnapshot {
    const s = this.session;
    const native = this.native;
    const lastLane = this.events[this.events.length - 1]?.event.lane;
    const guestMode = s !== null && s.cpu.mode === MODE_USER ? 'guest-user' : 'guest-kernel';
    const counters = s === null ? createCounters() : s.counters;
    return {
      revision: this.revision,
      status: this.status,
      errors: this.errors,
      config: this.config,
      hwPreset: this.defaults.preset,
      defaultCosts: this.defaults.costs,
      counters: { ...counters, cyclesBy: { ...counters.cyclesBy }, traps: { ...counters.traps }, exits: { ...counters.exits } },
      events: this.events.slice(),
      current: s === null || isStopped(s) ? null : currentInstruction(s),
      guestMode,
      flags: {
        interruptsEnabled: s !== null && (s.cpu.flags & FLAG_IF) !== 0,
        zero: s !== null && (s.cpu.flags & FLAG_Z) !== 0,
        negative: s !== null && (s.cpu.flags & FLAG_N) !== 0,
      },
      actor: whoRuns(guestMode, lastLane),
      console: s === null ? '' : consoleText(s),
      stop: s === null ? 'running' : (STOP_NAMES[s.cpu.stop] ?? 'running'),
      reference:
        native === null
          ? null
          : {
              interruptsEnabled: (native.cpu.flags & FLAG_IF) !== 0,
              interrupts: native.counters.interrupts,
              instructions: native.counters.instructions,
              cycles: native.counters.cycles,
              divergence: this.divergence,
            },
      speedIndex: this.speedIndex,
      comparison: this.comparison,
      pvListing: this.pvListing,
      lastStep: this.lastStep,
    };
  }
}
