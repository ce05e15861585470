/**
 * What the shared run controls (`parts/Controls.svelte`) send to a stepping
 * simulator. The CPU and memory controllers both implement it, so one part wires
 * step, run, pause, reset and speed for every island.
 */
export interface RunCommands {
  /** One unit of work: an instruction, a block, a memory reference. */
  step(): void;
  run(): void;
  pause(): void;
  reset(): void;
  /** Index into the island's list of speeds. */
  setSpeed(index: number): void;
}

/** Where a stepping simulator is. */
export type RunStatus = 'ready' | 'running' | 'paused' | 'finished' | 'invalid';
