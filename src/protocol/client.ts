/**
 * The KVM bridge (src/kvm-bridge/, `npm run bridge`) from the browser: a `BridgeClient` over its
 * WebSocket (a guest it runs, as a terminal's back end, is src/features/kvm-lab/guest-backend.ts).
 *
 * Every frame from the bridge is validated once, here, with the shared schema (protocol.ts) and
 * then handed on typed; nothing else parses bridge JSON. Failures are `BridgeError`s with a code the
 * page turns into a sentence (src/features/kvm-lab/connection-text.ts). This module loads zod, so the
 * panel imports it only when the learner presses "Connect".
 */
import type { MessageKey, MessageParams } from './texts.ts';
import {
  PROTOCOL_VERSION,
  clientMessageSchema,
  parseServerMessage,
  type AccelChoice,
  type ClientMessageInput,
  type HostCheck,
  type KvmExitMessage,
  type MicroProgramName,
  type ServerMessage,
} from './schema.ts';
import { Listeners } from './listeners.ts';
import { bridgeHttpUrl, type BridgeAddress } from './bridge-url.ts';

export { parseBridgeUrl, rememberBridgeUrl, recallBridgeUrl, forgetBridgeUrl } from './bridge-url.ts';
export type { BridgeAddress, BridgeUrlProblem, ParsedBridgeUrl } from './bridge-url.ts';

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
