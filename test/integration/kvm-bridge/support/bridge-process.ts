/**
 * Starts the real bridge (`node src/kvm-bridge/main.ts`) as a child process on a free port and
 * talks to it over real WebSockets, through the page's own client. Every test stops what it starts, by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BridgeSession, connectBridge, parseBridgeUrl } from '../../../../src/protocol/client.ts';
import type { ClientMessageInput, ServerMessage } from '../../../../src/protocol/schema.ts';
import { nodeBridgeSocket, SITE_ORIGIN } from '../../../../scripts/lib/bridge-socket.ts';
import { preferredRuntimeDir, PRIVATE_DIR_PREFIX } from '../../../../src/kvm-bridge/runtime-dir.ts';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
export { SITE_ORIGIN };

export interface BridgeProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  token: string;
  /** The line the bridge printed, as a learner copies it (`ws://127.0.0.1:PORT/ws?token=…`). */
  line: string;
  /** ws://127.0.0.1:PORT/ws (without the token). */
  wsUrl: string;
  stderr(): string;
  /** SIGTERM (like Ctrl-C's clean path) and wait for exit; returns the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * `wrapper` runs the bridge through another program, e.g. setpriv to drop to another user; `env`
 * adds to (or, with undefined, removes from) the environment. A bridge that prints no URL in time
 * is killed.
 */
