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

const cases: [string, readonly Slider[], Record<string, unknown>][] = [
  ['density', Object.values(DENSITY_SLIDERS).flatMap((g) => g.sliders), { ...DEFAULT_DENSITY_CONTROLS }],
  ['overcommit', Object.values(OVERCOMMIT_SLIDERS).flatMap((g) => g.sliders), { ...DEFAULT_OVERCOMMIT }],
];

describe('slider defaults', () => {
  for (const [view, sliders, defaults] of cases) {
    for (const slider of sliders) {
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
