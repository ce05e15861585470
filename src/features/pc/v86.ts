/**
 * VmBackend over v86 (x86 emulation in WebAssembly). The emulator runs in a Web Worker
 * (v86-host.ts behind v86.worker.ts), so the page's main thread only draws the terminal and
 * takes keys; this side turns the worker's messages into the back end's statuses. The guest's
 * console is v86's first serial port; its second carries lab-agent's lines: window sizes, and
 * probes, the out-of-band checks of guided labs (src/guest/agent.ts).
 * Nothing heavy loads before `start`: the worker, the emulator code, its wasm and the guest
 * image are fetched then, with progress.
 */
import v86WasmUrl from 'v86/build/v86.wasm?url';
import { Listeners } from '../../protocol/listeners';
import { VmError, type StartMode, type VmBackend, type VmStatus } from '../terminal/backend';
import { AGENT_PORT, CONSOLE_PORT, GUEST_CMDLINE, GUEST_FILES, agentWinsize, type GuestMachine } from '../../guest/image';
import { mipsWindow, type CounterSample } from './instruction-counter';
import { matchPrompt } from '../../guest/prompt';
import {
  AgentLines,
  PROBE_GUEST_SECONDS,
  encodeProbe,
  newProbeId,
  parseAgentLine,
  probeAnswer,
  type ProbeAnswer,
} from '../../guest/agent';
import type { FromMachine, MachineFiles, MachinePort } from './machine-messages';

export interface V86BackendOptions {
  /** URL of the folder with the guest image (GUEST_FILES), ending in `/`. Default `/guest/`. */
  assetBase?: string;
  /** The machine the image was built for (the manifest's `machine`): memory size, initrd or not. */
  machine: GuestMachine;
  /** Opens a channel to a new emulator. Default: a Web Worker, or the page itself where there is none. */
  openPort?: () => Promise<MachinePort>;
}

/** How long a probe may take before the page gives up: past the guest's own limit, so that one answers first. */
const PROBE_TIMEOUT_MS = (PROBE_GUEST_SECONDS + 5) * 1000;

export interface ProbeOptions {
  /** Default PROBE_TIMEOUT_MS. */
  timeoutMs?: number;
}

interface PendingProbe {
  resolve: (answer: ProbeAnswer) => void;
  reject: (error: Error) => void;
}

/** A dedicated module worker running v86-host.ts. */
function workerPort(): MachinePort {
  const worker = new Worker(new URL('./v86.worker.ts', import.meta.url), { type: 'module', name: 'v86' });
  return {
    post: (message, transfer) => worker.postMessage(message, { transfer: transfer ?? [] }),
    onMessage: (listener) => {
      worker.addEventListener('message', (event: MessageEvent<FromMachine>) => listener(event.data));
      // A worker that fails to load or throws at the top level never answers; say so.
      worker.addEventListener('error', (event) =>
        listener({ type: 'error', code: 'crashed', detail: `worker: ${event.message || 'failed to load'}` }),
      );
    },
    close: () => worker.terminate(),
  };
}

/** A worker where the browser can start one; else the page runs the emulator itself, slower to type into but working. */
async function defaultPort(): Promise<MachinePort> {
  try {
    if (typeof Worker === 'function') return workerPort();
  } catch {
    // No module workers here (an old browser, or a policy forbids them).
  }
  const { inProcessPort } = await import('./v86-host');
  return inProcessPort();
}

export class V86Backend implements VmBackend {
  private current: VmStatus = { state: 'idle' };
  private port: MachinePort | null = null;
  private mode: StartMode = 'snapshot';
  private size: { cols: number; rows: number } | null = null;
  private readonly output = new Listeners<Uint8Array>();
  private readonly statuses = new Listeners<VmStatus>();
  private readonly speeds = new Listeners<number | null>();
  private tail = '';
  private readonly decoder = new TextDecoder();
  private speedWindow: CounterSample[] = [];
  /** Waiters for the worker's answer to pause and resume. */
  private acks: { type: 'paused' | 'resumed'; done: () => void }[] = [];
  private readonly agentLines = new AgentLines();
  /** Probes sent to lab-agent, by id. */
  private probes = new Map<string, PendingProbe>();
  /** lab-agent runs one probe at a time; so does this side (its serial input stays short). */
  private probeQueue: Promise<unknown> = Promise.resolve();
  private readonly assetBase: string;
  private readonly machine: GuestMachine;
  private readonly openPort: () => Promise<MachinePort>;

