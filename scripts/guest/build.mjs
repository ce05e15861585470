#!/usr/bin/env node
// @ts-check
/**
 * `npm run guest:build` — builds the course's guest image into .cache/guest/out/ and
 * copies it to public/guest/ (served at /guest/). Every step is skipped when its outputs
 * exist and its inputs (package versions, the repo files it reads) are unchanged, so
 * running it again costs a second or two.
 *
 *   npm run guest:build               build what is missing or stale
 *   npm run guest:build -- --refresh  also ask Debian for a newer i386 busybox-static
 *   npm run guest:build -- --kernel=debian   Debian's i386 kernel instead of building one
 *                                      (fallback only: slower boot, no loop/ISO 9660/virtio)
 *
 * Steps: bios (SeaBIOS) → tools (C, i386) → busybox (i386 .deb) → iso (xorriso, lesson 2's
 * image) → initramfs (cpio) → kernel (linux-source-6.1 with the initramfs inside, minutes) →
 * snapshot (boot in v86, save state, zstd) → manifest → publish.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GUEST_CMDLINE, GUEST_MACHINES } from '../../src/guest/image.ts';
import { BIOS, copyBios } from './bios.mjs';
import { getBusybox } from './busybox.mjs';
import { installedVersion } from './debian.mjs';
import { debianKernel } from './debian-kernel.mjs';
import { fileDigest } from './hash.mjs';
import { INITRAMFS, buildInitramfs } from './initramfs.mjs';
import { ISO, buildIso } from './iso.mjs';
import { BZIMAGE, buildKernel } from './kernel.mjs';
import { repoInputs, writeManifest } from './manifest.mjs';
import { GUEST_SRC } from './paths.mjs';
import { formatElapsed } from './progress.mjs';
import { publish } from './publish.mjs';
import { STATE, buildSnapshot, v86Version } from './snapshot.mjs';
import { buildTools } from './tools.mjs';

const { values: flags } = parseArgs({
  options: {
    refresh: { type: 'boolean', default: false },
    kernel: { type: 'string', default: 'source' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help || (flags.kernel !== 'source' && flags.kernel !== 'debian')) {
  process.stdout.write('usage: npm run guest:build [-- --refresh] [-- --kernel=source|debian]\n');
  process.exit(flags.help ? 0 : 2);
}

/**
 * A Debian package as the manifest lists it.
 * @param {{ name: string, version: string, arch: string }} pkg
 * @param {string} role
 * @returns {import('../../src/schemas/guest-manifest.ts').GuestPackage}
 */
const debianPackage = ({ name, version, arch }, role) => ({ registry: 'debian', name, version, arch, role });

const started = Date.now();
try {
  const bios = await copyBios();
  const tools = await buildTools();
  const busybox = await getBusybox({ refresh: flags.refresh ?? false });
  const iso = await buildIso();
  const initramfs = await buildInitramfs(busybox, ISO);
  // Debian's kernel cannot carry our initramfs, so that machine loads it as a separate initrd.
  const fallback = flags.kernel === 'debian';
  const kernel = fallback ? await debianKernel({ refresh: flags.refresh ?? false }) : await buildKernel(INITRAMFS);
  const machine = fallback ? GUEST_MACHINES.separate : GUEST_MACHINES.embedded;
  const snapshot = await buildSnapshot({ bios: BIOS, kernel: BZIMAGE, ...(fallback ? { initrd: INITRAMFS } : {}) }, machine);

  const k = kernel.info;
  const s = snapshot.info;
  const outputs = [BIOS, BZIMAGE, ...(fallback ? [INITRAMFS] : []), STATE];
  const src = (/** @type {string} */ f) => path.join(GUEST_SRC, f);
  const { manifest } = await writeManifest(
    {
      machine: { ...machine, cmdline: GUEST_CMDLINE, kernelRelease: k.kernelRelease },
      packages: [
        debianPackage(k.sourcePackage, flags.kernel === 'debian' ? 'kernel (Debian binary, fallback)' : 'kernel source'),
        debianPackage(bios.package, 'BIOS (bios.bin)'),
        debianPackage(busybox.deb, 'shell and commands (busybox, i386)'),
        debianPackage(
          await installedVersion('gcc-12'),
          flags.kernel === 'debian' ? 'compiler (tools)' : 'compiler (kernel and tools)',
        ),
        debianPackage(await installedVersion('zstd'), 'compresses the saved state'),
        debianPackage(iso.package, 'writes the ISO 9660 image of lesson 2 (/root/kursus.iso)'),
        { registry: 'npm', name: 'v86', version: v86Version(), role: 'emulator (boots the guest to save its state)' },
      ],
      inputs: [
        k.kernelInput,
        bios.input,
        {
          name: busybox.deb.file,
          bytes: busybox.deb.bytes,
          sha256: busybox.deb.sha256,
          from: `busybox-static ${busybox.deb.version} (i386)`,
        },
        ...(await repoInputs(
          [
            ...(flags.kernel === 'source' ? ['kernel.config'] : []),
            'init.sh',
            'profile',
            'tools/rt.h',
            'tools/cpuid-info.c',
            'tools/vbench.c',
          ].map(src),
        )),
        ...(await repoInputs(iso.sources)),
        // Intermediate files (kursus.iso goes into initramfs.cpio as /root/kursus.iso, and that into
        // the bzImage), listed so they can be checked too.
        ...(fallback ? [] : [{ ...(await fileDigest(INITRAMFS)), name: 'initramfs.cpio', from: 'scripts/guest/initramfs.mjs (inside bzImage)' }]),
        { ...(await fileDigest(ISO)), name: 'kursus.iso', from: `xorriso ${iso.package.version} ← scripts/guest/iso/` },
      ],
      measurements: {
        kernelBuildSeconds: k.fullBuildSeconds,
        coldBootMs: s.coldBootMs,
        stateRawBytes: s.stateRawBytes,
      },
    },
    outputs,
  );
  await publish([...outputs, path.join(path.dirname(STATE), 'manifest.json')]);

  const ran = [kernel, tools, iso, initramfs, snapshot].some((step) => step.ran);
  process.stderr.write(
    `\nguest image ${ran ? 'built' : 'up to date'} in ${formatElapsed(Date.now() - started)} — Linux ${manifest.machine.kernelRelease}\n`,
  );
  for (const file of outputs)
    process.stderr.write(`  ${path.basename(file).padEnd(16)} ${((await stat(file)).size / 1024).toFixed(0).padStart(6)} KiB\n`);
} catch (error) {
  process.stderr.write(`\nguest:build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
