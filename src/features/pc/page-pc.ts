/**
 * The browser PC running on this page, for other islands that check its state out of band (a guided
 * lab's checks, src/features/labs/). Islands of one page share this module, so no global is needed.
 */
import type { VmBackend } from '../terminal/backend';

let current: VmBackend | null = null;

/** Called by BrowserPc.svelte when its back end exists, and with null when it goes away. */
export function setPagePc(backend: VmBackend | null, previous?: VmBackend): void {
  if (backend === null && previous !== undefined && current !== previous) return;
  current = backend;
}

/** The page's browser PC back end, or null before the learner started it. */
export function pagePc(): VmBackend | null {
  return current;
}
