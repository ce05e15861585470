// @ts-check
/**
 * busybox-static for i386 from Debian: the guest's shell and its ~400 commands in one
 * static binary. The .deb is kept in the cache; `--refresh` asks Debian for a newer one.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { debFields, downloadI386, updateI386Index } from './debian.mjs';
import { run } from './exec.mjs';
import { fileDigest } from './hash.mjs';
import { DIRS } from './paths.mjs';

const DEB_DIR = path.join(DIRS.work, 'deb');
const UNPACKED = path.join(DIRS.work, 'busybox');
export const BUSYBOX_BIN = path.join(UNPACKED, 'bin/busybox');

/**
 * @param {{ refresh: boolean }} options
 * @returns {Promise<{ binary: string, deb: { name: string, version: string, arch: string, bytes: number, sha256: string, file: string } }>}
 */
export async function getBusybox({ refresh }) {
  let deb = await newestDeb();
  if (!deb || refresh) {
    process.stderr.write("busybox: reading Debian's i386 index and downloading busybox-static…\n");
    await updateI386Index();
    const fresh = await downloadI386('busybox-static', DEB_DIR);
    for (const old of await readdir(DEB_DIR)) {
      if (old.startsWith('busybox-static_') && path.join(DEB_DIR, old) !== fresh.path) await rm(path.join(DEB_DIR, old));
    }
    deb = fresh.path;
  }
  const fields = await debFields(deb);
  if (fields.arch !== 'i386') throw new Error(`${deb} is for ${fields.arch}, not i386`);
  const marker = path.join(UNPACKED, '.lab-deb-version');
  if (!existsSync(BUSYBOX_BIN) || !existsSync(marker) || (await readFile(marker, 'utf8')) !== fields.version) {
    await rm(UNPACKED, { recursive: true, force: true });
    await run('dpkg-deb', ['-x', deb, UNPACKED]);
    await writeFile(marker, fields.version);
  }
  const { bytes, sha256, name: file } = await fileDigest(deb);
  return { binary: BUSYBOX_BIN, deb: { ...fields, bytes, sha256, file } };
}

/** The busybox-static .deb already in the cache, if any. */
async function newestDeb() {
  if (!existsSync(DEB_DIR)) return null;
  const debs = (await readdir(DEB_DIR)).filter((f) => /^busybox-static_.*_i386\.deb$/.test(f)).sort();
  const last = debs.at(-1);
  return last ? path.join(DEB_DIR, last) : null;
}
