/**
 * What a simulator check sees of the CPU simulator: plain data taken from the controller's snapshot
 * (src/features/simulator/cpu-controller.ts), nothing the student could type.
 */
import type { CpuSnapshot, Divergence, StopName } from '../simulator/cpu-controller';
import type { ExitControls, StrategyName } from '../../sim/strategies/index.ts';
import type { MachineVariant } from '../../sim/machine/index.ts';

export interface SimObservation {
  readonly source: string;
  readonly guestId: string | null;
  readonly strategy: StrategyName;
  readonly variant: MachineVariant;
  readonly exitControls: ExitControls;
  /** `running` also while paused; `end`/`halted` after a normal finish; `crashed`. */
  readonly stop: StopName;
  readonly hasErrors: boolean;
  /** Guest instructions retired. */
  readonly instructions: number;
  /** All VM exits so far (hardware assist only). */
  readonly exits: number;
  /** Null when the model runs no native reference (only `cpu-flaw` does). */
  readonly divergence: Divergence | null;
  readonly hasReference: boolean;
}

/** @example observeCpu(controller.snapshot).exits // 4 */
export function observeCpu(s: CpuSnapshot): SimObservation {
  return {
    source: s.config.source,
    guestId: s.config.guestId,
    strategy: s.config.strategy,
    variant: s.config.variant,
    exitControls: s.config.exitControls,
    stop: s.stop,
    hasErrors: s.errors.length > 0,
    instructions: s.counters.instructions,
    exits: Object.values(s.counters.exits).reduce((a, b) => a + b, 0),
    divergence: s.reference?.divergence ?? null,
    hasReference: s.reference !== null,
  };
}
