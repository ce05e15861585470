/**
 * Runs a micro-guest program under QEMU TCG: the ROM from micro-rom.ts as the machine's BIOS, so
 * the same bytes as the raw-KVM micro-guest run on a whole emulated PC, with no KVM at all.
 *
 * Timing: the program ends in `hlt` with interrupts off, and QEMU reports no event for that. A
 * gdbstub breakpoint would (QEMU single-steps every instruction in the breakpoint's page, which would
 * time something else), so the runner reads the vCPU thread's scheduler statistics instead
 * (/proc/PID/task/TID/schedstat: nanoseconds on a CPU and waiting for one). From `cont` until the
 * thread goes to sleep in the halt, it is runnable the whole time, so that sum is the program's wall
 * time without start-up or polling delay. The halt is then confirmed from QEMU's own register dump
 * (`HLT=1`, EIP just past the program's `hlt`).
 *
 * Process hygiene as in qemu.ts: setpriv --pdeathsig KILL, a private 0700 directory removed after,
 * SIGKILL by PID, no network, seccomp sandbox.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { findExecutable } from './hostcheck.ts';
import { microHaltedEip, microRom } from '../protocol/micro-rom.ts';
import type { MicroProgramName } from '../protocol/schema.ts';
import { QmpClient } from './qmp.ts';
import { hardenedQemuArgs } from './qemu-args.ts';
import { connectUnix, retryUntil, SETPRIV } from './qemu.ts';
import { makePrivateDir } from './runtime-dir.ts';

/** The 32-bit PC is enough for a real-mode program and matches v86. */
export const MICRO_QEMU_BINARY = 'qemu-system-i386';

export type MicroQemuErrorCode = 'qemu-missing' | 'qemu-failed';

/** A failed run, with the message key (messages.ts) and its parameters. */
export class MicroQemuError extends Error {
  readonly code: MicroQemuErrorCode;
  readonly params: Record<string, string>;
  constructor(code: MicroQemuErrorCode, params: Record<string, string>) {
    super(`${code}: ${JSON.stringify(params)}`);
    this.name = 'MicroQemuError';
    this.code = code;
    this.params = params;
  }
}

export interface MicroQemuOptions {
  program: MicroProgramName;
  iterations: number;
  /** Directory holding the QEMU binaries; default: found on PATH. */
  qemuDir?: string | undefined;
  /** This user's private runtime directory (runtime-dir.ts), where the run's directory is made. */
  runtimeDir: string;
  /** Kills QEMU and rejects when aborted (the client went away, the bridge stops). */
  signal?: AbortSignal | undefined;
  /** Longest the program may run; a hung guest is killed. Default 30 s. */
  timeoutMs?: number;
}

export interface MicroQemuRun {
  program: MicroProgramName;
  iterations: number;
  /** Wall time the vCPU thread was runnable from `cont` to its halt, microseconds. */
  microseconds: number;
  /** What the program wrote to COM1 (0x3f8). */
  consoleText: string;
  /** EIP once halted (one past the program's `hlt`). */
  haltedEip: number;
  /** QEMU's version string, e.g. `7.2.22`. */
  qemuVersion: string;
  pid: number;
}

/** Poll interval of the vCPU thread's schedstat while the program runs. */
const POLL_MS = 2;
/** Unchanged this many polls in a row (and asleep) means the thread is parked in the halt. */
const STABLE_POLLS = 4;

/** The QEMU command line of a micro run (after `setpriv --pdeathsig KILL --`). */
export function microQemuArgs(paths: { rom: string; qmpSocket: string; serialSocket: string }): string[] {
  return [
    ...hardenedQemuArgs({
      name: 'lab-micro-guest',
      machine: 'pc',
      accel: 'tcg',
      memoryMiB: 16,
      qmpSocket: paths.qmpSocket,
      serialSocket: paths.serialSocket,
    }),
    '-nic',
    'none',
    // Guest RAM from a memfd rather than anonymous memory: QEMU asks for transparent huge pages on
    // anonymous RAM, so `memory`'s first touch of a 4 KiB page would cost no host page fault under
    // TCG while it does under KVM and v86. Shared memory gets huge pages only if the host opts in.
    '-object',
    'memory-backend-memfd,id=micro-ram,size=16M',
    '-machine',
    'memory-backend=micro-ram',
    '-bios',
    paths.rom,
  ];
}

/**
 * The runnable time of a thread from its schedstat line ("run_ns wait_ns slices"), nanoseconds.
 * @example runnableNs('1500 500 3\n') // 2000
 */
export function runnableNs(schedstat: string): number {
  const [run, wait] = schedstat.trim().split(/\s+/).map(Number);
  if (run === undefined || wait === undefined || !Number.isFinite(run) || !Number.isFinite(wait))
    throw new Error(`unreadable schedstat: ${schedstat}`);
  return run + wait;
}

/**
 * EIP and the halted flag from QEMU's `info registers` (x86, 32-bit target).
 * @example haltState('EAX=00000000 …\nEIP=0000100d EFL=00000002 [-------] CPL=0 II=0 A20=1 SMM=0 HLT=1\n') // { eip: 4109, halted: true }
 */
export function haltState(dump: string): { eip: number; halted: boolean } | null {
  const eip = /EIP=([0-9a-f]{8})/i.exec(dump)?.[1];
  const hlt = /HLT=(\d)/.exec(dump)?.[1];
  if (eip === undefined || hlt === undefined) return null;
  return { eip: Number.parseInt(eip, 16), halted: hlt === '1' };
}

