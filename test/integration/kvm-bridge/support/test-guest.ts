/**
 * Which Linux guest the integration tier boots. The product's guest is the course's own i386 image
 * (`npm run guest:build` → .cache/guest/out/bzImage, initramfs inside) with src/kvm-bridge/machines/linux-guest.yaml. Until
 * it exists, a Debian kernel (BRIDGE_TEST_KERNEL, or the host's /boot/vmlinuz-*) with a busybox
 * initramfs written here stands in, through a lab definition in a temp dir: the same bridge code
 * runs either way. With neither, the QEMU boot tests are skipped with the reason.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { guestManifestSchema } from '../../../../src/schemas/guest-manifest.ts';
import { REPO } from './bridge-process.ts';

export interface TestGuest {
  /** Passed to the bridge as --machines-dir and --guest-dir. */
  machinesDir: string;
  guestDir: string;
  guest: string;
  variant: string;
  /** What is being booted, for test names and reports. */
  description: string;
}

export type TestGuestResult = { ok: true; guest: TestGuest } | { ok: false; reason: string };

const COURSE_OUT = join(REPO, '.cache/guest/out');

/** The course's own kernel, which carries its initramfs (Debian's fallback kernel does not: see scripts/guest/). */
function courseKernelBuilt(): boolean {
  const manifest = join(COURSE_OUT, 'manifest.json');
  if (!existsSync(join(COURSE_OUT, 'bzImage')) || !existsSync(manifest)) return false;
  const parsed = guestManifestSchema.safeParse(JSON.parse(readFileSync(manifest, 'utf8')));
  return parsed.success && !parsed.data.machine.separateInitrd;
}

export function findTestGuest(): TestGuestResult {
  // BRIDGE_TEST_GUEST=stand-in exercises the stand-in path even where the course guest exists.
  const courseWanted = process.env['BRIDGE_TEST_GUEST'] !== 'stand-in';
  if (courseWanted && courseKernelBuilt()) {
    return {
      ok: true,
      guest: {
        machinesDir: join(REPO, 'src/kvm-bridge/machines'),
        guestDir: COURSE_OUT,
        guest: 'linux-guest',
        variant: 'virtio',
        description: 'course guest (i386, machines/linux-guest)',
      },
    };
  }
  const kernel = debianKernel();
  if (!kernel) {
    return {
      ok: false,
      reason: 'no guest kernel: run `npm run guest:build`, or set BRIDGE_TEST_KERNEL to a Debian vmlinuz (none in /boot)',
    };
  }
  if (!existsSync('/usr/bin/busybox')) return { ok: false, reason: 'stand-in guest needs busybox-static (/usr/bin/busybox)' };
  // Under .cache/ (gitignored), rebuilt on every call: test files share it and nothing lands in /tmp.
  const dir = join(REPO, '.cache/bridge-test-guest');
  const guestDir = join(dir, 'images');
  const machinesDir = join(dir, 'machines');
  mkdirSync(guestDir, { recursive: true });
  mkdirSync(machinesDir, { recursive: true });
  // The permission test runs a bridge as `nobody`, which must read the images.
  for (const d of [join(REPO, '.cache'), dir, guestDir, machinesDir]) chmodSync(d, 0o755);
  writeAtomically(join(guestDir, 'vmlinuz'), readFileSync(kernel));
  writeAtomically(join(guestDir, 'initramfs.cpio'), busyboxInitramfs(readFileSync('/usr/bin/busybox')));
  writeAtomically(
    join(machinesDir, 'debian-test.yaml'),
    `id: debian-test
title: { id: Kernel Debian (uji), en: Debian kernel (test) }
guest:
  arch: x86_64
  machine: microvm
  memoryMiB: 128
  kernel: vmlinuz
  initramfs: initramfs.cpio
  prompt: '(?:^|[\\r\\n])\\S* [#$] (?:\\u001b\\[6n)?$'
  bootTimeoutSeconds: { tcg: 60, kvm: 20 }
  variants:
    virtio:
      title: { id: virtio, en: virtio }
      devices:
        - { kind: scratch-disk, bus: virtio, sizeMiB: 4 }
`,
  );
  return {
    ok: true,
    guest: {
      machinesDir,
      guestDir,
      guest: 'debian-test',
      variant: 'virtio',
      description: `stand-in guest (${kernel} + busybox)`,
    },
  };
}

/** Write then rename, so a bridge never reads a half-written image. */
function writeAtomically(file: string, data: Buffer | string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data, { mode: 0o644 });
  renameSync(temp, file);
}

function debianKernel(): string | null {
  const fromEnv = process.env['BRIDGE_TEST_KERNEL'];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  try {
    const name = readdirSync('/boot').find((f) => f.startsWith('vmlinuz-'));
    return name ? join('/boot', name) : null;
  } catch {
    return null;
  }
}

const INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
export PS1='\\w \\$ ' HOME=/
while true; do setsid cttyhack /bin/sh; done
`;

/** A newc cpio (the initramfs format) with busybox as /bin/busybox and the /init above. */
export function busyboxInitramfs(busybox: Buffer): Buffer {
  const entries: { name: string; mode: number; data: Buffer }[] = [
    { name: 'bin', mode: 0o040755, data: Buffer.alloc(0) },
    { name: 'proc', mode: 0o040755, data: Buffer.alloc(0) },
    { name: 'sys', mode: 0o040755, data: Buffer.alloc(0) },
    { name: 'dev', mode: 0o040755, data: Buffer.alloc(0) },
    { name: 'bin/busybox', mode: 0o100755, data: busybox },
    { name: 'init', mode: 0o100755, data: Buffer.from(INIT) },
  ];
  const parts: Buffer[] = [];
  const pad = (length: number): Buffer => Buffer.alloc((4 - (length % 4)) % 4);
  const push = (name: string, mode: number, data: Buffer, ino: number): void => {
    const fields = [ino, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, name.length + 1, 0];
    const header = `070701${fields.map((f) => f.toString(16).padStart(8, '0')).join('')}`;
    const head = Buffer.from(`${header}${name}\0`);
    parts.push(head, pad(head.length), data, pad(data.length));
  };
  entries.forEach((entry, index) => push(entry.name, entry.mode, entry.data, index + 1));
  push('TRAILER!!!', 0, Buffer.alloc(0), 0);
  return Buffer.concat(parts);
}
