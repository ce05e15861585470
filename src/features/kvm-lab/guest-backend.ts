/**
 * `BridgeVmBackend`: a QEMU guest the KVM bridge runs, behind the same `VmBackend` interface as the
 * browser PC, so the KVM lab's terminal drives either one. It talks to the bridge only through the
 * bridge client (src/protocol/client.ts).
 */
import type { MessageKey, MessageParams } from '../../protocol/texts';
import {
  MAX_INPUT_CHARS,
  type Accel,
  type AccelChoice,
  type GuestPhase,
  type ServerMessage,
  type StopReason,
} from '../../protocol/schema';
import {
  BridgeError,
  type BridgeClient,
  type GuestStateMessage,
  type KvmBootFailed,
  type StatsMessage,
} from '../../protocol/client';
import { Listeners } from '../../protocol/listeners';
import { VmError, type VmBackend, type VmStatus } from '../terminal/backend';

export interface BridgeGuestChoice {
  /** A lab id from the bridge's `guest-list`, e.g. `linux-guest`. */
  guest: string;
  variant: string;
  accel: AccelChoice;
}

/** What happens to a bridge guest beyond the VmBackend's status, for the lab panel. */
export type BridgeGuestEvent =
  | { kind: 'phase'; phase: GuestPhase; accel: Accel; elapsedMs: number; reason: StopReason | undefined }
  | { kind: 'kvm-boot-failed'; failure: KvmBootFailed }
  | { kind: 'error'; key: MessageKey; params: MessageParams }
  | { kind: 'stats'; stats: StatsMessage };

/** Stop reasons after which the guest is simply off; the others are failures. */
const ORDINARY_STOPS: ReadonlySet<StopReason> = new Set(['client-stop', 'qemu-exited']);

/**
 * A QEMU guest run by the bridge, behind the same interface as the in-page v86 machine. The
 * bridge boots from scratch every time (there is no snapshot: `mode` is ignored); it cannot pause a
 * guest or learn the terminal's size over a serial line, so `pause`/`resume` reject and `resize`
 * only records the size. Extra, bridge-only: `onGuestEvent`, `watchStats`, `setConsoleFlow`, `stop`.
 */
export class BridgeVmBackend implements VmBackend {
  private current: VmStatus = { state: 'idle' };
  private id: string | null = null;
  private phase: GuestPhase | null = null;
  private resolvedAccel: Accel | null = null;
  private readonly output = new Listeners<Uint8Array>();
  private readonly statuses = new Listeners<VmStatus>();
  private readonly events = new Listeners<BridgeGuestEvent>();
  private readonly speeds = new Listeners<number | null>();
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();
  private readonly unsubscribe: (() => void)[];
  private flowPaused = false;
  private size: { cols: number; rows: number } | null = null;
  private readonly client: BridgeClient;
  private readonly choice: BridgeGuestChoice;

  constructor(client: BridgeClient, choice: BridgeGuestChoice) {
    this.client = client;
    this.choice = choice;
    this.unsubscribe = [client.onMessage((m) => this.onMessage(m)), client.onClose((error) => this.onConnectionLost(error))];
  }

  get status(): VmStatus {
    return this.current;
  }

  /** The bridge's id of the current guest (`g1`…), or null before `start`. */
  get guestId(): string | null {
    return this.id;
  }

  /** What the bridge runs the guest with (`auto` resolved), or null before `start`. */
  get accel(): Accel | null {
    return this.resolvedAccel;
  }

  /** The terminal size last reported; a serial console cannot pass it to the guest. */
  get terminalSize(): { cols: number; rows: number } | null {
    return this.size;
  }

  private setStatus(status: VmStatus): void {
    // launching and booting are both `booting` here: tell listeners about changes only.
    if (JSON.stringify(status) === JSON.stringify(this.current)) return;
    this.current = status;
    this.statuses.emit(status);
  }

  private get live(): boolean {
    return this.phase === 'launching' || this.phase === 'booting' || this.phase === 'running';
  }

