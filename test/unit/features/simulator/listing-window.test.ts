import { describe, expect, it } from 'vitest';
import { listingWindow } from '../../../../src/features/simulator/listing-window';

describe('listingWindow: the lines a collapsed listing shows', () => {
  it.each([
    // total, current → from, to (2 before, 3 after; the window keeps 6 lines at the edges)
    [22, 10, 8, 13],
    [22, 1, 1, 6],
    [22, 2, 1, 6],
    [22, 3, 1, 6],
    [22, 4, 2, 7],
    [22, 20, 17, 22],
    [22, 22, 17, 22],
    [22, 0, 1, 6],
    [22, 99, 17, 22],
    [4, 2, 1, 4],
    [6, 6, 1, 6],
    [1, 1, 1, 1],
    [0, 0, 1, 1],
  ])('%i lines, current %i → %i–%i', (total, current, from, to) => {
    expect(listingWindow(total, current)).toEqual({ from, to });
  });

  it('takes other margins', () => {
    expect(listingWindow(30, 15, 1, 1)).toEqual({ from: 14, to: 16 });
  });
});
