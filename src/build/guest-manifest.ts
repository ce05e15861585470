/**
 * The guest image's manifest as the site build reads it (Node only: Astro frontmatter of
 * the "about this machine" page). It reads the copy the site serves, public/guest/, which
 * `npm run guest:build` writes, and checks it twice: against the zod schema, and against
 * the files beside it (every output's size and sha256), so the page never shows checksums
 * of files other than the ones the site serves.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { guestManifestSchema, type GuestManifest } from '../schemas/guest-manifest';
import { GUEST_FILES, guestMachine, type GuestMachine } from '../guest/image';

/** Folder of the served image, relative to the project root (Astro builds from there). */
export const SERVED_GUEST_DIR = 'public/guest';

/**
 * Reads and checks `public/guest/manifest.json`; throws with the command that builds the
 * image when it is missing, and names the file when a checksum disagrees.
 */
export function readServedManifest(root: string = process.cwd()): GuestManifest {
  const dir = path.join(root, SERVED_GUEST_DIR);
  const file = path.join(dir, GUEST_FILES.manifest);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: build the guest image first with \`npm run guest:build\` (./course does it).`);
  }
  const manifest = guestManifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  for (const output of manifest.outputs) {
    const served = path.join(dir, output.name);
    if (!existsSync(served)) throw new Error(`${served} is listed in ${file} but missing: run \`npm run guest:build\`.`);
    const bytes = readFileSync(served);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (bytes.length !== output.bytes || sha256 !== output.sha256) {
      throw new Error(`${served} is not the file ${file} describes (sha256 ${sha256}): run \`npm run guest:build\`.`);
    }
  }
  return manifest;
}

const machines = new Map<string, GuestMachine>();

/**
 * The machine the served image was built for, for the Machine island's props (a saved state
 * restores only into that machine). Read once per build: every lesson with a PC asks.
 */
export function servedMachine(root: string = process.cwd()): GuestMachine {
  let machine = machines.get(root);
  if (!machine) {
    machine = guestMachine(readServedManifest(root).machine);
    machines.set(root, machine);
  }
  return machine;
}
