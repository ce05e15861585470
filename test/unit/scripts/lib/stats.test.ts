// The one stats helper of benches and tests (scripts/lib/stats.ts).
import { describe, expect, it } from 'vitest';
import { median, quantile } from '../../../../scripts/lib/stats';

describe('median', () => {
  it('is the middle value of an odd sample, whatever its order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([3])).toBe(3);
  });
  it('is the mean of the two middle values of an even sample', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('leaves its input as it was', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });
  it('is NaN for no samples (no figure, rather than a made-up 0)', () => {
    expect(median([])).toBeNaN();
  });
});

describe('quantile', () => {
  it('0 and 1 are the smallest and largest samples; 0.5 is the median', () => {
    const samples = [7, 3, 9, 1, 5];
    expect(quantile(samples, 0)).toBe(1);
    expect(quantile(samples, 1)).toBe(9);
    expect(quantile(samples, 0.5)).toBe(median(samples));
  });
  it('interpolates between neighbours (R-7): p95 of 1..21 is 20, p90 of 1..11 is 10', () => {
    const ramp = (n: number) => Array.from({ length: n }, (_, i) => n - i);
    expect(quantile(ramp(21), 0.95)).toBe(20);
    expect(quantile(ramp(11), 0.9)).toBe(10);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
  });
  it('is NaN for no samples', () => {
    expect(quantile([], 0.95)).toBeNaN();
  });
});
