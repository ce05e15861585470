/**
 * One virtual-machine interface for the terminal island, two back ends: v86 in the page
 * (v86.ts) and QEMU/KVM through the local bridge (bridge.ts). The island knows only this.
 */

/** How to bring the machine up: restore the saved boot snapshot, or boot from the BIOS. */
export type StartMode = 'snapshot' | 'cold';

/** Why a machine could not start or stopped; the island turns these into learner messages. */
export type VmErrorCode =
  /** The browser has no WebAssembly (very old, or disabled by policy). */
  | 'no-webassembly'
  /** The browser could not reserve the guest's memory. */
  | 'low-memory'
  /** A file (emulator or guest image) did not download. */
  | 'asset-failed'
  /** The emulator or connection failed after starting. */
  | 'crashed';

export class VmError extends Error {
  readonly code: VmErrorCode;
  /** The file that failed, for `asset-failed`. */
  readonly asset: string | undefined;

  // Declared fields, not constructor parameters: Node runs this file as is (type stripping).
  constructor(code: VmErrorCode, message: string, asset?: string) {
    super(message);
    this.name = 'VmError';
    this.code = code;
    this.asset = asset;
  }
}

export type VmStatus =
  | { readonly state: 'idle' }
  /** Downloading: `file` is a short name, `total` null when the server sent no length. */
  | { readonly state: 'loading'; readonly file: string; readonly loaded: number; readonly total: number | null }
  | { readonly state: 'booting'; readonly mode: StartMode }
  /** At the shell prompt or beyond: the learner can type. */
  | { readonly state: 'running'; readonly mode: StartMode }
  | { readonly state: 'paused'; readonly mode: StartMode }
  | { readonly state: 'error'; readonly code: VmErrorCode; readonly detail: string }
  | { readonly state: 'disposed' };

export interface VmBackend {
  readonly status: VmStatus;
  /**
   * Loads what is needed and starts the machine; resolves once the guest is started (not
   * necessarily at its prompt: watch `onStatus` for `running`). Aborting rejects with an
   * `AbortError` and leaves the back end idle. Rejects with `VmError` otherwise.
   */
  start(signal: AbortSignal, mode?: StartMode): Promise<void>;
  /** Bytes typed by the learner, to the guest's console. */
  write(bytes: Uint8Array): void;
  /** Console output; returns a function that unsubscribes. */
  onOutput(listener: (bytes: Uint8Array) => void): () => void;
  /** Status changes; called at once with the current status. Returns an unsubscriber. */
  onStatus(listener: (status: VmStatus) => void): () => void;
  /** The terminal's size in character cells, so the guest's programs can lay out text. */
  resize(cols: number, rows: number): void;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** A fresh machine, started the same way as the last `start`. */
  reset(signal: AbortSignal): Promise<void>;
  /**
   * Guest speed in millions of instructions per second, about once a second while running;
   * null when unknown. Back ends that cannot count instructions never call the listener.
   */
  onSpeed(listener: (mips: number | null) => void): () => void;
  /** Stops the machine and frees its memory; the back end cannot be started again. */
  dispose(): Promise<void>;
}
