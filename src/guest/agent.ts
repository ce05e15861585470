/**
 * The lines the browser PC and the guest's lab-agent (scripts/guest/init.sh, on the second
 * serial port) exchange. Pure and browser-safe: the page, the worker and the bridge can share it.
 *
 * To the agent:  `winsize COLS ROWS` (agentWinsize in image.ts) and `probe ID SCRIPT`, SCRIPT
 * the base64 of a sh script that a guided lab's check runs out of band.
 * From the agent: `probe ID STATUS BYTES OUTPUT`, STATUS the exit code (`T`: killed at the
 * guest's time limit, `E`: SCRIPT was not base64), BYTES the output's full length and OUTPUT
 * the base64 of its first PROBE_OUTPUT_CAP bytes. Base64 keeps a reply on one line whatever
 * bytes the script printed; the ID, random per probe, ties a reply to its request.
 */

/** What a check learns from a probe: the script's exit code and what it printed (stdout and stderr). */
export interface ProbeResult {
  exitCode: number;
  output: string;
}

/** A probe's full answer: also the raw bytes (output is their UTF-8 reading) and whether the agent cut them. */
export interface ProbeAnswer extends ProbeResult {
  bytes: Uint8Array;
  truncated: boolean;
}

/** The agent keeps this much of a probe's output (init.sh PROBE_CAP). */
export const PROBE_OUTPUT_CAP = 16384;
/** The agent kills a probe that runs longer (init.sh PROBE_SECONDS). */
export const PROBE_GUEST_SECONDS = 10;

/** Longest check script: the guest's serial input buffers hold a few pages, and checks are short. */
export const PROBE_SCRIPT_MAX = 8192;

export type ProbeStatus = number | 'timeout' | 'bad-script';

export interface ProbeReply {
  id: string;
  status: ProbeStatus;
  /** How many bytes the script printed; more than `bytes.length` when the agent cut the output. */
  totalBytes: number;
  bytes: Uint8Array;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A fresh probe id, unguessable from inside the guest. */
export function newProbeId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode's argument list short.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** @throws on text that is not base64 */
export function base64ToBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error('not base64');
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * The line asking the agent to run `script`.
 * @example encodeProbe('a1', 'echo hi') // → 'probe a1 ZWNobyBoaQ==\n'
 */
export function encodeProbe(id: string, script: string): string {
  if (!ID.test(id)) throw new Error(`bad probe id: ${JSON.stringify(id)}`);
  const bytes = new TextEncoder().encode(script);
  if (bytes.length > PROBE_SCRIPT_MAX)
    throw new Error(`a check script is limited to ${PROBE_SCRIPT_MAX} bytes (this one has ${bytes.length})`);
  return `probe ${id} ${bytesToBase64(bytes)}\n`;
}

/**
 * Reads one line from the agent (without its newline). Null for anything that is not a
 * well-formed probe reply: a garbled line must not become a verdict.
 * @example parseAgentLine('probe a1 3 3 aGkK') // → { id: 'a1', status: 3, totalBytes: 3, bytes: [104, 105, 10] }
 */
export function parseAgentLine(line: string): ProbeReply | null {
  const m = /^probe ([A-Za-z0-9_-]{1,64}) (\d{1,3}|T|E) (\d{1,12}) ?([A-Za-z0-9+/=]*)$/.exec(line);
  if (!m?.[1] || !m[2] || !m[3] || m[4] === undefined) return null;
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(m[4]);
  } catch {
    return null;
  }
  const totalBytes = Number(m[3]);
  if (bytes.length !== Math.min(totalBytes, PROBE_OUTPUT_CAP)) return null;
  const status: ProbeStatus = m[2] === 'T' ? 'timeout' : m[2] === 'E' ? 'bad-script' : Number(m[2]);
  return { id: m[1], status, totalBytes, bytes };
}

/** A reply as a check's result; a probe that did not finish is an error, not a verdict. */
export function probeAnswer(reply: ProbeReply): ProbeAnswer {
  if (reply.status === 'timeout') throw new Error(`the check did not finish within ${PROBE_GUEST_SECONDS} s in the guest`);
  if (reply.status === 'bad-script') throw new Error('lab-agent could not read the check script');
  return {
    exitCode: reply.status,
    output: new TextDecoder().decode(reply.bytes),
    bytes: reply.bytes,
    truncated: reply.totalBytes > reply.bytes.length,
  };
}

/** Longest line kept; a reply is at most about 22 KB, so anything longer is noise. */
const MAX_LINE = 64 * 1024;

/** Splits the agent port's byte stream into lines; an overlong line is dropped whole. */
export class AgentLines {
  private line = '';
  private overlong = false;

  /** The lines that `bytes` complete. */
  push(bytes: Uint8Array): string[] {
    const lines: string[] = [];
    for (const byte of bytes) {
      if (byte === 0x0a) {
        if (!this.overlong) lines.push(this.line);
        this.line = '';
        this.overlong = false;
      } else if (this.line.length >= MAX_LINE) {
        this.overlong = true;
        this.line = '';
      } else if (!this.overlong) {
        this.line += String.fromCharCode(byte);
      }
    }
    return lines;
  }

  reset(): void {
    this.line = '';
    this.overlong = false;
  }
}
