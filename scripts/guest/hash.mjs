// @ts-check
/** Checksums of build inputs and outputs. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * sha256 (hex) and size of a file, streamed (the kernel source tarball is 140 MB).
 * @param {string} file
 * @returns {Promise<{ name: string, bytes: number, sha256: string }>}
 */
export async function fileDigest(file) {
  const hash = createHash('sha256');
  const stream = /** @type {AsyncIterable<Buffer>} */ (createReadStream(file));
  for await (const chunk of stream) hash.update(chunk);
  return { name: path.basename(file), bytes: (await stat(file)).size, sha256: hash.digest('hex') };
}

/**
 * sha256 (hex) of a string or bytes.
 * @param {string | Uint8Array} data
 */
export function digest(data) {
  return createHash('sha256').update(data).digest('hex');
}
