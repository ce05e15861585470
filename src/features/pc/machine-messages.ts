/**
 * What the browser PC's page side (v86.ts, V86Backend) and its emulator side (v86-host.ts, in a
 * Web Worker) say to each other. The emulator runs off the page's main thread so that typing and
 * drawing stay quick on a slow CPU; both sides are this project's own code, built together, so the
 * types are the contract (no untrusted input crosses this boundary).
 */
import type { StartMode, VmErrorCode } from '../terminal/backend';

/** Absolute URLs of the files a start needs: the state for a restore, BIOS and kernel for a boot. */
export interface MachineFiles {
  wasm: string;
  state?: string;
  bios?: string;
  kernel?: string;
  initrd?: string;
}

export type ToMachine =
  | {
      type: 'start';
      mode: StartMode;
      memoryBytes: number;
      files: MachineFiles;
      cmdline: string;
    }
  /** Bytes to a serial port (the console or lab-agent's). */
  | { type: 'input'; port: number; bytes: Uint8Array }
  | { type: 'pause' }
  | { type: 'resume' };

export type FromMachine =
  | { type: 'progress'; file: string; loaded: number; total: number | null }
  /** Everything is downloaded; the emulator is being set up. */
  | { type: 'booting' }
  /** The emulator runs (a restored state is at its prompt; a cold boot has begun). */
  | { type: 'loaded' }
  /** Console output, batched per emulator time slice. */
  | { type: 'output'; bytes: Uint8Array }
  /** lab-agent's output (the second serial port), batched the same way. */
  | { type: 'agent-output'; bytes: Uint8Array }
  /** v86's wrapping 32-bit instruction counter and when it was read (ms, this side's clock). */
  | { type: 'counter'; counter: number; atMs: number }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'error'; code: VmErrorCode; detail: string; asset?: string };

/** A two-way channel to one emulator; `close` stops it and frees its memory. */
export interface MachinePort {
  post(message: ToMachine, transfer?: Transferable[]): void;
  onMessage(listener: (message: FromMachine) => void): void;
  close(): void;
}
