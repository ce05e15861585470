/**
 * The guest image's manifest as the site build reads it (Node only: Astro frontmatter of
 * the "about this machine" page). It reads the copy the site serves, public/guest/, which
 * `npm run guest:build` writes, and checks it twice: against the zod schema, and against
 * the files beside it (every output's size and sha256), so the page never shows checksums
 * of files other than the ones the site serves.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
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

/**
 * The files a first start from the snapshot downloads, relative to the project root, besides the
 * saved state: the emulator's code and wasm and the terminal (bundled as they are; the site's
 * chunks differ from these by a few hundred bytes of wrapping).
 */
export const FIRST_START_CODE = [
  'node_modules/v86/build/libv86.mjs',
  'node_modules/v86/build/v86.wasm',
  'node_modules/@xterm/xterm/lib/xterm.mjs',
  'node_modules/@xterm/addon-fit/lib/addon-fit.mjs',
] as const;

/**
 * Bytes the browser downloads the first time the learner presses Start: the code above and the
 * served state (its size from the checked manifest). After that the service worker serves them.
 */
export function firstStartBytes(root: string = process.cwd()): number {
  let bytes = firstStarts.get(root);
  if (bytes === undefined) {
    const state = readServedManifest(root).outputs.find((o) => o.name === GUEST_FILES.state);
    if (!state) throw new Error(`${GUEST_FILES.state} is not in the served manifest: run \`npm run guest:build\`.`);
    bytes = FIRST_START_CODE.reduce((sum, file) => sum + statSync(path.join(root, file)).size, state.bytes);
    firstStarts.set(root, bytes);
  }
  return bytes;
}

// Read once per build, like the machine: every lesson with a PC asks.
const firstStarts = new Map<string, number>();
