// @ts-check
/**
 * The ISO 9660 image lesson 2 mounts through a loop device (`/root/kursus.iso` in the
 * guest): the files in scripts/guest/iso/, written by Debian's xorriso (`-as mkisofs`,
 * Rock Ridge so names keep their case). Reproducible: the files are staged with one fixed
 * modification time and SOURCE_DATE_EPOCH fixes the volume's dates and ids, so the same
 * sources give the same bytes (and the initramfs and snapshot need not be rebuilt).
 */
import { copyFile, mkdir, readFile, readdir, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { installedVersion } from './debian.mjs';
import { run } from './exec.mjs';
import { digest } from './hash.mjs';
import { DIRS, GUEST_SRC } from './paths.mjs';
import { runStep } from './stamp.mjs';

export const ISO_SRC = path.join(GUEST_SRC, 'iso');
export const ISO = path.join(DIRS.work, 'iso', 'kursus.iso');
/** Where the image lies in the guest: root's home, the shell's starting folder. */
export const ISO_GUEST_PATH = 'root/kursus.iso';
/** The volume label (`blkid`-style tools and `/proc/mounts` do not show it; the ISO's header does). */
export const ISO_VOLUME_ID = 'LABVIRT';
/** 2026-01-01T00:00:00Z: every date in the image (shown by `ls -l /mnt`). */
export const ISO_EPOCH_SECONDS = 1_767_225_600;

/** The image's source files (plain files directly in scripts/guest/iso/), sorted. */
export async function isoSourceFiles() {
  const names = (await readdir(ISO_SRC, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  return names.sort().map((n) => path.join(ISO_SRC, n));
}

export async function buildIso() {
  const xorriso = await installedVersion('xorriso');
  const sources = await isoSourceFiles();
  /** @type {Record<string, string>} */
  const sourceDigests = {};
  for (const f of sources) sourceDigests[path.basename(f)] = digest(await readFile(f));
  const step = await runStep({
    name: 'iso',
    key: { xorriso: xorriso.version, sources: sourceDigests, recipe: digest(await readFile(new URL(import.meta.url))) },
    outputs: [ISO],
    run: async (why) => {
      process.stderr.write(`iso: writing kursus.iso with xorriso ${xorriso.version} (${why})\n`);
      const stage = path.join(DIRS.work, 'iso', 'stage');
      await rm(stage, { recursive: true, force: true });
      await mkdir(stage, { recursive: true });
      for (const file of sources) {
        const target = path.join(stage, path.basename(file));
        await copyFile(file, target);
        await utimes(target, ISO_EPOCH_SECONDS, ISO_EPOCH_SECONDS);
      }
      await utimes(stage, ISO_EPOCH_SECONDS, ISO_EPOCH_SECONDS);
      await rm(ISO, { force: true });
      // -r: Rock Ridge with owner root and read-only modes; -no-pad: no 300 KiB tail of zeros.
      await run('xorriso', ['-as', 'mkisofs', '-quiet', '-no-pad', '-r', '-V', ISO_VOLUME_ID, '-o', ISO, stage], {
        env: { ...process.env, SOURCE_DATE_EPOCH: String(ISO_EPOCH_SECONDS) },
      });
      return { files: sources.map((f) => path.basename(f)) };
    },
  });
  return { ...step, package: xorriso, sources };
}
