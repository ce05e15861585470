/**
 * Tools of a hostile local client: a raw TCP socket that completes the WebSocket upgrade and then
 * does only what the test says (never answers a close frame, never reads), hand-made frames, and
 * the bridge's resident memory.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { SITE_ORIGIN } from './bridge-process.ts';

/** Resident memory of a process, KiB (/proc/PID/status VmRSS). */
export function rssKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** One masked client text frame (RFC 6455 §5.2), as a browser would send it. */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x81, 0x80 | length]) : Buffer.alloc(4);
  if (length >= 126) {
    if (length > 0xffff) throw new Error('frame too large for this helper');
    header[0] = 0x81;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  }
  const mask = randomBytes(4);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) masked[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return Buffer.concat([header, mask, masked]);
}

export interface RawWebSocket {
  socket: Socket;
  /** Resolves with the close code once the bridge's close frame has arrived (if this socket reads). */
  closeFrame: Promise<number>;
  /** Resolves when the TCP connection is gone (FIN or reset). */
  ended: Promise<void>;
  /** Text frames received so far. */
  texts: string[];
}

/**
 * Connects to the bridge, completes the upgrade with a valid Host and Origin, then reads what comes
 * (unless `read` is false) and writes nothing at all: not even the answer to a close frame.
 */
export function rawWebSocket(port: number, read = true): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    const texts: string[] = [];
    let onClose: (code: number) => void = () => undefined;
    const closeFrame = new Promise<number>((done) => (onClose = done));
    const ended = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined); // a reset ends it; `ended` says so
    socket.once('connect', () => {
      socket.write(
        [
          'GET /ws HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          `Origin: ${SITE_ORIGIN}`,
          'Connection: Upgrade',
          'Upgrade: websocket',
          'Sec-WebSocket-Version: 13',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(`upgrade refused: ${head.split('\r\n')[0] ?? ''}`));
          return;
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        resolve({ socket, closeFrame, ended, texts });
        if (!read) socket.pause();
      }
      // Server frames are unmasked; the bridge's are small (< 64 KiB).
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = (buffer[0] ?? 0) & 0x0f;
        let length = (buffer[1] ?? 0) & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === 0x1) texts.push(payload.toString('utf8'));
        if (opcode === 0x8) onClose(payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
      }
    });
    socket.once('close', () => reject(new Error('closed before the upgrade')));
  });
}
