/**
 * The only module that starts QEMU. A guest gets a private directory (mode 0700, in the bridge's
 * runtime directory, runtime-dir.ts) for its sockets and scratch disks, removed when it ends; QEMU runs under `setpriv --pdeathsig KILL`, so the kernel
 * kills it when the bridge dies, even by SIGKILL (Node cannot call prctl(PR_SET_PDEATHSIG) itself).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import type { BridgeMachine } from '../schemas/bridge-machine.ts';
import { findExecutable } from './hostcheck.ts';
import type { Accel } from '../protocol/schema.ts';
import { QmpClient } from './qmp.ts';
import { buildQemuArgs, classifyQemuStderr, labVariant, qemuBinaryName, type QemuFailureCode } from './qemu-args.ts';
import { makePrivateDir } from './runtime-dir.ts';

/** Keep this much of QEMU's stderr for error reports. */
const STDERR_TAIL_BYTES = 8 * 1024;

export interface LaunchSettings {
  /** Directory with the guest images named by the lab (kernel, initramfs). */
  guestDir: string;
  /** Directory holding the QEMU binaries; default: found on PATH. */
  qemuDir?: string | undefined;
  /** This user's private runtime directory (runtime-dir.ts), where each guest's directory is made. */
  runtimeDir: string;
}

export type PreflightError =
  | { code: 'qemu-missing'; params: { binary: string } }
  | { code: 'guest-image-missing'; params: { file: string } }
  | { code: 'unknown-variant'; params: { guest: string; variant: string } };

export interface ResolvedLaunch {
  lab: BridgeMachine;
  variantId: string;
  accel: Accel;
  qemuPath: string;
  kernel: string;
  /** Absent when the kernel carries its initramfs. */
  initramfs: string | undefined;
  runtimeDir: string;
}

/** Checks what can be checked before spawning: the variant, the QEMU binary and the image files. */
export function preflight(
  lab: BridgeMachine,
  variantId: string,
  accel: Accel,
  settings: LaunchSettings,
): PreflightError | ResolvedLaunch {
  // The variant name comes from the client: an own entry only (`constructor` is no variant).
  if (!labVariant(lab, variantId)) return { code: 'unknown-variant', params: { guest: lab.id, variant: variantId } };
  const binary = qemuBinaryName(lab.guest.arch);
  const qemuPath = findExecutable(settings.qemuDir ? join(settings.qemuDir, binary) : binary);
  if (!qemuPath) return { code: 'qemu-missing', params: { binary: settings.qemuDir ? join(settings.qemuDir, binary) : binary } };
  const kernel = join(settings.guestDir, lab.guest.kernel);
  const initramfs = lab.guest.initramfs === undefined ? undefined : join(settings.guestDir, lab.guest.initramfs);
  for (const file of [kernel, initramfs])
    if (file !== undefined && !existsSync(file)) return { code: 'guest-image-missing', params: { file } };
  return { lab, variantId, accel, qemuPath, kernel, initramfs, runtimeDir: settings.runtimeDir };
}

export interface QemuExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process ended by itself with an error; classified from stderr. */
  failure: QemuFailureCode | null;
  stderrTail: string;
}

/** A started QEMU, paused (`-S`), with QMP ready and the console attached. */
export interface RunningQemu {
  pid: number;
  privateDir: string;
  qmp: QmpClient;
  console: Socket;
  /** Resolves once, when the process has ended and its directory is gone. */
  exited: Promise<QemuExit>;
  stderrTail(): string;
  /** Called for each stderr chunk (the bridge watches for KVM faults). */
  onStderr(listener: (text: string) => void): void;
  /** Lets the vCPUs run (QMP `cont`). */
  resume(): Promise<void>;
  /** SIGKILL, then wait for `exited`. Safe to call more than once. */
  kill(): Promise<QemuExit>;
}

