// @ts-check
/**
 * Puts the image where the site serves it: public/guest/ (gitignored), which Astro copies
 * to dist/guest/ on build and serves at /guest/ in dev. Copies, not symlinks: every static
 * server and Vite's dev server handle plain files alike, and the five files are ~5 MB.
 */
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileDigest } from './hash.mjs';
import { DIRS } from './paths.mjs';

/**
 * Mirrors `files` (absolute paths in out/) into public/guest/ and removes anything else there.
 * @param {readonly string[]} files
 */
export async function publish(files) {
  await mkdir(DIRS.public, { recursive: true });
  const names = new Set(files.map((f) => path.basename(f)));
  for (const stale of await readdir(DIRS.public)) {
    if (!names.has(stale)) await rm(path.join(DIRS.public, stale), { recursive: true, force: true });
  }
  let copied = 0;
  for (const file of files) {
    const target = path.join(DIRS.public, path.basename(file));
    if (existsSync(target) && (await fileDigest(target)).sha256 === (await fileDigest(file)).sha256) continue;
    await copyFile(file, target);
    copied += 1;
  }
  process.stderr.write(`publish: ${copied ? `${copied} file(s) copied` : 'up to date'} in public/guest/ (served at /guest/)\n`);
}
