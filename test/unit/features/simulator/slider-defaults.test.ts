// Every slider starts where its thumb can stand: a default off the slider's grid is shown by the
// browser at the nearest step while the model computes with the default, so the figures on the
// page would not match the slider the learner sees.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DENSITY_CONTROLS, DENSITY_SLIDERS } from '../../../../src/features/simulator/density-view';
import { DEFAULT_OVERCOMMIT, OVERCOMMIT_SLIDERS } from '../../../../src/features/simulator/overcommit-view';

interface Slider {
  key: string;
  min: number;
  max: number;
  step: number;
}

const sliders = (groups: Record<string, { sliders: readonly Slider[] }>): Slider[] =>
  Object.values(groups).flatMap((g) => [...g.sliders]);

const cases: [string, readonly Slider[], Record<string, unknown>][] = [
  ['density', sliders(DENSITY_SLIDERS), { ...DEFAULT_DENSITY_CONTROLS }],
  ['overcommit', sliders(OVERCOMMIT_SLIDERS), { ...DEFAULT_OVERCOMMIT }],
];

describe('slider defaults', () => {
  for (const [view, list, defaults] of cases) {
    for (const slider of list) {
      it(`${view} ${slider.key}: the default is within range and on a step`, () => {
        const value = defaults[slider.key];
        expect(typeof value).toBe('number');
        const n = value as number;
        expect(n).toBeGreaterThanOrEqual(slider.min);
        expect(n).toBeLessThanOrEqual(slider.max);
        expect((n - slider.min) % slider.step).toBe(0);
        expect((slider.max - slider.min) % slider.step).toBe(0);
      });
    }
  }
});
