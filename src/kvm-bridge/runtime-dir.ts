/**
 * Where the bridge keeps its guests' private directories (QMP and console sockets, scratch disks).
 *
 * Not in the shared temp directory itself: any local user can create entries there (a FIFO named
 * `bridge.pid`, a directory the bridge may not delete, a symlink), and a bridge that reads and
 * deletes what it finds there can be hung, stopped or misled. So every guest directory lives in one
 * directory that only this user can enter: `$XDG_RUNTIME_DIR/lab-virt` (the per-user runtime
 * directory of a login session), else `<tmp>/lab-virt-<uid>`, mode 0700. Even there the sweep of
 * stale directories trusts nothing: real directories only (lstat), owned by this user, with a
 * small regular `bridge.pid`, and a removal that fails is reported, not fatal.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
} from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Prefix of every guest's private directory inside the runtime directory. */
export const PRIVATE_DIR_PREFIX = 'lab-virt-qemu-';

/** File in each private directory naming the bridge process that owns it. */
const OWNER_FILE = 'bridge.pid';

/** A pid is at most 7 digits on Linux (pid_max ≤ 4194304); anything longer is not ours. */
const OWNER_FILE_MAX_BYTES = 16;

/** A private directory without an owner file may be one another bridge is creating right now. */
const YOUNG_DIR_MS = 60_000;

export interface RuntimeDir {
  path: string;
  /**
   * True for the usual per-user directory, where a bridge killed with SIGKILL leaves directories
   * for the next one to sweep; false for a one-off fallback (see {@link prepareRuntimeDir}).
   */
  persistent: boolean;
  /** Why the usual directory could not be used, when it could not. */
  note?: string;
}

function currentUid(): number {
  return process.getuid?.() ?? 0;
}

/**
 * The runtime directory a bridge of user `uid` uses, without creating it.
 * @example preferredRuntimeDir({}, '/tmp', 1000) // '/tmp/lab-virt-1000'
 */
export function preferredRuntimeDir(env: NodeJS.ProcessEnv = process.env, tempDir = tmpdir(), uid = currentUid()): string {
  const xdg = env['XDG_RUNTIME_DIR'];
  // Only a runtime directory that really is this user's private one (a stale variable after `su` is not).
  if (xdg && isAbsolute(xdg) && privateDirProblem(xdg, uid) === null) return join(xdg, 'lab-virt');
  return join(tempDir, `lab-virt-${uid}`);
}

/** Why `path` is not a directory that only `uid` can use (null when it is). Never follows a symlink. */
export function privateDirProblem(path: string, uid: number): string | null {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    return `cannot be examined (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (stat.isSymbolicLink()) return 'is a symbolic link';
  if (!stat.isDirectory()) return 'is not a directory';
  if (stat.uid !== uid) return `belongs to uid ${stat.uid}`;
  if ((stat.mode & 0o077) !== 0) return `has mode ${(stat.mode & 0o777).toString(8)}, open to others`;
  return null;
}

/**
 * Creates (or reuses) this user's runtime directory and checks it is private. When the name is
 * taken by something else (another user planted it in /tmp), a fresh private directory is used
 * instead: the bridge still works, only leftovers of a killed bridge are not swept there.
 */
export function prepareRuntimeDir(env: NodeJS.ProcessEnv = process.env, tempDir = tmpdir(), uid = currentUid()): RuntimeDir {
  const path = preferredRuntimeDir(env, tempDir, uid);
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const problem = privateDirProblem(path, uid);
  if (problem === null) return { path, persistent: true };
  const fallback = mkdtempSync(join(tempDir, `lab-virt-${uid}-`));
  return { path: fallback, persistent: false, note: `${path} ${problem}; using ${fallback} instead` };
}

export interface SweepReport {
  /** Stale private directories removed. */
  removed: string[];
  /** Entries left alone, each with the reason (not this user's, not a directory, removal failed…). */
  skipped: string[];
}

/**
 * Removes private directories left by a bridge that was killed with SIGKILL (its QEMU died with it
 * through PDEATHSIG, but nobody was left to delete the files). Called when a bridge starts. Never
 * throws, never blocks on what it reads, never follows a symlink.
 */
export function sweepStaleGuestDirs(runtimeDir: string, uid = currentUid()): SweepReport {
  const report: SweepReport = { removed: [], skipped: [] };
  let names: string[];
  try {
    names = readdirSync(runtimeDir);
  } catch {
    return report;
  }
  for (const name of names) {
    if (!name.startsWith(PRIVATE_DIR_PREFIX)) continue;
    const dir = join(runtimeDir, name);
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      continue; // gone meanwhile
    }
    if (!stat.isDirectory() || stat.uid !== uid) {
      report.skipped.push(`${dir}: not a directory of this user`);
      continue;
    }
    const owner = readOwnerPid(dir, uid);
    if (owner === 'invalid') {
      report.skipped.push(`${dir}: ${OWNER_FILE} is not a small regular file of this user`);
      continue;
    }
    // No owner file yet: another bridge may be between mkdtemp and writing it; leave young ones.
    if (owner === null && Date.now() - stat.mtimeMs < YOUNG_DIR_MS) continue;
    if (owner !== null && processAlive(owner)) continue;
    try {
      // rm does not follow symlinks inside; in a 0700 directory nobody else can swap entries meanwhile.
      rmSync(dir, { recursive: true, force: true });
      report.removed.push(dir);
    } catch (error) {
      report.skipped.push(`${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  return report;
}

/**
 * The pid in a private directory's owner file; null when there is none, 'invalid' when it is not a
 * small regular file of this user holding a pid. Opened without following a symlink and without
 * blocking (a FIFO would block a plain open), and read with a fixed bound (a device would not end).
 */
function readOwnerPid(dir: string, uid: number): number | null | 'invalid' {
  let fd: number;
  try {
    fd = openSync(join(dir, OWNER_FILE), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'invalid';
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== uid || stat.size > OWNER_FILE_MAX_BYTES) return 'invalid';
    const buffer = Buffer.alloc(OWNER_FILE_MAX_BYTES);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, length).toString('utf8').trim();
    const pid = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    return Number.isSafeInteger(pid) && pid > 0 ? pid : 'invalid';
  } catch {
    return 'invalid';
  } finally {
    closeSync(fd);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A new private directory (0700) in the runtime directory, owned by this bridge process, so that
 * {@link sweepStaleGuestDirs} can remove it if the bridge dies before it does.
 */
export async function makePrivateDir(runtimeDir: string): Promise<string> {
  const privateDir = await mkdtemp(join(runtimeDir, PRIVATE_DIR_PREFIX));
  try {
    await writeFile(join(privateDir, OWNER_FILE), String(process.pid), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    await rm(privateDir, { recursive: true, force: true });
    throw error;
  }
  return privateDir;
}