  /** Starts a fresh guest (stopping the previous one); resolves when the bridge has launched QEMU. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.current.state === 'disposed') throw new Error('this machine was disposed');
    if (this.live) this.stopGuest();
    signal.throwIfAborted();
    this.id = null;
    this.phase = null;
    this.flowPaused = false;
    this.setStatus({ state: 'booting', mode: 'cold' });
    try {
      const first = await this.client.startGuest(this.choice.guest, this.choice.variant, this.choice.accel);
      this.id = first.guestId;
      this.resolvedAccel = first.accel;
      this.onGuestState(first);
      if (signal.aborted) {
        this.stopGuest();
        this.setStatus({ state: 'idle' });
        throw signal.reason;
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const detail = error instanceof Error ? error.message : String(error);
      if (error instanceof BridgeError && error.key) this.events.emit({ kind: 'error', key: error.key, params: error.params });
      this.setStatus({ state: 'error', code: 'crashed', detail });
      throw error;
    }
  }

  private onMessage(message: ServerMessage): void {
    if (!('guestId' in message) || message.guestId === undefined || message.guestId !== this.id) return;
    switch (message.type) {
      case 'guest-state':
        // The first state (with the start's ref) is handled by `start`, which sets the id first.
        if (message.ref === undefined) this.onGuestState(message);
        return;
      case 'output':
        this.output.emit(this.encoder.encode(message.data));
        return;
      case 'kvm-boot-failed':
        this.events.emit({ kind: 'kvm-boot-failed', failure: message });
        return;
      case 'stats':
        this.events.emit({ kind: 'stats', stats: message });
        return;
      case 'error':
        // After the guest is gone a late console-flow or input may race its exit: nothing to say.
        if (message.code === 'guest-not-found' && !this.live) return;
        this.events.emit({ kind: 'error', key: message.code, params: message.params });
        return;
      default:
        return;
    }
  }

  private onGuestState(message: GuestStateMessage): void {
    this.phase = message.phase;
    this.resolvedAccel = message.accel;
    this.events.emit({
      kind: 'phase',
      phase: message.phase,
      accel: message.accel,
      elapsedMs: message.elapsedMs,
      reason: message.reason,
    });
    switch (message.phase) {
      case 'launching':
      case 'booting':
        this.setStatus({ state: 'booting', mode: 'cold' });
        return;
      case 'running':
        this.setStatus({ state: 'running', mode: 'cold' });
        return;
      case 'stopping':
        return;
      case 'exited': {
        const reason = message.reason ?? 'qemu-exited';
        this.setStatus(ORDINARY_STOPS.has(reason) ? { state: 'idle' } : { state: 'error', code: 'crashed', detail: reason });
        return;
      }
    }
  }

  private onConnectionLost(error: BridgeError): void {
    if (!this.live) return;
    this.phase = 'exited';
    this.setStatus({ state: 'error', code: 'crashed', detail: error.message });
  }

  /** Keystrokes to the guest's serial console; dropped while no guest can take input. */
  write(bytes: Uint8Array): void {
    if (this.id === null || (this.phase !== 'booting' && this.phase !== 'running') || this.client.closed) return;
    const text = this.decoder.decode(bytes, { stream: true });
    for (let i = 0; i < text.length; i += MAX_INPUT_CHARS) {
      this.client.send({ type: 'input', guestId: this.id, data: text.slice(i, i + MAX_INPUT_CHARS) });
    }
  }

  onOutput(listener: (bytes: Uint8Array) => void): () => void {
    return this.output.add(listener);
  }

  onStatus(listener: (status: VmStatus) => void): () => void {
    listener(this.current);
    return this.statuses.add(listener);
  }

  /** Phase changes, a failed KVM boot, the guest's errors and its counters. */
  onGuestEvent(listener: (event: BridgeGuestEvent) => void): () => void {
    return this.events.add(listener);
  }

  /** The bridge reports no guest speed; the listener is never called. */
  onSpeed(listener: (mips: number | null) => void): () => void {
    return this.speeds.add(listener);
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
  }

  pause(): Promise<void> {
    return Promise.reject(new VmError('crashed', 'the KVM bridge cannot pause a guest'));
  }

  resume(): Promise<void> {
    return Promise.reject(new VmError('crashed', 'the KVM bridge cannot pause or resume a guest'));
  }

  reset(signal: AbortSignal): Promise<void> {
    return this.start(signal);
  }

  /** Streams the guest's KVM counters every `intervalMs` (250–10000), or stops them with 0. */
  watchStats(intervalMs: number): void {
    if (this.id === null || (this.phase !== 'booting' && this.phase !== 'running')) return;
    this.client.send({ type: 'watch-stats', guestId: this.id, intervalMs });
  }

  /** Backpressure: asks the bridge to hold (true) or release (false) the console output. */
  setConsoleFlow(paused: boolean): void {
    if (paused === this.flowPaused) return;
    this.flowPaused = paused;
    if (this.id === null || !this.live || this.client.closed) return;
    this.client.send({ type: 'console-flow', guestId: this.id, paused });
  }

  /** Asks the bridge to stop the guest; `stopping` and `exited` follow as guest events. */
  stop(): void {
    this.stopGuest();
  }

  private stopGuest(): void {
    if (this.id !== null && this.live && !this.client.closed) this.client.send({ type: 'stop', guestId: this.id });
  }

  /** Stops the guest; the back end cannot be started again. The connection stays open. */
  dispose(): Promise<void> {
    this.stopGuest();
    for (const off of this.unsubscribe) off();
    this.phase = null;
    this.setStatus({ state: 'disposed' });
    this.output.clear();
    this.statuses.clear();
    this.events.clear();
    this.speeds.clear();
    return Promise.resolve();
  }
}
