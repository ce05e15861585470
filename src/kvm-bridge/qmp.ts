/**
 * A small QEMU Machine Protocol client over a unix socket (node:net). QMP sends one JSON object
 * per line: a greeting, then replies `{return|error, id}` to our commands and `{event}` objects in
 * between. No well-kept npm QMP client exists, and this is all the bridge needs.
 */
import { createConnection, type Socket } from 'node:net';

export class QmpError extends Error {
  readonly errorClass: string;
  constructor(errorClass: string, description: string) {
    super(description);
    this.name = 'QmpError';
    this.errorClass = errorClass;
  }
}

export interface QmpEvent {
  event: string;
  data?: unknown;
  timestamp?: { seconds: number; microseconds: number };
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** Largest line accepted from QEMU; query-stats-schemas is the biggest reply (~20 KB). */
const MAX_LINE_BYTES = 4 * 1024 * 1024;

export class QmpClient {
  private readonly socket: Socket;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: QmpEvent) => void>();
  private nextId = 1;
  private buffer = '';
  private closedError: Error | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => this.failAll(new Error('QMP connection closed')));
    socket.on('error', (error) => this.failAll(error));
  }

  /** Connects, reads the greeting and negotiates capabilities (QMP refuses commands before that). */
  static async connect(path: string, timeoutMs = 5000): Promise<QmpClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = createConnection(path);
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
    const client = new QmpClient(socket);
    const greeting = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no QMP greeting')), timeoutMs);
      client.greetingWaiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    try {
      await greeting;
      await client.execute('qmp_capabilities');
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  private greetingWaiter: (() => void) | null = null;

  /** Runs a command; resolves with its `return` value, rejects with a QmpError. */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    const message = args ? { execute: command, arguments: args, id } : { execute: command, id };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify(message)}\n`);
    });
  }

  onEvent(listener: (event: QmpEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  close(): void {
    this.failAll(new Error('QMP connection closed'));
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    if (this.buffer.length > MAX_LINE_BYTES) {
      this.close();
      return;
    }
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.onMessage(line);
    }
  }

  private onMessage(line: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return; // QEMU only writes JSON here; a broken line is not ours to interpret
    }
    if ('QMP' in message) {
      this.greetingWaiter?.();
      this.greetingWaiter = null;
      return;
    }
    if (typeof message['event'] === 'string') {
      for (const listener of this.eventListeners) listener(message as unknown as QmpEvent);
      return;
    }
    const id = message['id'];
    const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!pending || typeof id !== 'number') return;
    this.pending.delete(id);
    if ('error' in message) {
      const error = message['error'] as { class?: string; desc?: string };
      pending.reject(new QmpError(error.class ?? 'GenericError', error.desc ?? 'QMP error'));
    } else {
      pending.resolve(message['return']);
    }
  }

  private failAll(error: Error): void {
    this.closedError ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
