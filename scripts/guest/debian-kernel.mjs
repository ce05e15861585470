// @ts-check
/**
 * The fallback kernel: Debian's i386 `linux-image-686`, for a machine that cannot build
 * one (`npm run guest:build -- --kernel=debian`). It boots the same initramfs, but slower
 * (about 14–24 s in v86: a 5.7 MB XZ kernel with self-tests), and what it has as modules —
 * loop, ISO 9660, virtio — is missing, because the initramfs carries no modules.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { debField, debFields, downloadI386, firstDependency, updateI386Index } from './debian.mjs';
import { run } from './exec.mjs';
import { digest, fileDigest } from './hash.mjs';
import { BZIMAGE } from './kernel.mjs';
import { DIRS } from './paths.mjs';
import { runStep } from './stamp.mjs';

const DEB_DIR = path.join(DIRS.work, 'deb-kernel');
const UNPACKED = path.join(DIRS.work, 'kernel-deb');

/** The versioned kernel .deb in the cache (not the metapackage), if any. */
async function cachedDeb() {
  if (!existsSync(DEB_DIR)) return null;
  const debs = (await readdir(DEB_DIR)).filter((f) => /^linux-image-\d.*-686_.*_i386\.deb$/.test(f)).sort();
  const last = debs.at(-1);
  return last ? path.join(DEB_DIR, last) : null;
}

/** @param {{ refresh: boolean }} options */
export async function debianKernel({ refresh }) {
  let deb = await cachedDeb();
  if (!deb || refresh) {
    process.stderr.write("kernel (Debian fallback): reading Debian's i386 index and downloading linux-image-686…\n");
    await rm(DEB_DIR, { recursive: true, force: true });
    await updateI386Index();
    const meta = await downloadI386('linux-image-686', DEB_DIR);
    deb = (await downloadI386(firstDependency(await debField(meta.path, 'Depends')), DEB_DIR)).path;
  }
  const fields = await debFields(deb);
  const input = await fileDigest(deb);
  return runStep({
    name: 'kernel-debian',
    key: { deb: input.sha256, recipe: digest(await readFile(new URL(import.meta.url))) },
    outputs: [BZIMAGE],
    run: async () => {
      await rm(UNPACKED, { recursive: true, force: true });
      await run('dpkg-deb', ['-x', deb, UNPACKED]);
      const vmlinuz = (await readdir(path.join(UNPACKED, 'boot'))).find((f) => f.startsWith('vmlinuz-'));
      if (!vmlinuz) throw new Error(`${deb} has no boot/vmlinuz-*`);
      await mkdir(DIRS.out, { recursive: true });
      await copyFile(path.join(UNPACKED, 'boot', vmlinuz), BZIMAGE);
      return {
        kernelRelease: vmlinuz.slice('vmlinuz-'.length),
        sourcePackage: fields,
        kernelInput: { ...input, from: `${fields.name} ${fields.version} (i386)` },
        /** Nothing was compiled. */
        fullBuildSeconds: /** @type {number | undefined} */ (undefined),
      };
    },
  });
}
