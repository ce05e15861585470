/**
 * VmBackend over v86 (x86 emulation in WebAssembly, in the page). The guest's console is
 * v86's first serial port; its second carries lab-agent's window-size lines. Nothing heavy
 * loads before `start`: the emulator code, its wasm and the guest image are fetched then,
 * with progress.
 */
import type { V86, V86Options } from 'v86';
import v86WasmUrl from 'v86/build/v86.wasm?url';
import { Listeners } from '../../protocol/listeners';
import { VmError, type StartMode, type VmBackend, type VmStatus } from '../terminal/backend';
import { fetchWithProgress } from './fetch-progress';
import {
  AGENT_PORT,
  CONSOLE_PORT,
  GUEST_CMDLINE,
  GUEST_FILES,
  GUEST_V86_DEVICES,
  agentWinsize,
  type GuestMachine,
} from '../../guest/image';
import { mipsWindow, type CounterSample } from './instruction-counter';
import { matchPrompt } from '../../guest/prompt';

export interface V86BackendOptions {
  /** URL of the folder with the guest image (GUEST_FILES), ending in `/`. Default `/guest/`. */
  assetBase?: string;
  /** The machine the image was built for (the manifest's `machine`): memory size, initrd or not. */
  machine: GuestMachine;
}

/** Room v86 needs beyond guest RAM (JIT code cache, tables), measured loosely; for the memory check only. */
const EMULATOR_OVERHEAD_BYTES = 64 * 1024 * 1024;
/** If v86 has not finished setting up by then, something inside it failed. */
const LOAD_TIMEOUT_MS = 60_000;

/**
 * Whether the browser can give WebAssembly the guest's memory now. Reserving it and
 * letting it go is the one honest test: `navigator.deviceMemory` is coarse and
 * Chromium-only, and a failed allocation inside v86 would surface as an obscure error.
 */
function checkMemory(memoryBytes: number): void {
  const pages = Math.ceil((memoryBytes + EMULATOR_OVERHEAD_BYTES) / 65536);
  try {
    new WebAssembly.Memory({ initial: pages, maximum: pages });
  } catch (error) {
    throw new VmError('low-memory', `cannot reserve ${pages * 64} KiB for the guest: ${String(error)}`);
  }
}

export class V86Backend implements VmBackend {
  private current: VmStatus = { state: 'idle' };
  private emulator: V86 | null = null;
  private mode: StartMode = 'snapshot';
  private size: { cols: number; rows: number } | null = null;
  private readonly output = new Listeners<Uint8Array>();
  private readonly statuses = new Listeners<VmStatus>();
  private readonly speeds = new Listeners<number | null>();
  private pending: number[] = [];
  private tail = '';
  private readonly decoder = new TextDecoder();
  private speedTimer: ReturnType<typeof setInterval> | undefined;
  private speedWindow: CounterSample[] = [];
  private readonly assetBase: string;
  private readonly machine: GuestMachine;

  constructor(options: V86BackendOptions) {
    this.assetBase = options.assetBase ?? '/guest/';
    this.machine = options.machine;
  }

  get status(): VmStatus {
    return this.current;
  }

  private setStatus(status: VmStatus): void {
    this.current = status;
    this.statuses.emit(status);
  }

