/**
 * The KVM bridge (src/kvm-bridge/, `npm run bridge`) from the browser: a `BridgeClient` over its
 * WebSocket, and `BridgeVmBackend`, the `VmBackend` of a QEMU guest the bridge runs.
 *
 * Every frame from the bridge is validated once, here, with the shared schema (protocol.ts) and
 * then handed on typed; nothing else parses bridge JSON. Failures are `BridgeError`s with a code the
 * page turns into a sentence (src/features/kvm-lab/connection-text.ts). This module loads zod, so the
 * panel imports it only when the learner presses "Connect".
 */
import type { MessageKey, MessageParams } from './texts.ts';
import {
  MAX_INPUT_CHARS,
  PROTOCOL_VERSION,
  clientMessageSchema,
  parseServerMessage,
  type Accel,
  type AccelChoice,
  type ClientMessageInput,
  type GuestPhase,
  type HostCheck,
  type KvmExitMessage,
  type MicroProgramName,
  type ServerMessage,
  type StopReason,
} from './schema.ts';
import { Listeners, VmError, type VmBackend, type VmStatus } from '../features/terminal/backend.ts';
import { bridgeHttpUrl, type BridgeAddress } from '../features/kvm-lab/bridge-url.ts';

export { parseBridgeUrl, rememberBridgeUrl, recallBridgeUrl, forgetBridgeUrl } from '../features/kvm-lab/bridge-url.ts';
export type { BridgeAddress, BridgeUrlProblem, ParsedBridgeUrl } from '../features/kvm-lab/bridge-url.ts';

type Msg<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
export type Welcome = Msg<'welcome'>;
export type GuestList = Msg<'guest-list'>['guests'];
export type GuestStateMessage = Msg<'guest-state'>;
export type StatsMessage = Msg<'stats'>;
export type KvmBootFailed = Msg<'kvm-boot-failed'>;
export type HelloKvmDone = Msg<'hello-kvm-done'>;
export type BridgeErrorMessage = Msg<'error'>;
export type { HostCheck, KvmExitMessage };

// ---------------------------------------------------------------- errors

export type BridgeErrorCode =
  /** Nothing answered at the address: connection refused (no bridge running there). */
  | 'unreachable'
  /** A bridge answers there but refused this page's WebSocket (origin not allowed, too many connections). */
  | 'refused'
  /** No `welcome` (or no reply) in time. */
  | 'timeout'
  /** The bridge answered with an `error`; `key` and `params` say which (messages.ts). */
  | 'rejected'
  /** The connection ended; `closeCode` says how. */
  | 'closed'
  /** The bridge sent something the shared schema rejects (another protocol version?), or we would have. */
  | 'invalid-message'
  /** The learner cancelled. */
  | 'aborted';

// Fields are declared, not constructor parameters: Node runs this file as is (type stripping) for
// benches and tests, and strips only erasable syntax.
export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  /** For `rejected`: the bridge's message key and its parameters. */
  readonly key: MessageKey | undefined;
  readonly params: MessageParams;
  /** For `closed`: the WebSocket close code (1006 = dropped, 1008 = policy, 1001 = bridge stopping). */
  readonly closeCode: number | undefined;

  constructor(code: BridgeErrorCode, message: string, key?: MessageKey, params: MessageParams = {}, closeCode?: number) {
    super(message);
    this.name = 'BridgeError';
    this.code = code;
    this.key = key;
    this.params = params;
    this.closeCode = closeCode;
  }
}

const rejected = (m: BridgeErrorMessage): BridgeError => new BridgeError('rejected', `bridge error ${m.code}`, m.code, m.params);

// ---------------------------------------------------------------- message handling (no socket)

/** A message the client sends, without `ref` (the session picks one when it needs the reply). */
type Outgoing = ClientMessageInput;
/** The client messages that carry a `ref` (and so get replies matched to them). */
type HasRef<M> = M extends unknown ? ('ref' extends keyof M ? M : never) : never;
type WithRef = HasRef<Outgoing>;

interface PendingRequest {
  done: (m: ServerMessage) => boolean;
  progress: ((m: ServerMessage) => void) | undefined;
  resolve: (m: ServerMessage) => void;
  reject: (error: BridgeError) => void;
}

/**
 * The protocol's message handling, apart from the socket: frames in (`receive`), frames out
 * (`transmit`), replies matched to requests by `ref`, everything else to listeners. Unit-tested
 * with recorded frames; `BridgeClient` puts a WebSocket under it.
 */
export class BridgeSession {
  private nextRef = 1;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly messages = new Listeners<ServerMessage>();
  private readonly problems = new Listeners<string>();
  private failure: BridgeError | null = null;
  private readonly transmit: (frame: string) => void;

  constructor(transmit: (frame: string) => void) {
    this.transmit = transmit;
  }