export class QemuLaunchError extends Error {
  readonly exit: QemuExit;
  constructor(exit: QemuExit) {
    super(`QEMU ended during start: ${exit.failure ?? 'unknown'}: ${exit.stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
    this.name = 'QemuLaunchError';
    this.exit = exit;
  }
}

/** setpriv sets PR_SET_PDEATHSIG, then execs QEMU in the same process: the pid is QEMU's. */
export const SETPRIV = '/usr/bin/setpriv';

/** Spawns QEMU for a checked launch; resolves when QMP and the console are connected. */
export async function launchQemu(launch: ResolvedLaunch, startTimeoutMs = 15_000): Promise<RunningQemu> {
  const privateDir = await makePrivateDir(launch.runtimeDir);
  let child: ChildProcess | undefined;
  try {
    const variant = labVariant(launch.lab, launch.variantId);
    const scratchDisks: string[] = [];
    for (const [index, device] of (variant?.devices ?? []).entries()) {
      if (device.kind !== 'scratch-disk') continue;
      const file = join(privateDir, `scratch${index}.img`);
      const handle = await open(file, 'wx', 0o600);
      await handle.truncate(device.sizeMiB * 1024 * 1024); // sparse: costs no disk until written
      await handle.close();
      scratchDisks.push(file);
    }
    const qmpSocket = join(privateDir, 'qmp.sock');
    const serialSocket = join(privateDir, 'console.sock');
    const args = buildQemuArgs(launch.lab, launch.variantId, launch.accel, {
      kernel: launch.kernel,
      initramfs: launch.initramfs,
      qmpSocket,
      serialSocket,
      scratchDisks,
    });
    child = spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', launch.qemuPath, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: privateDir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C' },
    });
    return await attach(child, privateDir, qmpSocket, serialSocket, startTimeoutMs);
  } catch (error) {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (child)
      await new Promise((resolve) =>
        child?.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('close', resolve),
      );
    await rm(privateDir, { recursive: true, force: true });
    throw error;
  }
}

async function attach(
  child: ChildProcess,
  privateDir: string,
  qmpSocket: string,
  serialSocket: string,
  startTimeoutMs: number,
): Promise<RunningQemu> {
  let stderr = '';
  const stderrListeners = new Set<(text: string) => void>();
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_TAIL_BYTES);
    for (const listener of stderrListeners) listener(text);
  });
  let killedByUs = false;
  // 'close' (not 'exit') fires after stderr is drained, so the tail is complete.
  const processEnded = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: 127, signal: null }));
  });
  // Filled in below once connected; `exited` closes whatever was opened by then.
  const links: { qmp?: QmpClient; console?: Socket } = {};
  const exited = processEnded.then(async ({ code, signal }) => {
    links.qmp?.close();
    links.console?.destroy();
    await rm(privateDir, { recursive: true, force: true });
    const failed = !killedByUs && (code !== 0 || signal !== null);
    return { code, signal, failure: failed ? classifyQemuStderr(stderr) : null, stderrTail: stderr };
  });

  const earlyExit: Promise<never> = exited.then((exit) => {
    throw new QemuLaunchError(exit);
  });
  earlyExit.catch(() => undefined); // observed below; avoid an unhandled rejection once start succeeded
  const deadline = Date.now() + startTimeoutMs;
  const ended = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const qmp = await retryUntil(() => QmpClient.connect(qmpSocket), deadline, ended, earlyExit);
  links.qmp = qmp;
  const consoleSocket = await retryUntil(() => connectUnix(serialSocket), deadline, ended, earlyExit);
  links.console = consoleSocket;
  // The console closes with an error when QEMU is killed; `exited` reports that, so errors here are expected.
  consoleSocket.on('error', () => undefined);

  const pid = child.pid ?? -1;
  const running: RunningQemu = {
    pid,
    privateDir,
    qmp,
    console: consoleSocket,
    exited,
    stderrTail: () => stderr,
    onStderr: (listener) => void stderrListeners.add(listener),
    resume: async () => {
      await qmp.execute('cont');
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        killedByUs = true;
        child.kill('SIGKILL');
      }
      return exited;
    },
  };
  return running;
}

export function connectUnix(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * QEMU creates its sockets a few tens of milliseconds after exec; poll until they accept. When
 * QEMU has ended meanwhile, wait for `ended` (which rejects with its classified stderr) instead of
 * reporting the refused connection.
 */
export async function retryUntil<T>(
  attempt: () => Promise<T>,
  deadlineMs: number,
  processEnded: () => boolean,
  ended: Promise<never>,
): Promise<T> {
  for (;;) {
    if (processEnded()) return ended;
    try {
      return await Promise.race([attempt(), ended]);
    } catch (error) {
      if (processEnded()) return ended;
      if (Date.now() > deadlineMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
