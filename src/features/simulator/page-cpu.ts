/**
 * The CPU simulator running on this page, for other islands that read its state (a guided lab's
 * checks, src/features/labs/). Islands of one page share this module, so no global is needed.
 */
import type { CpuController } from './cpu-controller';

let current: CpuController | null = null;

/** Called by CpuLab.svelte when its controller exists, and with null when it goes away. */
export function setPageCpu(controller: CpuController | null, previous?: CpuController): void {
  if (controller === null && previous !== undefined && current !== previous) return;
  current = controller;
}

/** The page's CPU simulator, or null before the learner started it. */
export function pageCpu(): CpuController | null {
  return current;
}
