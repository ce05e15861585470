/**
 * The bridge's HTTP + WebSocket server. Checks happen in this order, each refusing as early as it
 * can: Host and Origin before the WebSocket exists (HTTP 403), the token in the first frame, then
 * every frame's size (ws `maxPayload`), rate and nesting depth before it is parsed, then its schema.
 * Guests belong to the connection that started them and die with it. A connection the bridge closes
 * frees its slot at once; the peer gets `closeGraceMs` to answer the close frame.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { config as zodConfig } from 'zod/mini';
import { en as zodEnglish } from 'zod/locales';
import type { BridgeMachine } from '../schemas/bridge-machine.ts';
import { isLoopbackHost, isOriginAllowed, tokenMatches } from './auth.ts';
import { Guest } from './guests.ts';
import {
  admitGuest,
  jsonDepth,
  microRunIterations,
  newBucket,
  takeToken,
  type BridgeLimits,
  type TokenBucket,
} from './limits.ts';
import type { MessageKey, MessageParams } from '../protocol/texts.ts';
import { runMicroGuestInWorker } from './micro-guest.ts';
import { runMicroProgram } from './micro-run.ts';
import { helloKvmDone, helloKvmRuns } from './hello-kvm.ts';
import {
  CLOSE_CODES,
  MAX_INPUT_CHARS,
  microMaxIterations,
  PROTOCOL_VERSION,
  WS_PATH,
  parseClientMessage,
  type ClientMessage,
  type HostCheck,
  type ServerMessage,
} from '../protocol/schema.ts';
import { preflight, type LaunchSettings } from './qemu.ts';
import { labVariant } from './qemu-args.ts';

export interface BridgeOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  token: string;
  allowedOrigins: readonly string[];
  labs: ReadonlyMap<string, BridgeMachine>;
  launch: LaunchSettings;
  kvmDevice: string;
  limits: BridgeLimits;
  /** Host facts for `auto` accel and `host-check`; computed at start. */
  hostCheck: () => Promise<HostCheck>;
}

export interface RunningBridge {
  port: number;
  /** The line to print: the WebSocket URL with the token for the site panel. */
  url: string;
  close(): Promise<void>;
}

// protocol.ts uses zod/mini, which has no message texts of its own: load English ones here, in the
// bridge only, so a `bad-message` says what was wrong ("Too big: expected string to have <=4096 characters").
zodConfig(zodEnglish());

/** The only address the bridge listens on. Not configurable on purpose. */
export const LISTEN_HOST = '127.0.0.1';

