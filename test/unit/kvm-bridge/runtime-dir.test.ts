import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  makePrivateDir,
  preferredRuntimeDir,
  prepareRuntimeDir,
  privateDirProblem,
  sweepStaleGuestDirs,
} from '../../../src/kvm-bridge/runtime-dir.ts';

const uid = process.getuid?.() ?? 0;
let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'runtime-dir-test-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function aged(path: string): string {
  const hourAgo = new Date(Date.now() - 3600_000);
  utimesSync(path, hourAgo, hourAgo);
  return path;
}

describe('the runtime directory', () => {
  it('is $XDG_RUNTIME_DIR/lab-virt when that is this user’s private directory, else <tmp>/lab-virt-<uid>', () => {
    const xdg = join(scratch, 'xdg');
    mkdirSync(xdg, { mode: 0o700 });
    expect(preferredRuntimeDir({ XDG_RUNTIME_DIR: xdg }, '/tmp', uid)).toBe(join(xdg, 'lab-virt'));
    expect(preferredRuntimeDir({}, '/tmp', uid)).toBe(`/tmp/lab-virt-${uid}`);
    expect(preferredRuntimeDir({ XDG_RUNTIME_DIR: 'relative' }, '/tmp', uid)).toBe(`/tmp/lab-virt-${uid}`);
    chmodSync(xdg, 0o755);
    expect(preferredRuntimeDir({ XDG_RUNTIME_DIR: xdg }, '/tmp', uid)).toBe(`/tmp/lab-virt-${uid}`);
    // Someone else's (a stale variable after `su`).
    expect(preferredRuntimeDir({ XDG_RUNTIME_DIR: xdg }, '/tmp', uid + 1)).toBe(`/tmp/lab-virt-${uid + 1}`);
  });

  it('is created 0700 and reused', () => {
    const first = prepareRuntimeDir({}, scratch, uid);
    expect(first).toEqual({ path: join(scratch, `lab-virt-${uid}`), persistent: true });
    expect(statSync(first.path).mode & 0o777).toBe(0o700);
    expect(prepareRuntimeDir({}, scratch, uid)).toEqual(first);
  });

  it.each([
    [
      'a symlink to a directory',
      (path: string) => symlinkSync(mkdtempSync(join(scratch, 'elsewhere-')), path),
      'is a symbolic link',
    ],
    ['a file', (path: string) => writeFileSync(path, ''), 'is not a directory'],
    ['a directory others may enter', (path: string) => mkdirSync(path, { mode: 0o777 }), 'open to others'],
  ])('whose name is taken by %s is not used: a fresh private one is', (_what, plant, problem) => {
    const name = join(scratch, `lab-virt-${uid}`);
    plant(name);
    if (lstatSync(name).isDirectory()) chmodSync(name, 0o777);
    const prepared = prepareRuntimeDir({}, scratch, uid);
    expect(prepared.persistent).toBe(false);
    expect(prepared.note).toContain(problem);
    expect(prepared.path).not.toBe(name);
    expect(privateDirProblem(prepared.path, uid)).toBeNull();
  });
});

describe('the stale-directory sweep', () => {
  function privateDir(runtime: string, name: string, owner: string | null): string {
    const dir = join(runtime, `lab-virt-qemu-${name}`);
    mkdirSync(dir, { mode: 0o700 });
    if (owner !== null) writeFileSync(join(dir, 'bridge.pid'), owner);
    return dir;
  }

  it('removes only real, stale directories of its own, and never blocks or follows a link', () => {
    const runtime = prepareRuntimeDir({}, scratch, uid).path;
    const stale = aged(privateDir(runtime, 'stale', '99999999'));
    writeFileSync(join(stale, 'scratch0.img'), 'x');
    const live = aged(privateDir(runtime, 'live', String(process.pid)));
    const young = privateDir(runtime, 'young', null); // another bridge between mkdtemp and its owner file
    const orphan = aged(privateDir(runtime, 'orphan', null));
    const fifo = aged(privateDir(runtime, 'fifo', null));
    execFileSync('mkfifo', [join(fifo, 'bridge.pid')]);
    const device = aged(privateDir(runtime, 'dev', null));
    symlinkSync('/dev/zero', join(device, 'bridge.pid'));
    const big = aged(privateDir(runtime, 'big', `99999999${' '.repeat(100_000)}`));
    const junk = aged(privateDir(runtime, 'junk', 'not a pid'));
    const victim = aged(mkdtempSync(join(scratch, 'victim-')));
    writeFileSync(join(victim, 'bridge.pid'), '99999999');
    const link = join(runtime, 'lab-virt-qemu-link');
    symlinkSync(victim, link);
    writeFileSync(join(runtime, 'lab-virt-qemu-file'), '99999999');
    const other = aged(mkdtempSync(join(runtime, 'something-else-')));

    const started = Date.now();
    const report = sweepStaleGuestDirs(runtime, uid);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.removed.sort()).toEqual([orphan, stale].sort());
    for (const kept of [live, young, fifo, device, big, junk, victim, other]) expect(existsSync(kept)).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(report.skipped.sort()).toEqual(
      [
        `${big}: bridge.pid is not a small regular file of this user`,
        `${device}: bridge.pid is not a small regular file of this user`,
        `${fifo}: bridge.pid is not a small regular file of this user`,
        `${join(runtime, 'lab-virt-qemu-file')}: not a directory of this user`,
        `${junk}: bridge.pid is not a small regular file of this user`,
        `${link}: not a directory of this user`,
      ].sort(),
    );
  });

  it('reports a missing runtime directory as nothing to do', () => {
    expect(sweepStaleGuestDirs(join(scratch, 'none'), uid)).toEqual({ removed: [], skipped: [] });
  });

  it('makes private directories the next sweep leaves alone while their bridge lives', async () => {
    const runtime = prepareRuntimeDir({}, scratch, uid).path;
    const dir = await makePrivateDir(runtime);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['bridge.pid']);
    aged(dir);
    expect(sweepStaleGuestDirs(runtime, uid).removed).toEqual([]);
  });
});