  /** Checks a message against the shared schema (with its defaults) and sends it. */
  send(message: Outgoing): void {
    if (this.failure) throw this.failure;
    const checked = clientMessageSchema.safeParse(message);
    if (!checked.success) {
      throw new BridgeError(
        'invalid-message',
        `not sending an invalid ${message.type}: ${checked.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    this.transmit(JSON.stringify(checked.data));
  }

  /**
   * Sends a message with a fresh `ref` and resolves with the reply that `done` accepts; an `error`
   * with the same `ref` rejects. Other messages with that `ref` (e.g. `kvm-exit`) go to `progress`.
   */
  request<T extends ServerMessage>(
    message: WithRef,
    done: (m: ServerMessage) => m is T,
    progress?: (m: ServerMessage) => void,
  ): Promise<T> {
    const ref = `r${this.nextRef++}`;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(ref, { done, progress, resolve: resolve as (m: ServerMessage) => void, reject });
      try {
        this.send({ ...message, ref });
      } catch (error) {
        this.pending.delete(ref);
        reject(error instanceof BridgeError ? error : new BridgeError('invalid-message', String(error)));
      }
    });
  }

  /** One text frame from the bridge: validated once, then routed. Returns the message, or null if invalid. */
  receive(frame: string): ServerMessage | null {
    const parsed = parseServerMessage(frame);
    if (!parsed.ok) {
      this.problems.emit(parsed.detail);
      return null;
    }
    const message = parsed.message;
    const ref = 'ref' in message ? message.ref : undefined;
    const request = ref === undefined ? undefined : this.pending.get(ref);
    if (ref !== undefined && request) {
      if (message.type === 'error') {
        this.pending.delete(ref);
        request.reject(rejected(message));
      } else if (request.done(message)) {
        this.pending.delete(ref);
        request.resolve(message);
      } else request.progress?.(message);
    }
    this.messages.emit(message);
    return message;
  }

  /** Every valid message from the bridge, in order (replies included). */
  onMessage(listener: (message: ServerMessage) => void): () => void {
    return this.messages.add(listener);
  }

  /** Frames that failed validation, with the first problem. */
  onProblem(listener: (detail: string) => void): () => void {
    return this.problems.add(listener);
  }

  /** The connection is gone: every pending request rejects with `error`, and sending throws it. */
  fail(error: BridgeError): void {
    if (this.failure) return;
    this.failure = error;
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
  }

  get failed(): BridgeError | null {
    return this.failure;
  }
}

// ---------------------------------------------------------------- the connection

export interface ConnectOptions {
  signal?: AbortSignal;
  /** How long to wait for the socket and `welcome`. Default 10 s. */
  timeoutMs?: number;
  /** Opens the WebSocket; default the browser's. Node tests pass one that sends an Origin header. */
  openSocket?: (url: string) => WebSocket;
  /**
   * After the socket failed to open: whether anything answers plain HTTP at the bridge's address
   * (the bridge answers 426). Tells "no bridge" from "a bridge that refused this page". Default: a
   * `no-cors` fetch, which resolves for any HTTP answer and rejects when the connection is refused.
   */
  probe?: (address: BridgeAddress, signal?: AbortSignal) => Promise<boolean>;
}

async function defaultProbe(address: BridgeAddress, signal?: AbortSignal): Promise<boolean> {
  try {
    await fetch(bridgeHttpUrl(address), { mode: 'no-cors', cache: 'no-store', credentials: 'omit', signal: signal ?? null });
    return true;
  } catch {
    return false;
  }
}

const abortError = (): BridgeError => new BridgeError('aborted', 'cancelled');

/**
 * Opens the bridge's WebSocket, sends `hello` with the token first and waits for `welcome`.
 * Rejects with a `BridgeError`: `unreachable`, `refused`, `timeout`, `rejected` (wrong token,
 * protocol version), `closed`, `invalid-message` or `aborted`.
 */
export function connectBridge(address: BridgeAddress, options: ConnectOptions = {}): Promise<BridgeClient> {
  const { signal, timeoutMs = 10_000 } = options;
  const open = options.openSocket ?? ((url: string) => new WebSocket(url));
  const probe = options.probe ?? defaultProbe;
  if (signal?.aborted) return Promise.reject(abortError());

  return new Promise<BridgeClient>((resolve, reject) => {
    const socket = open(address.socketUrl);
    const session = new BridgeSession((frame) => socket.send(frame));
    let opened = false;
    let settled = false;
    let refusal: BridgeError | null = null;

    const finish = (outcome: BridgeClient | BridgeError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (outcome instanceof BridgeError) {
        socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
        if (socket.readyState === socket.CONNECTING || socket.readyState === socket.OPEN) socket.close();
        reject(outcome);
      } else resolve(outcome);
    };
    const onAbort = (): void => finish(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish(new BridgeError('timeout', `no welcome within ${timeoutMs} ms`)), timeoutMs);

    socket.onopen = () => {
      opened = true;
      // The token goes in the first frame, never in the URL the browser requests.
      session.send({ type: 'hello', protocol: PROTOCOL_VERSION, token: address.token });
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return finish(new BridgeError('invalid-message', 'binary frame'));
      const message = session.receive(event.data);
      if (message === null)
        return finish(new BridgeError('invalid-message', 'the bridge’s first answer is not a welcome of this protocol'));
      if (message.type === 'error') {
        // auth-failed, protocol-version…: the bridge closes right after; keep the reason.
        refusal = rejected(message);
        return finish(refusal);
      }
      if (message.type !== 'welcome') return finish(new BridgeError('invalid-message', `expected welcome, got ${message.type}`));
      if (message.protocol !== PROTOCOL_VERSION) {
        return finish(
          new BridgeError('rejected', 'protocol mismatch', 'protocol-version', {
            client: PROTOCOL_VERSION,
            server: message.protocol,
          }),
        );
      }
      finish(new BridgeClient(address, socket, session, message));
    };
    socket.onerror = () => undefined; // `close` follows and says more
    socket.onclose = (event: CloseEvent) => {
      if (settled) return;
      if (refusal) return finish(refusal);
      if (opened) return finish(new BridgeError('closed', `closed before welcome (${event.code})`, undefined, {}, event.code));
      // Never opened: the browser does not say why. Ask the address over plain HTTP.
      void probe(address, signal).then((answered) =>
        finish(
          answered
            ? new BridgeError('refused', `${address.display} answers but refused the WebSocket`)
            : new BridgeError('unreachable', `nothing answers at ${address.display}`),
        ),
      );
    };
  });
}

/** An authenticated connection to a bridge. Create with {@link connectBridge}. */
export class BridgeClient {
  private readonly closes = new Listeners<BridgeError>();
  private closedWith: BridgeError | null = null;
  readonly address: BridgeAddress;
  private readonly socket: WebSocket;
  private readonly session: BridgeSession;
  readonly welcome: Welcome;

  constructor(address: BridgeAddress, socket: WebSocket, session: BridgeSession, welcome: Welcome) {
    this.address = address;
    this.socket = socket;
    this.session = session;
    this.welcome = welcome;
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') session.receive(event.data);
    };
    socket.onclose = (event: CloseEvent) => {
      const error = new BridgeError('closed', `connection closed (${event.code})`, undefined, {}, event.code);
      this.closedWith = error;
      session.fail(error);
      this.closes.emit(error);
    };
  }

  get closed(): BridgeError | null {
    return this.closedWith;
  }

  /** Every message from the bridge, validated. */
  onMessage(listener: (message: ServerMessage) => void): () => void {
    return this.session.onMessage(listener);
  }

  /** Frames the shared schema rejected (shown to the learner: the page and bridge may differ in version). */
  onProblem(listener: (detail: string) => void): () => void {
    return this.session.onProblem(listener);
  }

  /** The connection ended (bridge stopped, network gone, `close()`). */
  onClose(listener: (error: BridgeError) => void): () => void {
    return this.closes.add(listener);
  }

  send(message: Outgoing): void {
    this.session.send(message);
  }

  async hostCheck(): Promise<HostCheck> {
    const reply = await this.session.request(
      { type: 'host-check' },
      (m): m is Msg<'host-check-result'> => m.type === 'host-check-result',
    );
    return reply.check;
  }

  async listGuests(): Promise<GuestList> {
    const reply = await this.session.request({ type: 'list-guests' }, (m): m is Msg<'guest-list'> => m.type === 'guest-list');
    return reply.guests;
  }

  async ping(): Promise<void> {
    await this.session.request({ type: 'ping' }, (m): m is Msg<'pong'> => m.type === 'pong');
  }

  /** Asks the bridge to start a guest; resolves with its first `guest-state` (phase `launching`). */
  startGuest(guest: string, variant: string, accel: AccelChoice): Promise<GuestStateMessage> {
    return this.session.request(
      { type: 'start', guest, variant, accel },
      (m): m is GuestStateMessage => m.type === 'guest-state',
    );
  }

  /**
   * Runs a micro-guest through the bridge's raw KVM API; each streamed exit goes to `onExit`.
   * Rejects with `rejected` (`kvm-missing`, `kvm-permission-denied`, `too-many-guests`…).
   */
  helloKvm(
    program: MicroProgramName,
    iterations: number | undefined,
    onExit: (exit: KvmExitMessage) => void,
  ): Promise<HelloKvmDone> {
    const message: WithRef =
      iterations === undefined ? { type: 'hello-kvm', program } : { type: 'hello-kvm', program, iterations };
    return this.session.request(
      message,
      (m): m is HelloKvmDone => m.type === 'hello-kvm-done',
      (m) => {
        if (m.type === 'kvm-exit') onExit(m);
      },
    );
  }

  /** Closes the connection; the bridge then kills this connection's guests. */
  close(): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) this.socket.close(1000);
  }
}

// ---------------------------------------------------------------- a guest as a VmBackend

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