/** ws buffers this much unsent output before a guest's console is paused. */
const BACKPRESSURE_BYTES = 1024 * 1024;

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const { limits } = options;
  const guests = new Map<string, Guest>();
  /** Connections that hold a slot: open, and not yet closed by the bridge. */
  const connections = new Set<WebSocket>();
  /** Every socket still open, including those the bridge is closing (terminated at shutdown). */
  const sockets = new Set<WebSocket>();
  let nextGuest = 1;
  let microGuestBusy = false;
  /** The running `micro-run`s: aborted (QEMU killed) when the bridge stops, which waits for their clean-up. */
  const microRuns = new Map<AbortController, Promise<unknown>>();
  let closing = false;

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes, perMessageDeflate: false });
  const server: Server = createServer((req, res) => {
    // Plain HTTP is not served; say so without echoing anything from the request.
    res.writeHead(isLoopbackHost(req.headers.host) ? 426 : 403, {
      'content-type': 'text/plain; charset=utf-8',
      connection: 'close',
    });
    res.end(isLoopbackHost(req.headers.host) ? 'Lab Virtualisasi KVM bridge: WebSocket only\n' : 'host-not-allowed\n');
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuseUpgrade(req);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal.status}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${refusal.code}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function refuseUpgrade(req: IncomingMessage): { status: string; code: MessageKey } | null {
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) return { status: '404 Not Found', code: 'bad-message' };
    if (!isLoopbackHost(req.headers.host)) return { status: '403 Forbidden', code: 'host-not-allowed' };
    if (!isOriginAllowed(req.headers.origin, options.allowedOrigins))
      return { status: '403 Forbidden', code: 'origin-not-allowed' };
    if (closing) return { status: '503 Service Unavailable', code: 'bridge-shutting-down' };
    if (connections.size >= limits.maxConnections) return { status: '503 Service Unavailable', code: 'too-many-connections' };
    return null;
  }

  function onConnection(ws: WebSocket): void {
    connections.add(ws);
    sockets.add(ws);
    const own = new Map<string, Guest>();
    const ownMicroRuns = new Set<AbortController>();
    let authenticated = false;
    /** Set once the connection is over for the bridge: its slot, guests and runs are released. */
    let released = false;
    let bucket: TokenBucket = newBucket(limits.messageBurst, Date.now());
    let lastRateError = 0;
    const send = (message: ServerMessage): void => {
      if (ws.readyState !== ws.OPEN) return;
      // A client that does not read cannot make the bridge queue its replies without end.
      if (ws.bufferedAmount > limits.maxSendBufferBytes)
        return refuse('client-not-reading', { maxBytes: limits.maxSendBufferBytes }, true);
      ws.send(JSON.stringify(message));
    };
    const sendError = (code: MessageKey, params: MessageParams = {}, ref?: string, guestId?: string): void => {
      const message: ServerMessage = { type: 'error', code, params };
      if (ref !== undefined) message.ref = ref;
      if (guestId !== undefined) message.guestId = guestId;
      send(message);
    };
    let dropTimer: NodeJS.Timeout | undefined;
    /** Ends the connection for the bridge now: the slot is free before the peer answers the close. */
    const release = (): void => {
      if (released) return;
      released = true;
      clearTimeout(helloTimer);
      connections.delete(ws);
      // A peer that never answers the close frame would keep its socket for ws's 30 s close timeout.
      if (ws.readyState !== ws.CLOSED) dropTimer = setTimeout(() => ws.terminate(), limits.closeGraceMs);
      for (const guest of own.values()) void guest.stop('client-gone');
      for (const run of ownMicroRuns) run.abort();
    };
    /** Sends the error (unless the send buffer is what is full), then closes with 1008. */
    const refuse = (code: MessageKey, params: MessageParams = {}, bufferFull = false): void => {
      if (released) return;
      if (!bufferFull) sendError(code, params);
      else if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'error', code, params } satisfies ServerMessage));
      ws.close(CLOSE_CODES.policyViolation, code);
      release();
    };
    const helloTimer = setTimeout(() => refuse('auth-timeout', { seconds: limits.helloTimeoutMs / 1000 }), limits.helloTimeoutMs);

    ws.on('message', (data: RawData, isBinary: boolean) => {
      // Frames that were already on the way when the bridge closed are not even read.
      if (released) return;
      if (isBinary) {
        refuse('bad-message', { detail: 'binary frames are not part of the protocol' });
        return;
      }
      if (!authenticated) {
        clearTimeout(helloTimer);
        // Nothing but a valid hello with the right token and version is accepted first (ttyd, QMP).
        const bytes = rawToBuffer(data);
        if (jsonDepth(bytes, limits.maxJsonDepth) > limits.maxJsonDepth) return refuse('auth-required');
        const parsed = parseClientMessage(bytes.toString('utf8'));
        if (!parsed.ok || parsed.message.type !== 'hello') return refuse('auth-required');
        if (!tokenMatches(parsed.message.token, options.token)) return refuse('auth-failed');
        if (parsed.message.protocol !== PROTOCOL_VERSION)
          return refuse('protocol-version', { client: parsed.message.protocol, server: PROTOCOL_VERSION });
        authenticated = true;
        send({
          type: 'welcome',
          protocol: PROTOCOL_VERSION,
          limits: {
            maxFrameBytes: limits.maxFrameBytes,
            maxInputChars: MAX_INPUT_CHARS,
            maxGuests: limits.maxGuests,
            maxGuestMemoryMiB: limits.maxGuestMemoryMiB,
            guestLifetimeSeconds: limits.guestLifetimeSeconds,
            guestIdleSeconds: limits.guestIdleSeconds,
            messagesPerSecond: limits.messagesPerSecond,
          },
        });
        return;
      }
      // Rate first, then depth, then JSON.parse and the schema: a flood of hostile frames costs a
      // token check each, and a deeply nested one a scan, never the objects parsing would build.
      const taken = takeToken(bucket, Date.now(), limits.messagesPerSecond, limits.messageBurst);
      bucket = taken.bucket;
      if (!taken.allowed) {
        // One error per second at most: answering every dropped message would be its own flood.
        if (Date.now() - lastRateError >= 1000) {
          lastRateError = Date.now();
          sendError('rate-limited');
        }
        return;
      }
      const bytes = rawToBuffer(data);
      if (jsonDepth(bytes, limits.maxJsonDepth) > limits.maxJsonDepth)
        return sendError('message-too-deep', { max: limits.maxJsonDepth });
      const parsed = parseClientMessage(bytes.toString('utf8'));
      if (!parsed.ok) return sendError('bad-message', { detail: parsed.detail });
      void dispatch(parsed.message).catch((error: unknown) => sendError('internal', { detail: String(error).slice(0, 300) }));
    });

    ws.on('close', () => {
      sockets.delete(ws);
      release();
      clearTimeout(dropTimer);
    });
    ws.on('error', () => ws.terminate());

    async function dispatch(message: ClientMessage): Promise<void> {
      switch (message.type) {
        case 'hello':
          return sendError('bad-message', { detail: 'already authenticated' });
        case 'ping':
          return send(withRef({ type: 'pong' }, message.ref));
        case 'host-check':
          return send(withRef({ type: 'host-check-result', check: await options.hostCheck() }, message.ref));
        case 'list-guests':
          return send(
            withRef(
              {
                type: 'guest-list',
                guests: [...options.labs.values()].map((lab) => ({
                  id: lab.id,
                  title: lab.title,
                  memoryMiB: lab.guest.memoryMiB,
                  variants: Object.entries(lab.guest.variants).map(([id, v]) => ({ id, title: v.title })),
                })),
              },
              message.ref,
            ),
          );
        case 'start':
          return startGuest(message);
        case 'input':
        case 'stop':
        case 'watch-stats':
        case 'console-flow': {
          const guest = own.get(message.guestId);
          if (!guest)
            return sendError(
              'guest-not-found',
              { guestId: message.guestId },
              'ref' in message ? message.ref : undefined,
              message.guestId,
            );
          const refusal =
            message.type === 'input'
              ? guest.clientEvent({ type: 'input' }, message.data)
              : message.type === 'stop'
                ? guest.clientEvent({ type: 'stop', cause: 'client-stop' })
                : message.type === 'console-flow'
                  ? guest.clientEvent({ type: 'console-flow', paused: message.paused })
                  : guest.clientEvent({ type: 'watch-stats' }, undefined, message.intervalMs);
          if (refusal) send(refusal);
          return;
        }
        case 'hello-kvm':
          return runHelloKvm(message);
        case 'micro-run':
          return runMicro(message);
      }
    }

    async function startGuest(message: Extract<ClientMessage, { type: 'start' }>): Promise<void> {
      const lab = options.labs.get(message.guest);
      if (!lab) return sendError('unknown-guest', { guest: message.guest }, message.ref);
      // What was asked for must exist before any limit is weighed (an own entry: not `constructor`).
      if (!labVariant(lab, message.variant))
        return sendError('unknown-variant', { guest: lab.id, variant: message.variant }, message.ref);
      const running = [...guests.values()].filter((g) => g.holdsSlot).length;
      const admission = admitGuest(running, lab.guest.memoryMiB, limits);
      if (admission) return sendError(admission.code, admission.params, message.ref);
      const accel = message.accel === 'auto' ? (await options.hostCheck()).linuxAccel : message.accel;
      const resolved = preflight(lab, message.variant, accel, options.launch);
      if ('code' in resolved) return sendError(resolved.code, resolved.params, message.ref);
      // Re-check after the await above: another start may have taken the last slot meanwhile.
      const again = admitGuest([...guests.values()].filter((g) => g.holdsSlot).length, lab.guest.memoryMiB, limits);
      if (again) return sendError(again.code, again.params, message.ref);
      if (ws.readyState !== ws.OPEN) return;
      const id = `g${nextGuest++}`;
      const guest = new Guest(id, resolved, { send, isBackedUp: () => ws.bufferedAmount > BACKPRESSURE_BYTES }, limits, () => {
        guests.delete(id);
        own.delete(id);
      });
      guests.set(id, guest);
      own.set(id, guest);
      guest.start(message.ref);
    }

    async function runHelloKvm(message: Extract<ClientMessage, { type: 'hello-kvm' }>): Promise<void> {
      // One micro-guest at a time: each keeps a core busy for up to a few seconds.
      if (microGuestBusy) return sendError('too-many-guests', { max: 1 }, message.ref);
      microGuestBusy = true;
      // Stopped when the client leaves or the bridge stops, like a `micro-run`.
      const controller = new AbortController();
      ownMicroRuns.add(controller);
      let finished: () => void = () => undefined;
      microRuns.set(controller, new Promise<void>((resolve) => (finished = resolve)));
      try {
        const check = await options.hostCheck();
        const iterations = message.iterations ?? Math.min(1000, microMaxIterations(message.program));
        const outcome = await runMicroGuestInWorker(
          { runs: helloKvmRuns(message.program, iterations), devicePath: options.kvmDevice },
          (exit) => send(withRef({ type: 'kvm-exit', ...exit }, message.ref)),
          controller.signal,
        );
        if (outcome === null) return; // aborted: the client left or the bridge stops
        if (!outcome.ok) {
          const params: MessageParams =
            outcome.code === 'kvm-not-a-kvm-device' ? { path: options.kvmDevice } : { detail: outcome.detail };
          return sendError(outcome.code, params, message.ref);
        }
        send(withRef(helloKvmDone(outcome.results, kvmModuleName(check)), message.ref));
      } finally {
        microRuns.delete(controller);
        ownMicroRuns.delete(controller);
        finished();
        microGuestBusy = false;
      }
    }

    /** Shares the one-micro-guest-at-a-time slot with `hello-kvm`: a run keeps a core busy. */
    async function runMicro(message: Extract<ClientMessage, { type: 'micro-run' }>): Promise<void> {
      const iterations = microRunIterations(message);
      if (iterations > limits.maxMicroRunIterations) {
        return sendError('micro-run-too-long', { iterations, max: limits.maxMicroRunIterations }, message.ref);
      }
      if (microGuestBusy) return sendError('too-many-guests', { max: 1 }, message.ref);
      microGuestBusy = true;
      const controller = new AbortController();
      ownMicroRuns.add(controller);
      try {
        const work = runMicroProgram(message, {
          kvmDevice: options.kvmDevice,
          qemuDir: options.launch.qemuDir,
          runtimeDir: options.launch.runtimeDir,
          kvmModule: async () => kvmModuleName(await options.hostCheck()),
          signal: controller.signal,
        });
        microRuns.set(controller, work);
        const outcome = await work;
        if (outcome === null) return; // aborted: the client left or the bridge stops
        if (!outcome.ok) return sendError(outcome.code, outcome.params, message.ref);
        send(withRef(outcome.result, message.ref));
      } finally {
        microRuns.delete(controller);
        ownMicroRuns.delete(controller);
        microGuestBusy = false;
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LISTEN_HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `ws://${LISTEN_HOST}:${port}${WS_PATH}?token=${options.token}`,
    close: async () => {
      closing = true;
      for (const ws of connections) {
        ws.send(JSON.stringify({ type: 'error', code: 'bridge-shutting-down', params: {} } satisfies ServerMessage));
        ws.close(CLOSE_CODES.goingAway, 'bridge-shutting-down');
      }
      for (const run of microRuns.keys()) run.abort();
      await Promise.allSettled(microRuns.values());
      await Promise.all([...guests.values()].map((g) => g.stop('bridge-shutdown')));
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function withRef<T extends ServerMessage>(message: T, ref: string | undefined): T {
  return ref === undefined ? message : { ...message, ref };
}

function rawToBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

function kvmModuleName(check: HostCheck): string {
  const item = check.items.find((i) => i.id === 'kvm-module');
  const name = item?.params['module'];
  return typeof name === 'string' ? name : 'unknown';
}