export async function startBridgeProcess(
  args: string[] = [],
  wrapper: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<BridgeProcess> {
  const command = [...wrapper, process.execPath, 'src/kvm-bridge/main.ts', '--port', '0', ...args];
  const child = spawn(command[0] ?? process.execPath, command.slice(1), {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    // A bridge that hangs at start (e.g. reading a FIFO) is killed, not left behind.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bridge printed no URL within 15 s: ${stderr}`));
    }, 15_000);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      stdout += text;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited (${code}) before printing its URL: ${stderr}`));
    });
  });
  const url = new URL(line);
  const token = url.searchParams.get('token') ?? '';
  return {
    child,
    pid: child.pid ?? -1,
    port: Number(url.port),
    token,
    line,
    wsUrl: `ws://127.0.0.1:${url.port}/ws`,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * The page's own client (src/protocol/client.ts) with a queue the tests read: every frame from the
 * bridge is validated by the shared schema once, there. `connect` is the page's handshake
 * (connectBridge); `open` is a socket that has sent nothing yet, for the tests of the handshake.
 * `send` checks a message as the page would; `sendUnchecked` and `ws` reach the server with what
 * the page would never send, for the tests of the server's own checks.
 */
export class TestClient {
  readonly received: ServerMessage[] = [];
  private waiters: { predicate: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  private problem: string | null = null;
  closeCode: number | null = null;
  readonly closed: Promise<number>;

  private constructor(
    /** The socket itself, for frames that are not JSON messages. */
    readonly ws: WebSocket,
    private readonly checked: (message: ClientMessageInput) => void,
    subscribe: { onMessage: (l: (m: ServerMessage) => void) => void; onProblem: (l: (d: string) => void) => void },
    onClose: (l: (code: number) => void) => void,
  ) {
    subscribe.onMessage((message) => {
      this.received.push(message);
      for (const waiter of [...this.waiters]) {
        if (waiter.predicate(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
    subscribe.onProblem((detail) => (this.problem ??= `bridge sent an invalid message: ${detail}`));
    this.closed = new Promise((resolve) =>
      onClose((code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  /** An open socket that has sent nothing (no hello), with these upgrade headers. */
  static async open(
    bridge: Pick<BridgeProcess, 'wsUrl'>,
    headers: Record<string, string> = { origin: SITE_ORIGIN },
  ): Promise<TestClient> {
    const ws = nodeBridgeSocket(headers)(bridge.wsUrl);
    const session = new BridgeSession((frame) => ws.send(frame));
    ws.onmessage = (event: MessageEvent) => void session.receive(String(event.data));
    const client = new TestClient(
      ws,
      (message) => session.send(message),
      { onMessage: (l) => session.onMessage(l), onProblem: (l) => session.onProblem(l) },
      (l) => ws.addEventListener('close', (event) => l(event.code)),
    );
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error(`WebSocket to ${bridge.wsUrl} failed to open`));
    });
    return client;
  }

  /** Opens and authenticates as the page does (connectBridge); resolves after `welcome`. */
  static async connect(bridge: Pick<BridgeProcess, 'wsUrl' | 'token'>): Promise<TestClient> {
    const open = nodeBridgeSocket();
    let ws: WebSocket | undefined;
    const parsed = parseBridgeUrl(`${bridge.wsUrl}?token=${bridge.token}`);
    if (!parsed.ok) throw new Error(`bridge URL: ${parsed.problem}`);
    const shared = await connectBridge(parsed.address, { openSocket: (url) => (ws = open(url)) });
    if (!ws) throw new Error('connectBridge opened no socket');
    return new TestClient(
      ws,
      (message) => shared.send(message),
      { onMessage: (l) => shared.onMessage(l), onProblem: (l) => shared.onProblem(l) },
      (l) => shared.onClose((error) => l(error.closeCode ?? 1006)),
    );
  }

  /** Sends a message the shared schema accepts (with its defaults), as the page would. */
  send(message: ClientMessageInput): void {
    this.checked(message);
  }

  /** Sends any JSON, unchecked: what a hostile or broken client could send. */
  sendUnchecked(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The first message (already received or coming) that matches; rejects after `timeoutMs`. */
  next<T extends ServerMessage['type']>(
    predicate: (m: ServerMessage) => boolean,
    timeoutMs = 10_000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    if (this.problem) return Promise.reject(new Error(this.problem));
    const seen = this.received.find(predicate);
    if (seen) {
      this.received.splice(this.received.indexOf(seen), 1);
      return Promise.resolve(seen as Extract<ServerMessage, { type: T }>);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.received.slice(-5)).slice(0, 1500)}`),
        );
      }, timeoutMs);
      const done = (m: ServerMessage): void => {
        clearTimeout(timer);
        this.received.splice(this.received.indexOf(m), 1);
        resolve(m as Extract<ServerMessage, { type: T }>);
      };
      this.waiters.push({ predicate, resolve: done });
    });
  }

  /** Console text of a guest received so far (consumes the `output` messages). */
  takeOutput(guestId: string): string {
    let text = '';
    for (let i = 0; i < this.received.length;) {
      const m = this.received[i];
      if (m?.type === 'output' && m.guestId === guestId) {
        text += m.data;
        this.received.splice(i, 1);
      } else i += 1;
    }
    return text;
  }

  /** Waits until the guest's console output (accumulated) matches. */
  async waitForOutput(guestId: string, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    let text = '';
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      text += this.takeOutput(guestId);
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`console never matched ${pattern}; got ${JSON.stringify(text.slice(-4000))}`);
      await this.next((m) => m.type === 'output' && m.guestId === guestId, deadline - Date.now()).then(
        (m) => (text += m.type === 'output' ? m.data : ''),
        () => undefined,
      );
    }
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    await this.closed;
  }
}

// ---------------------------------------------------------------- leak checks

/** PIDs of live processes whose command line contains `needle` (reads /proc; zombies excluded). */
export function pidsWithCommandLine(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (cmdline.includes(needle) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

export function isAlive(pid: number): boolean {
  try {
    const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
}

/** Private guest directories left in the runtime directory a bridge started by these tests uses. */
export function leftoverGuestDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  try {
    return readdirSync(preferredRuntimeDir(env))
      .filter((name) => name.startsWith(PRIVATE_DIR_PREFIX))
      .map((name) => join(preferredRuntimeDir(env), name));
  } catch {
    return []; // no bridge has made it yet
  }
}

/** Open file descriptors of a process. */
export function openFds(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return 'gone';
    }
  });
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
