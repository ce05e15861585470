// @ts-check
/** The guest's BIOS: SeaBIOS from Debian's `seabios` package (no VGA BIOS: serial console only). */
import { copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { installedVersion } from './debian.mjs';
import { fileDigest } from './hash.mjs';
import { DIRS } from './paths.mjs';

const SYSTEM_BIOS = '/usr/share/seabios/bios.bin';
export const BIOS = path.join(DIRS.out, 'bios.bin');

/** Copies bios.bin unless the copy is already identical. */
export async function copyBios() {
  const pkg = await installedVersion('seabios');
  const source = await fileDigest(SYSTEM_BIOS);
  const copied = existsSync(BIOS) && (await fileDigest(BIOS)).sha256 === source.sha256;
  if (!copied) {
    await mkdir(DIRS.out, { recursive: true });
    await copyFile(SYSTEM_BIOS, BIOS);
  }
  process.stderr.write(`bios: ${copied ? 'up to date' : 'copied'} (seabios ${pkg.version})\n`);
  return { package: pkg, input: { ...source, from: `seabios ${pkg.version}` } };
}
