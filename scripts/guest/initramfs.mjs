// @ts-check
/**
 * The guest's root filesystem: an uncompressed newc cpio with busybox, the course's tools,
 * /init, a few files in /etc and lesson 2's ISO image in /root. Uncompressed because HTTP compression (brotli) makes it
 * smaller on the wire than gzip would, and the kernel then needs no decompressor.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cpioNewc } from './cpio.mjs';
import { run } from './exec.mjs';
import { digest } from './hash.mjs';
import { DIRS, GUEST_SRC } from './paths.mjs';
import { runStep } from './stamp.mjs';
import { ISO_GUEST_PATH } from './iso.mjs';
import { TOOL_NAMES } from './tools.mjs';

/** Built into the bzImage (kernel.mjs); served on its own only beside Debian's fallback kernel. */
export const INITRAMFS = path.join(DIRS.work, 'initramfs.cpio');

/**
 * Applet paths (`/bin/ls`, `/sbin/ip`…) as busybox lists them. The i386 binary runs on an
 * x86_64 host through its 32-bit compatibility layer; without it, /init installs the
 * links at boot instead.
 * @param {string} busybox
 * @returns {Promise<string[]>}
 */
async function appletPaths(busybox) {
  try {
    const list = await run(busybox, ['--list-full']);
    // Paths come without the leading slash (`bin/ls`); `linuxrc` is for initrd-style boots.
    return list
      .split('\n')
      .map((l) => l.trim())
      .filter((p) => p && p !== 'bin/busybox' && p !== 'linuxrc');
  } catch (error) {
    process.stderr.write(
      `initramfs: cannot run the i386 busybox here (${String(error).split('\n')[0]}); /init will make the applet links at boot\n`,
    );
    return [];
  }
}

/**
 * @param {{ binary: string, deb: { sha256: string } }} busybox
 * @param {string} iso lesson 2's ISO 9660 image (iso.mjs), placed at ISO_GUEST_PATH
 */
export async function buildInitramfs(busybox, iso) {
  const files = {
    init: await readFile(path.join(GUEST_SRC, 'init.sh')),
    profile: await readFile(path.join(GUEST_SRC, 'profile')),
    busybox: await readFile(busybox.binary),
    iso: await readFile(iso),
  };
  /** @type {Record<string, Buffer>} */
  const tools = {};
  for (const name of TOOL_NAMES) tools[name] = await readFile(path.join(DIRS.tools, name));
  const key = {
    busyboxDeb: busybox.deb.sha256,
    init: digest(files.init),
    profile: digest(files.profile),
    iso: digest(files.iso),
    tools: Object.fromEntries(Object.entries(tools).map(([n, b]) => [n, digest(b)])),
    recipe: digest(
      (await readFile(new URL(import.meta.url))).toString() + (await readFile(new URL('./cpio.mjs', import.meta.url))).toString(),
    ),
  };
  return runStep({
    name: 'initramfs',
    key,
    outputs: [INITRAMFS],
    run: async () => {
      const applets = await appletPaths(busybox.binary);
      /** @type {import('./cpio.mjs').CpioEntry[]} */
      const entries = [
        ...['bin', 'sbin', 'usr/bin', 'usr/sbin', 'dev', 'proc', 'sys', 'tmp', 'run', 'mnt', 'root', 'etc', 'var'].map(
          (p) => /** @type {const} */ ({ path: p, type: 'dir', mode: p === 'tmp' ? 0o1777 : p === 'root' ? 0o700 : 0o755 }),
        ),
        // The kernel opens /dev/console for init's stdin/stdout before /init can mount devtmpfs.
        { path: 'dev/console', type: 'char', mode: 0o600, major: 5, minor: 1 },
        { path: 'init', type: 'file', mode: 0o755, data: files.init },
        { path: 'bin/busybox', type: 'file', mode: 0o755, data: files.busybox },
        ...applets.map((p) => /** @type {const} */ ({ path: p, type: 'symlink', target: '/bin/busybox' })),
        ...(applets.includes('bin/sh') ? [] : [/** @type {const} */ ({ path: 'bin/sh', type: 'symlink', target: 'busybox' })]),
        // Debian's busybox has `mke2fs` but not the `mkfs.ext2` name that tutorials use; -F
        // because busybox refuses a plain file (an image to loop-mount) without it.
        ...(applets.includes('sbin/mkfs.ext2')
          ? []
          : [
              /** @type {const} */ ({
                path: 'sbin/mkfs.ext2',
                type: 'file',
                mode: 0o755,
                data: '#!/bin/sh\nexec mke2fs -F "$@"\n',
              }),
            ]),
        ...TOOL_NAMES.map(
          (n) => /** @type {const} */ ({ path: `usr/bin/${n}`, type: 'file', mode: 0o755, data: tools[n] ?? new Uint8Array() }),
        ),
        { path: 'etc/profile', type: 'file', data: files.profile },
        // Lesson 2 attaches this file to a loop device and mounts it (see scripts/guest/iso/).
        { path: ISO_GUEST_PATH, type: 'file', mode: 0o644, data: files.iso },
        { path: 'etc/hostname', type: 'file', data: 'lab\n' },
        // `nobody` lets lessons show what an unprivileged user may not do (`su nobody -s /bin/sh`).
        { path: 'etc/passwd', type: 'file', data: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' },
        { path: 'etc/group', type: 'file', data: 'root:x:0:\nnogroup:x:65534:\n' },
      ];
      const archive = cpioNewc(entries);
      await mkdir(DIRS.work, { recursive: true });
      await writeFile(INITRAMFS, archive);
      process.stderr.write(`initramfs: ${entries.length} entries, ${(archive.length / 1024).toFixed(0)} KiB\n`);
      return { entries: entries.length, applets: applets.length };
    },
  });
}
