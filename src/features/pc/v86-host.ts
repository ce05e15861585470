/**
 * The emulator side of the browser PC: downloads v86's code, its wasm and the guest image,
 * runs the emulator and relays the serial ports. It runs in a Web Worker (v86.worker.ts), so a
 * slow CPU spends its time here and not on the page's main thread, where xterm.js draws and
 * the learner types. Where no module worker is available it runs in the page (inProcessPort).
 */
import type { V86, V86Options } from 'v86';
import { VmError } from '../terminal/backend';
import { fetchWithProgress } from './fetch-progress';
import { AGENT_PORT, CONSOLE_PORT, GUEST_FILES, GUEST_V86_DEVICES } from '../../guest/image';
import type { FromMachine, MachinePort, ToMachine } from './machine-messages';

/** Room v86 needs beyond guest RAM (JIT code cache, tables), measured loosely; for the memory check only. */
const EMULATOR_OVERHEAD_BYTES = 64 * 1024 * 1024;
/** If v86 has not finished setting up by then, something inside it failed. */
const LOAD_TIMEOUT_MS = 60_000;
/** How often the instruction counter is read for the speed figure. */
const COUNTER_INTERVAL_MS = 1000;

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

type Send = (message: FromMachine, transfer?: Transferable[]) => void;

export class V86Host {
  private emulator: V86 | null = null;
  private readonly controller = new AbortController();
  /** Serial bytes not yet posted, per port (console, lab-agent). */
  private pending: Record<typeof CONSOLE_PORT | typeof AGENT_PORT, number[]> = { [CONSOLE_PORT]: [], [AGENT_PORT]: [] };
  private counterTimer: ReturnType<typeof setInterval> | undefined;
  private readonly send: Send;

  constructor(send: Send) {
    this.send = send;
  }

  handle(message: ToMachine): void {
    switch (message.type) {
      case 'start':
        void this.start(message).catch((error: unknown) => {
          if (this.controller.signal.aborted) return;
          const vmError =
            error instanceof VmError ? error : new VmError('crashed', error instanceof Error ? error.message : String(error));
          this.send({
            type: 'error',
            code: vmError.code,
            detail: vmError.message,
            ...(vmError.asset ? { asset: vmError.asset } : {}),
          });
          void this.destroy();
        });
        break;
      case 'input':
        this.emulator?.serial_send_bytes(message.port, message.bytes);
        break;
      case 'pause':
        void this.emulator?.stop().then(() => this.send({ type: 'paused' }));
        break;
      case 'resume':
        void this.emulator?.run().then(() => this.send({ type: 'resumed' }));
        break;
    }
  }

