/**
 * The one place benches and tests summarise samples. d3-array's definitions (the site already
 * ships it): the median is the middle value, or the mean of the two middle ones; a quantile
 * interpolates between neighbours (R-7, as spreadsheets do). An empty sample has no median: NaN.
 */
import { median as d3Median, quantile as d3Quantile } from 'd3-array';

export function median(samples: readonly number[]): number {
  return d3Median(samples) ?? NaN;
}

/** `q` in [0, 1]: 0.5 is the median, 0.95 the 95th percentile. */
export function quantile(samples: readonly number[], q: number): number {
  return d3Quantile(samples, q) ?? NaN;
}
