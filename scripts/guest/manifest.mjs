// @ts-check
/**
 * The image's manifest (/guest/manifest.json): exact package versions and the sha256 of
 * every input and output. Shape and field docs: src/schemas/guest-manifest.ts.
 */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { guestManifestSchema } from '../../src/schemas/guest-manifest.ts';
import { fileDigest } from './hash.mjs';
import { DIRS, REPO } from './paths.mjs';

/**
 * Assembles and validates a manifest. Pure: the caller gathers the facts.
 * @param {{
 *   packages: import('../../src/schemas/guest-manifest.ts').GuestPackage[],
 *   inputs: import('../../src/schemas/guest-manifest.ts').GuestFileEntry[],
 *   outputs: import('../../src/schemas/guest-manifest.ts').GuestFileEntry[],
 *   machine: { memoryBytes: number, separateInitrd: boolean, cmdline: string, kernelRelease: string },
 *   measurements: { kernelBuildSeconds?: number | undefined, coldBootMs: number, stateRawBytes: number },
 *   builtAt: Date,
 * }} facts
 * @returns {import('../../src/schemas/guest-manifest.ts').GuestManifest}
 */
export function makeManifest(facts) {
  const byName = (/** @type {{ name: string }} */ a, /** @type {{ name: string }} */ b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  const { kernelBuildSeconds, ...measured } = facts.measurements;
  return guestManifestSchema.parse({
    schemaVersion: 2,
    builtAt: facts.builtAt.toISOString(),
    machine: facts.machine,
    packages: [...facts.packages].sort(byName),
    inputs: [...facts.inputs].sort(byName),
    outputs: [...facts.outputs].sort(byName),
    measurements: {
      ...measured,
      ...(kernelBuildSeconds === undefined ? {} : { kernelBuildSeconds: Math.round(kernelBuildSeconds) }),
    },
  });
}

/**
 * Checksums of files in the repository, named by their repository path.
 * @param {readonly string[]} files absolute paths inside the repository
 */
export async function repoInputs(files) {
  return Promise.all(
    files.map(async (file) => {
      const d = await fileDigest(file);
      const rel = path.relative(REPO, file);
      return { ...d, name: rel, from: 'this repository' };
    }),
  );
}

/**
 * Writes out/manifest.json for the given output files; `builtAt` is the newest output's
 * modification time, so rewriting an unchanged image gives the same manifest.
 * @param {Omit<Parameters<typeof makeManifest>[0], 'outputs' | 'builtAt'>} facts
 * @param {readonly string[]} outputFiles
 */
export async function writeManifest(facts, outputFiles) {
  const outputs = await Promise.all(outputFiles.map((f) => fileDigest(f)));
  const newest = Math.max(...(await Promise.all(outputFiles.map(async (f) => (await stat(f)).mtimeMs))));
  const manifest = makeManifest({ ...facts, outputs, builtAt: new Date(newest) });
  const file = path.join(DIRS.out, 'manifest.json');
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return { file, manifest };
}