  async start(signal: AbortSignal, mode: StartMode = 'snapshot'): Promise<void> {
    if (this.current.state === 'disposed') throw new Error('this machine was disposed');
    if (this.emulator) await this.stopEmulator();
    this.mode = mode;
    try {
      if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
        throw new VmError('no-webassembly', 'WebAssembly is not available in this browser');
      }
      checkMemory(this.machine.memoryBytes);
      const load = (file: string, url: string) =>
        fetchWithProgress(url, signal, (loaded, total) => this.setStatus({ state: 'loading', file, loaded, total }));

      // The emulator's code is a separate chunk, fetched only now.
      this.setStatus({ state: 'loading', file: 'libv86', loaded: 0, total: null });
      const { V86: Emulator } = await import('v86');
      const wasm = await load('v86.wasm', new URL(v86WasmUrl, location.href).href);
      const image =
        mode === 'snapshot'
          ? { initial_state: { buffer: (await load(GUEST_FILES.state, this.asset('state'))).buffer } }
          : {
              bios: { buffer: (await load(GUEST_FILES.bios, this.asset('bios'))).buffer },
              bzimage: { buffer: (await load(GUEST_FILES.kernel, this.asset('kernel'))).buffer },
              ...(this.machine.separateInitrd
                ? { initrd: { buffer: (await load(GUEST_FILES.initrd, this.asset('initrd'))).buffer } }
                : {}),
              cmdline: GUEST_CMDLINE,
            };
      signal.throwIfAborted();

      this.setStatus({ state: 'booting', mode });
      await this.createEmulator(Emulator, wasm, image, signal);
    } catch (error) {
      await this.stopEmulator();
      if (signal.aborted) {
        this.setStatus({ state: 'idle' });
        throw signal.reason;
      }
      const vmError =
        error instanceof VmError ? error : new VmError('crashed', error instanceof Error ? error.message : String(error));
      this.setStatus({ state: 'error', code: vmError.code, detail: vmError.message });
      throw vmError;
    }
  }

  private asset(file: keyof typeof GUEST_FILES): string {
    return new URL(GUEST_FILES[file], new URL(this.assetBase, location.href)).href;
  }

  private createEmulator(
    Emulator: typeof V86,
    wasm: Uint8Array<ArrayBuffer>,
    image: Partial<V86Options>,
    signal: AbortSignal,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (error: unknown) => {
        clearTimeout(timer);
        if (error instanceof RangeError) reject(new VmError('low-memory', error.message));
        else reject(error instanceof Error ? error : new VmError('crashed', String(error)));
      };
      const timer = setTimeout(() => fail(new VmError('crashed', 'the emulator did not finish loading')), LOAD_TIMEOUT_MS);
      signal.addEventListener('abort', () => fail(signal.reason), { once: true });

      const emulator = new Emulator({
        ...GUEST_V86_DEVICES,
        ...image,
        memory_size: this.machine.memoryBytes,
        // We fetched the wasm ourselves (for progress); instantiation errors surface here.
        wasm_fn: async (imports: WebAssembly.Imports) => {
          try {
            return (await WebAssembly.instantiate(wasm, imports)).instance.exports;
          } catch (error) {
            fail(error);
            throw error;
          }
        },
        autostart: true,
        disable_keyboard: true,
        disable_mouse: true,
        disable_speaker: true,
      });
      this.emulator = emulator;
      emulator.add_listener('serial0-output-byte', (byte: number) => this.onByte(byte));
      emulator.add_listener('emulator-loaded', () => {
        clearTimeout(timer);
        if (this.mode === 'snapshot') {
          // The restored shell waits at a prompt drawn before the snapshot; ask for a fresh one.
          emulator.serial_send_bytes(CONSOLE_PORT, new Uint8Array([0x0a]));
        }
        this.startSpeedMeter();
        resolve();
      });
    });
  }

  /** Batches serial bytes into one chunk per emulator time slice (xterm is slow per byte). */
  private onByte(byte: number): void {
    if (this.pending.length === 0) queueMicrotask(() => this.flush());
    this.pending.push(byte);
  }

  private flush(): void {
    const bytes = new Uint8Array(this.pending);
    this.pending = [];
    this.output.emit(bytes);
    if (this.current.state === 'booting') {
      this.tail = (this.tail + this.decoder.decode(bytes, { stream: true })).slice(-256);
      if (matchPrompt(this.tail)) {
        this.setStatus({ state: 'running', mode: this.mode });
        if (this.size) this.sendSize(this.size.cols, this.size.rows);
      }
    }
  }

  write(bytes: Uint8Array): void {
    this.emulator?.serial_send_bytes(CONSOLE_PORT, bytes);
  }

  onOutput(listener: (bytes: Uint8Array) => void): () => void {
    return this.output.add(listener);
  }

  onStatus(listener: (status: VmStatus) => void): () => void {
    listener(this.current);
    return this.statuses.add(listener);
  }

  onSpeed(listener: (mips: number | null) => void): () => void {
    return this.speeds.add(listener);
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    // lab-agent starts with the guest; before the prompt its port may not be read yet.
    if (this.current.state === 'running' || this.current.state === 'paused') this.sendSize(cols, rows);
  }

  private sendSize(cols: number, rows: number): void {
    this.emulator?.serial_send_bytes(AGENT_PORT, new TextEncoder().encode(agentWinsize(cols, rows)));
  }

  async pause(): Promise<void> {
    if (!this.emulator || this.current.state !== 'running') return;
    await this.emulator.stop();
    this.setStatus({ state: 'paused', mode: this.mode });
    this.speeds.emit(null);
  }

  async resume(): Promise<void> {
    if (!this.emulator || this.current.state !== 'paused') return;
    this.speedWindow = [];
    await this.emulator.run();
    this.setStatus({ state: 'running', mode: this.mode });
  }

  async reset(signal: AbortSignal): Promise<void> {
    await this.start(signal, this.mode);
  }

  /** Samples v86's wrapping 32-bit instruction counter once a second (see instruction-counter.ts). */
  private startSpeedMeter(): void {
    clearInterval(this.speedTimer);
    this.speedWindow = [];
    this.speedTimer = setInterval(() => {
      if (!this.emulator || this.current.state !== 'running') return;
      const sample = { counter: this.emulator.get_instruction_counter(), atMs: performance.now() };
      const { window, mips } = mipsWindow(this.speedWindow, sample, 4);
      this.speedWindow = window;
      this.speeds.emit(mips);
    }, 1000);
  }

  private async stopEmulator(): Promise<void> {
    clearInterval(this.speedTimer);
    this.speedTimer = undefined;
    const emulator = this.emulator;
    this.emulator = null;
    this.pending = [];
    this.tail = '';
    if (emulator) await emulator.destroy();
  }

  async dispose(): Promise<void> {
    await this.stopEmulator();
    this.setStatus({ state: 'disposed' });
    this.output.clear();
    this.statuses.clear();
    this.speeds.clear();
  }
}