  constructor(options: V86BackendOptions) {
    this.assetBase = options.assetBase ?? '/guest/';
    this.machine = options.machine;
    this.openPort = options.openPort ?? defaultPort;
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
    this.stopEmulator();
    this.mode = mode;
    this.setStatus({ state: 'loading', file: 'libv86', loaded: 0, total: null });
    try {
      const port = await this.openPort();
      if (signal.aborted) {
        port.close();
        signal.throwIfAborted();
      }
      this.port = port;
      await new Promise<void>((resolve, reject) => {
        const abort = () => reject(signal.reason as Error);
        signal.addEventListener('abort', abort, { once: true });
        port.onMessage((message) => {
          if (this.port !== port) return; // a message from a machine already stopped
          if (message.type === 'loaded') {
            signal.removeEventListener('abort', abort);
            resolve();
          } else if (message.type === 'error') {
            signal.removeEventListener('abort', abort);
            reject(new VmError(message.code, message.detail, message.asset));
          }
          this.onMessage(message);
        });
        port.post({
          type: 'start',
          mode,
          memoryBytes: this.machine.memoryBytes,
          files: this.files(mode),
          cmdline: GUEST_CMDLINE,
        });
      });
    } catch (error) {
      this.stopEmulator();
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

  private files(mode: StartMode): MachineFiles {
    const wasm = new URL(v86WasmUrl, location.href).href;
    if (mode === 'snapshot') return { wasm, state: this.asset('state') };
    return {
      wasm,
      bios: this.asset('bios'),
      kernel: this.asset('kernel'),
      ...(this.machine.separateInitrd ? { initrd: this.asset('initrd') } : {}),
    };
  }

  private asset(file: keyof typeof GUEST_FILES): string {
    return new URL(GUEST_FILES[file], new URL(this.assetBase, location.href)).href;
  }

  private onMessage(message: FromMachine): void {
    switch (message.type) {
      case 'progress':
        this.setStatus({ state: 'loading', file: message.file, loaded: message.loaded, total: message.total });
        break;
      case 'booting':
        this.setStatus({ state: 'booting', mode: this.mode });
        break;
      case 'loaded':
        this.speedWindow = [];
        break;
      case 'output':
        this.onOutputBytes(message.bytes);
        break;
      case 'agent-output':
        this.onAgentBytes(message.bytes);
        break;
      case 'counter':
        this.onCounter(message);
        break;
      case 'paused':
      case 'resumed':
        for (const ack of this.acks.filter((a) => a.type === message.type)) ack.done();
        this.acks = this.acks.filter((a) => a.type !== message.type);
        break;
      case 'error':
        // After the start, a failure inside the emulator ends the machine.
        if (this.current.state === 'running' || this.current.state === 'paused') {
          this.stopEmulator();
          this.setStatus({ state: 'error', code: message.code, detail: message.detail });
        }
        break;
    }
  }

  private onOutputBytes(bytes: Uint8Array): void {
    this.output.emit(bytes);
    if (this.current.state === 'booting') {
      this.tail = (this.tail + this.decoder.decode(bytes, { stream: true })).slice(-256);
      if (matchPrompt(this.tail)) {
        this.setStatus({ state: 'running', mode: this.mode });
        if (this.size) this.sendSize(this.size.cols, this.size.rows);
      }
    }
  }

  private onAgentBytes(bytes: Uint8Array): void {
    for (const line of this.agentLines.push(bytes)) {
      const reply = parseAgentLine(line);
      const pending = reply && this.probes.get(reply.id);
      if (!reply || !pending) continue; // not an answer to a probe of this machine
      try {
        pending.resolve(probeAnswer(reply));
      } catch (error) {
        pending.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /**
   * Runs a sh script in the guest out of band (lab-agent, second serial port): nothing shows
   * on the console or in a shell history. For guided labs' checks, which read the machine's
   * real state. Rejects at once unless the machine is running; rejects when lab-agent does
   * not answer in time, when the script outlives the guest's limit, or on `signal`.
   */
  probe(script: string, signal?: AbortSignal, options: ProbeOptions = {}): Promise<ProbeAnswer> {
    if (this.current.state !== 'running' || !this.port) {
      return Promise.reject(new Error(`cannot check: the machine is not running (${this.current.state})`));
    }
    let line: string;
    const id = newProbeId();
    try {
      line = encodeProbe(id, script);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const port = this.port;
    const send = () => this.sendProbe(port, id, line, signal, options.timeoutMs ?? PROBE_TIMEOUT_MS);
    const answer = this.probeQueue.then(send, send);
    this.probeQueue = answer.catch(() => undefined);
    return answer;
  }

  private sendProbe(port: MachinePort, id: string, line: string, signal: AbortSignal | undefined, timeoutMs: number) {
    return new Promise<ProbeAnswer>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      if (this.port !== port) return reject(new Error('cannot check: the machine stopped'));
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        this.probes.delete(id);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`lab-agent did not answer the check within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const abort = () => {
        settle();
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.probes.set(id, {
        resolve: (answer) => (settle(), resolve(answer)),
        reject: (error) => (settle(), reject(error)),
      });
      port.post({ type: 'input', port: AGENT_PORT, bytes: new TextEncoder().encode(line) });
    });
  }

  /** v86's wrapping 32-bit instruction counter, about once a second (see instruction-counter.ts). */
  private onCounter(sample: CounterSample): void {
    if (this.current.state !== 'running') return;
    const { window, mips } = mipsWindow(this.speedWindow, { counter: sample.counter, atMs: sample.atMs }, 4);
    this.speedWindow = window;
    this.speeds.emit(mips);
  }

  write(bytes: Uint8Array): void {
    this.port?.post({ type: 'input', port: CONSOLE_PORT, bytes });
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
    this.port?.post({ type: 'input', port: AGENT_PORT, bytes: new TextEncoder().encode(agentWinsize(cols, rows)) });
  }

  /** Asks the worker and waits for its answer (v86's stop and run finish asynchronously). */
  private request(type: 'pause' | 'resume'): Promise<void> {
    const port = this.port;
    if (!port) return Promise.resolve();
    return new Promise((done) => {
      this.acks.push({ type: type === 'pause' ? 'paused' : 'resumed', done });
      port.post({ type });
    });
  }

  async pause(): Promise<void> {
    if (!this.port || this.current.state !== 'running') return;
    await this.request('pause');
    this.setStatus({ state: 'paused', mode: this.mode });
    this.speeds.emit(null);
  }

  async resume(): Promise<void> {
    if (!this.port || this.current.state !== 'paused') return;
    this.speedWindow = [];
    await this.request('resume');
    this.setStatus({ state: 'running', mode: this.mode });
  }

  async reset(signal: AbortSignal): Promise<void> {
    await this.start(signal, this.mode);
  }

  /** Ends the current emulator: terminating its worker frees all its memory at once. */
  private stopEmulator(): void {
    this.port?.close();
    this.port = null;
    this.tail = '';
    this.agentLines.reset();
    for (const probe of [...this.probes.values()])
      probe.reject(new Error('cannot check: the machine stopped before lab-agent answered'));
    this.probes.clear();
    for (const ack of this.acks) ack.done();
    this.acks = [];
  }

  dispose(): Promise<void> {
    this.stopEmulator();
    this.setStatus({ state: 'disposed' });
    this.output.clear();
    this.statuses.clear();
    this.speeds.clear();
    return Promise.resolve();
  }
}