/** The vCPU thread's runnable time; a kernel without scheduler statistics is a typed failure. */
async function readRunnableNs(statPath: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(statPath, 'utf8');
  } catch (error) {
    throw new MicroQemuError('qemu-failed', {
      detail: `cannot read ${statPath} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    });
  }
  return runnableNs(text);
}

/** Runs the program once under TCG; rejects with a MicroQemuError, or the signal's reason. */
export async function runMicroInQemu(options: MicroQemuOptions): Promise<MicroQemuRun> {
  const { signal } = options;
  signal?.throwIfAborted();
  const binary = options.qemuDir ? join(options.qemuDir, MICRO_QEMU_BINARY) : MICRO_QEMU_BINARY;
  const qemuPath = findExecutable(binary);
  if (!qemuPath) throw new MicroQemuError('qemu-missing', { binary });

  const privateDir = await makePrivateDir(options.runtimeDir);
  let child: ChildProcess | undefined;
  let qmp: QmpClient | undefined;
  let serial: Socket | undefined;
  let stderr = '';
  try {
    const rom = join(privateDir, 'micro.rom');
    await writeFile(rom, microRom(options.program, options.iterations), { mode: 0o600 });
    const qmpSocket = join(privateDir, 'qmp.sock');
    const serialSocket = join(privateDir, 'console.sock');
    const spawned = spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', qemuPath, ...microQemuArgs({ rom, qmpSocket, serialSocket })], {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: privateDir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C' },
    });
    child = spawned;
    spawned.stderr?.setEncoding('utf8');
    spawned.stderr?.on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
    const ended = new Promise<never>((_, reject) => {
      const fail = (): void =>
        reject(new MicroQemuError('qemu-failed', { detail: stderr.trim().slice(-300) || 'QEMU ended early' }));
      spawned.once('close', fail);
      spawned.once('error', fail);
    });
    ended.catch(() => undefined); // raced below; the run may finish first
    const hasEnded = (): boolean => spawned.exitCode !== null || spawned.signalCode !== null;
    const onAbort = (): void => void spawned.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const deadline = Date.now() + 15_000;
      qmp = await retryUntil(() => QmpClient.connect(qmpSocket), deadline, hasEnded, ended);
      const socket = await retryUntil(() => connectUnix(serialSocket), deadline, hasEnded, ended);
      serial = socket;
      socket.on('error', () => undefined); // closes with an error when QEMU is killed
      let consoleText = '';
      socket.setEncoding('latin1');
      socket.on('data', (text: string) => (consoleText += text));

      const version = (await qmp.execute('query-version')) as { qemu: { major: number; minor: number; micro: number } };
      const cpus = (await qmp.execute('query-cpus-fast')) as { 'thread-id': number }[];
      const tid = cpus[0]?.['thread-id'];
      if (tid === undefined) throw new MicroQemuError('qemu-failed', { detail: 'no vCPU thread' });
      const statPath = `/proc/${spawned.pid}/task/${tid}/schedstat`;
      const before = await readRunnableNs(statPath);
      await qmp.execute('cont');
      const after = await Promise.race([waitForHalt(statPath, qmp, before, options.timeoutMs ?? 30_000, signal), ended]);
      signal?.throwIfAborted();
      return {
        program: options.program,
        iterations: options.iterations,
        microseconds: (after.runnable - before) / 1000,
        consoleText,
        haltedEip: after.eip,
        qemuVersion: `${version.qemu.major}.${version.qemu.minor}.${version.qemu.micro}`,
        pid: spawned.pid ?? -1,
      };
    } catch (error) {
      // Killed because of the abort: say so, not that QEMU ended.
      if (signal?.aborted) throw signal.reason;
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    qmp?.close();
    serial?.destroy();
    if (child) {
      const spawned = child;
      const closed = new Promise((resolve) =>
        spawned.exitCode !== null || spawned.signalCode !== null ? resolve(null) : spawned.once('close', resolve),
      );
      if (spawned.exitCode === null && spawned.signalCode === null) spawned.kill('SIGKILL');
      await closed;
    }
    await rm(privateDir, { recursive: true, force: true });
  }
}

/**
 * Polls the vCPU thread until its runnable time stops growing, then checks QEMU's register dump:
 * halted, with EIP past the program's `hlt`. Resolves with the runnable time then.
 */
async function waitForHalt(
  statPath: string,
  qmp: QmpClient,
  before: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<{ runnable: number; eip: number }> {
  const deadline = Date.now() + timeoutMs;
  let last = before;
  let stable = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    signal?.throwIfAborted();
    const now = await readRunnableNs(statPath);
    stable = now === last && now > before ? stable + 1 : 0;
    last = now;
    if (stable >= STABLE_POLLS) {
      const dump = (await qmp.execute('human-monitor-command', { 'command-line': 'info registers' })) as string;
      const state = haltState(dump);
      if (state?.halted) return { runnable: now, eip: state.eip };
      stable = 0; // descheduled for a moment, not halted: keep watching
    }
    if (Date.now() > deadline)
      throw new MicroQemuError('qemu-failed', { detail: `the micro-program did not halt within ${timeoutMs} ms` });
  }
}

/** Whether a run ended where the program's `hlt` is (the ROM and program ran as written). */
export function haltedAtProgramEnd(run: Pick<MicroQemuRun, 'program' | 'haltedEip'>): boolean {
  return run.haltedEip === microHaltedEip(run.program);
}