  private async start({ mode, memoryBytes, files, cmdline }: Extract<ToMachine, { type: 'start' }>): Promise<void> {
    const signal = this.controller.signal;
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
      throw new VmError('no-webassembly', 'WebAssembly is not available in this browser');
    }
    checkMemory(memoryBytes);
    // Everything downloads at once (on a LAN the round trips add up; on a slow line the bytes
    // do), as one progress figure over all the files.
    const parts = new Map<string, { loaded: number; total: number | null }>();
    const report = () => {
      let loaded = 0;
      let total: number | null = 0;
      for (const part of parts.values()) {
        loaded += part.loaded;
        total = total === null || part.total === null ? null : total + part.total;
      }
      this.send({ type: 'progress', file: [...parts.keys()].join(' + '), loaded, total });
    };
    const load = async (file: string, url: string | undefined) => {
      if (!url) throw new VmError('crashed', `no URL for ${file}`);
      parts.set(file, { loaded: 0, total: null });
      const bytes = await fetchWithProgress(url, signal, (loaded, total) => {
        parts.set(file, { loaded, total });
        report();
      });
      return bytes.buffer;
    };
    // The emulator's code is a separate chunk, fetched only now.
    this.send({ type: 'progress', file: 'libv86', loaded: 0, total: null });
    const emulatorCode = import('v86');
    const wasmBytes = load('v86.wasm', files.wasm);
    const image: Promise<Partial<V86Options>> =
      mode === 'snapshot'
        ? load(GUEST_FILES.state, files.state).then((state) => ({ initial_state: { buffer: state } }))
        : Promise.all([
            load(GUEST_FILES.bios, files.bios),
            load(GUEST_FILES.kernel, files.kernel),
            files.initrd ? load(GUEST_FILES.initrd, files.initrd) : undefined,
          ]).then(([bios, kernel, initrd]) => ({
            bios: { buffer: bios },
            bzimage: { buffer: kernel },
            ...(initrd ? { initrd: { buffer: initrd } } : {}),
            cmdline,
          }));
    const [{ V86: Emulator }, wasm, options] = await Promise.all([emulatorCode, wasmBytes, image]);
    signal.throwIfAborted();
    this.send({ type: 'booting' });
    await this.createEmulator(Emulator, new Uint8Array(wasm), options, memoryBytes, mode === 'snapshot');
    this.send({ type: 'loaded' });
    this.counterTimer = setInterval(() => {
      if (this.emulator?.is_running()) {
        this.send({ type: 'counter', counter: this.emulator.get_instruction_counter(), atMs: performance.now() });
      }
    }, COUNTER_INTERVAL_MS);
  }

  private createEmulator(
    Emulator: typeof V86,
    wasm: Uint8Array<ArrayBuffer>,
    image: Partial<V86Options>,
    memoryBytes: number,
    restored: boolean,
  ): Promise<void> {
    const signal = this.controller.signal;
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
        memory_size: memoryBytes,
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
      emulator.add_listener('serial0-output-byte', (byte: number) => this.onByte(CONSOLE_PORT, byte));
      emulator.add_listener('serial1-output-byte', (byte: number) => this.onByte(AGENT_PORT, byte));
      emulator.add_listener('emulator-loaded', () => {
        clearTimeout(timer);
        // The restored shell waits at a prompt drawn before the snapshot; ask for a fresh one.
        if (restored) emulator.serial_send_bytes(CONSOLE_PORT, new Uint8Array([0x0a]));
        resolve();
      });
    });
  }

  /** Batches serial bytes into one message per emulator time slice (posting and xterm are slow per byte). */
  private onByte(port: typeof CONSOLE_PORT | typeof AGENT_PORT, byte: number): void {
    const pending = this.pending[port];
    if (pending.length === 0) queueMicrotask(() => this.flush(port));
    pending.push(byte);
  }

  private flush(port: typeof CONSOLE_PORT | typeof AGENT_PORT): void {
    const bytes = new Uint8Array(this.pending[port]);
    this.pending[port] = [];
    this.send({ type: port === CONSOLE_PORT ? 'output' : 'agent-output', bytes }, [bytes.buffer]);
  }

  /** Stops the emulator and any download; the host cannot start again. */
  async destroy(): Promise<void> {
    this.controller.abort();
    clearInterval(this.counterTimer);
    const emulator = this.emulator;
    this.emulator = null;
    this.pending = { [CONSOLE_PORT]: [], [AGENT_PORT]: [] };
    if (emulator) await emulator.destroy();
  }
}

/**
 * A port to a host in this same thread: for browsers without module workers, and for Node
 * (the guest test tier), where the page's `Worker` does not exist. Messages are delivered
 * asynchronously, as across a worker boundary.
 */
export function inProcessPort(): MachinePort {
  const listeners: ((message: FromMachine) => void)[] = [];
  let closed = false;
  const host = new V86Host((message) => {
    if (!closed) queueMicrotask(() => listeners.forEach((listener) => listener(message)));
  });
  return {
    post: (message) => queueMicrotask(() => closed || host.handle(message)),
    onMessage: (listener) => listeners.push(listener),
    close: () => {
      closed = true;
      void host.destroy();
    },
  };
}
