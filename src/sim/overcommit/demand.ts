import { nextRandom } from '../random.ts';

/**
 * How a VM's demand (a fraction 0..1 of its vCPUs or of its configured RAM)
 * changes over ticks.
 */
export type DemandShape =
  | { readonly kind: 'constant'; readonly level: number }
  /** A day/night cycle: base ± amplitude, one period every `periodTicks`. */
  | {
      readonly kind: 'diurnal';
      readonly base: number;
      readonly amplitude: number;
      readonly periodTicks: number;
      readonly phase?: number;
    }
  /** `base`, except `peak` for `duration` ticks from `start`. */
  | { readonly kind: 'burst'; readonly base: number; readonly peak: number; readonly start: number; readonly duration: number }
  /** A bounded random walk from `start`, each tick moving by up to ±`volatility` (seeded). */
  | { readonly kind: 'random-walk'; readonly start: number; readonly volatility: number };

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * Demand at tick `t`. `previous` is the last value (used by random walks) and
 * `rngState` the generator state; returns the value and the next generator state.
 *
 * @example
 * demandAt({ kind: 'diurnal', base: 0.5, amplitude: 0.3, periodTicks: 24 }, 6, 0, 1).value // 0.8
 */
export function demandAt(shape: DemandShape, t: number, previous: number, rngState: number): { value: number; rngState: number } {
  switch (shape.kind) {
    case 'constant':
      return { value: clamp01(shape.level), rngState };
    case 'diurnal': {
      const angle = (2 * Math.PI * t) / shape.periodTicks + (shape.phase ?? 0);
      return { value: clamp01(shape.base + shape.amplitude * Math.sin(angle)), rngState };
    }
    case 'burst':
      return {
        value: clamp01(t >= shape.start && t < shape.start + shape.duration ? shape.peak : shape.base),
        rngState,
      };
    case 'random-walk': {
      if (t === 0) return { value: clamp01(shape.start), rngState };
      const draw = nextRandom(rngState);
      return { value: clamp01(previous + (draw.value * 2 - 1) * shape.volatility), rngState: draw.state };
    }
  }
}
