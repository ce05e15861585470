/**
 * The lines a collapsed program listing shows: `before` lines above the current one and
 * `after` below, shifted inward at the start and end of the program so the window keeps
 * its size (1-based, inclusive). With no current line (0) it centres on line 1.
 *
 * @example
 * listingWindow(22, 10) // { from: 8, to: 13 }
 * listingWindow(22, 1)  // { from: 1, to: 6 }
 * listingWindow(22, 22) // { from: 17, to: 22 }
 * listingWindow(4, 2)   // { from: 1, to: 4 }
 */
export function listingWindow(total: number, current: number, before = 2, after = 3): { from: number; to: number } {
  const size = before + after + 1;
  if (total <= size) return { from: 1, to: Math.max(1, total) };
  const at = Math.min(Math.max(current, 1), total);
  const from = Math.min(Math.max(1, at - before), total - size + 1);
  return { from, to: from + size - 1 };
}
