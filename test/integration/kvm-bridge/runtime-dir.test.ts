/**
 * The stale-directory sweep against planted entries (issue 16): any local user can create
 * `lab-virt-qemu-*` entries in /tmp. A FIFO as `bridge.pid` hung the bridge at start, a directory it
 * could not delete made it exit (EACCES), symlinks were followed, and a `bridge.pid` pointing at a
 * device was read without bound. Guests' directories now live in a private per-user runtime
 * directory, and the sweep there trusts nothing it finds.
 */
import { execFileSync } from 'node:child_process';
import {
  chownSync,
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
import { describe, expect, it } from 'vitest';
import { preferredRuntimeDir } from '../../../src/kvm-bridge/runtime-dir.ts';
import { startBridgeProcess, TestClient } from './support/bridge-process.ts';

/** A pid no process has (above the kernel's pid_max). */
const DEAD_PID = '99999999';

function mkfifo(path: string): void {
  execFileSync('mkfifo', ['-m', '600', path]);
}

/** Sets a path's times an hour back: older than any directory a bridge is still setting up. */
function age(path: string): void {
  const hourAgo = new Date(Date.now() - 3600_000);
  utimesSync(path, hourAgo, hourAgo);
}

describe('planted entries', () => {
  it('in the shared temp directory neither hang, stop nor mislead the bridge: it does not look there', async () => {
    const tag = `planted-${process.pid}`;
    const victim = mkdtempSync(join(tmpdir(), 'bridge-victim-'));
    writeFileSync(join(victim, 'keep.txt'), 'precious');
    writeFileSync(join(victim, 'bridge.pid'), DEAD_PID);
    age(victim);
    const fifoDir = join(tmpdir(), `lab-virt-qemu-${tag}-fifo`);
    const deviceDir = join(tmpdir(), `lab-virt-qemu-${tag}-dev`);
    const link = join(tmpdir(), `lab-virt-qemu-${tag}-link`);
    const planted = [fifoDir, deviceDir, link];
    try {
      mkdirSync(fifoDir);
      mkfifo(join(fifoDir, 'bridge.pid'));
      mkdirSync(deviceDir);
      symlinkSync('/dev/zero', join(deviceDir, 'bridge.pid'));
      symlinkSync(victim, link);
      for (const path of [fifoDir, deviceDir]) age(path);

      // Before: the FIFO blocked the start for ever (no URL within 15 s), /dev/zero was read without end.
      const bridge = await startBridgeProcess();
      try {
        const client = await TestClient.connect(bridge);
        await client.close();
      } finally {
        expect(await bridge.stop()).toBe(0);
      }
      // All still there, untouched (lstat: the link itself).
      for (const path of planted) expect(() => lstatSync(path)).not.toThrow();
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readdirSync(victim).sort()).toEqual(['bridge.pid', 'keep.txt']);
      // Its own directory is private: this user's, mode 0700.
      const own = statSync(preferredRuntimeDir());
      expect(own.uid).toBe(process.getuid?.());
      expect(own.mode & 0o777).toBe(0o700);
    } finally {
      for (const path of [...planted, victim]) rmSync(path, { recursive: true, force: true });
    }
  }, 40_000);

  const root = process.getuid?.() === 0;
  it.skipIf(!root)(
    `in its own runtime directory, as another user: only its own stale directories go, the rest fails softly${root ? '' : ' (skipped: needs root to run the bridge as nobody)'}`,
    async () => {
      // The bridge runs as `nobody`; root (this test) plants what nobody could not delete.
      const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
      const xdg = mkdtempSync(join(tmpdir(), 'bridge-xdg-'));
      const runtime = join(xdg, 'lab-virt');
      const mine = (path: string): void => chownSync(path, nobody, -1);
      const privateDir = (name: string, pid: string | null): string => {
        const dir = join(runtime, `lab-virt-qemu-${name}`);
        mkdirSync(dir, { mode: 0o700 });
        if (pid !== null) {
          writeFileSync(join(dir, 'bridge.pid'), pid, { mode: 0o600 });
          mine(join(dir, 'bridge.pid'));
        }
        mine(dir);
        return dir;
      };
      const victim = mkdtempSync(join(tmpdir(), 'bridge-victim-'));
      try {
        for (const dir of [xdg, runtime]) {
          mkdirSync(dir, { recursive: true, mode: 0o700 });
          mine(dir);
        }
        const stale = privateDir('stale', DEAD_PID);
        writeFileSync(join(stale, 'console.sock'), '');
        mine(join(stale, 'console.sock'));
        const live = privateDir('live', String(process.pid));
        const fifo = privateDir('fifo', null);
        mkfifo(join(fifo, 'bridge.pid'));
        mine(join(fifo, 'bridge.pid'));
        const device = privateDir('dev', null);
        symlinkSync('/dev/zero', join(device, 'bridge.pid'));
        const big = privateDir('big', null);
        writeFileSync(join(big, 'bridge.pid'), `${DEAD_PID}${' '.repeat(1 << 20)}`);
        mine(join(big, 'bridge.pid'));
        // Root's directory inside a stale one: removing it fails with EACCES.
        const stuck = privateDir('stuck', DEAD_PID);
        mkdirSync(join(stuck, 'roots'), { mode: 0o755 });
        writeFileSync(join(stuck, 'roots', 'file'), 'x');
        // Another user's directory that looks stale.
        const foreign = join(runtime, 'lab-virt-qemu-foreign');
        mkdirSync(foreign, { mode: 0o755 });
        writeFileSync(join(foreign, 'bridge.pid'), DEAD_PID);
        writeFileSync(join(victim, 'keep.txt'), 'precious');
        writeFileSync(join(victim, 'bridge.pid'), DEAD_PID);
        mine(victim);
        const link = join(runtime, 'lab-virt-qemu-link');
        symlinkSync(victim, link);
        for (const dir of [stale, fifo, device, big, stuck, foreign, victim]) age(dir);

        const bridge = await startBridgeProcess(
          [],
          ['/usr/bin/setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'],
          {
            XDG_RUNTIME_DIR: xdg,
          },
        );
        try {
          expect(bridge.stderr()).toContain(`removed stale guest directory ${stale}\n`);
          expect(bridge.stderr()).toMatch(new RegExp(`left alone: ${stuck}: EACCES`));
          expect(existsSync(stale)).toBe(false);
          for (const kept of [live, fifo, device, big, stuck, foreign]) expect(existsSync(kept)).toBe(true);
          expect(lstatSync(link).isSymbolicLink()).toBe(true);
          expect(readdirSync(victim).sort()).toEqual(['bridge.pid', 'keep.txt']);
          // The bridge works there: a micro-run under QEMU makes its private directory in the runtime dir.
          const client = await TestClient.connect(bridge);
          client.send({ type: 'micro-run', accel: 'tcg', program: 'hello', repeats: 1, ref: 'm' });
          expect(await client.next((m) => 'ref' in m && m.ref === 'm', 30_000)).toMatchObject({ type: 'micro-run-result' });
          await client.close();
        } finally {
          expect(await bridge.stop()).toBe(0);
        }
        // Nothing new left behind.
        expect(readdirSync(runtime).sort()).toEqual([
          'lab-virt-qemu-big',
          'lab-virt-qemu-dev',
          'lab-virt-qemu-fifo',
          'lab-virt-qemu-foreign',
          'lab-virt-qemu-link',
          'lab-virt-qemu-live',
          'lab-virt-qemu-stuck',
        ]);
      } finally {
        rmSync(xdg, { recursive: true, force: true });
        rmSync(victim, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
