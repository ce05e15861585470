// @ts-check
/**
 * Incremental steps. Each step names its inputs (package versions, checksums of the repo
 * files it reads, the checksum of its own module) as a key; it is skipped when the key
 * equals the one stored after its last successful run and its outputs are still the files
 * it wrote then (same sha256).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileDigest } from './hash.mjs';
import { DIRS } from './paths.mjs';

/**
 * A canonical JSON text of a key (object keys sorted), so key order never forces a rebuild.
 * @example canonicalKey({ b: 1, a: [2, { d: 3, c: 4 }] }) // → '{"a":[2,{"c":4,"d":3}],"b":1}'
 * @param {unknown} value
 * @returns {string}
 */
export function canonicalKey(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalKey(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Whether a step must run: when its stamp is missing or unreadable, its key changed, or an
 * output is missing or differs from what the step wrote (another step, or a person, put a
 * different file there). Returns the reason, or null when the step can be skipped.
 * @example staleReason(null, { v: 1 }, []) // → 'never built'
 * @example staleReason({ key: '{"v":1}' }, { v: 2 }, []) // → 'inputs changed'
 * @example staleReason({ key: '{"v":1}' }, { v: 1 }, [{ file: '/o/bzImage', sha256: null }]) // → 'missing bzImage'
 * @param {{ key?: unknown, outputs?: Record<string, string> } | null} stamp
 * @param {unknown} key
 * @param {readonly { file: string, sha256: string | null }[]} outputs sha256 null: missing
 * @returns {string | null}
 */
export function staleReason(stamp, key, outputs) {
  if (!stamp || typeof stamp.key !== 'string') return 'never built';
  if (stamp.key !== canonicalKey(key)) return 'inputs changed';
  const names = (/** @type {readonly { file: string }[]} */ list) => list.map((o) => path.basename(o.file)).join(', ');
  const missing = outputs.filter((o) => o.sha256 === null);
  if (missing.length > 0) return `missing ${names(missing)}`;
  const changed = outputs.filter((o) => stamp.outputs?.[path.basename(o.file)] !== o.sha256);
  if (changed.length > 0) return `${names(changed)} changed since this step wrote it`;
  return null;
}

/** @param {string} name */
const stampPath = (name) => path.join(DIRS.stamps, `${name}.json`);

/**
 * The stamp a step left after its last successful run, or null.
 * @param {string} name
 * @returns {Promise<{ key: string, info: Record<string, unknown>, outputs: Record<string, string> } | null>}
 */
export async function readStamp(name) {
  try {
    const parsed = /** @type {unknown} */ (JSON.parse(await readFile(stampPath(name), 'utf8')));
    if (parsed && typeof parsed === 'object' && 'key' in parsed && typeof parsed.key === 'string') {
      const info = 'info' in parsed && parsed.info && typeof parsed.info === 'object' ? parsed.info : {};
      const outputs = 'outputs' in parsed && parsed.outputs && typeof parsed.outputs === 'object' ? parsed.outputs : {};
      return {
        key: parsed.key,
        info: /** @type {Record<string, unknown>} */ (info),
        outputs: /** @type {Record<string, string>} */ (outputs),
      };
    }
  } catch {
    // Missing or damaged: the step runs again.
  }
  return null;
}

/**
 * Runs a step unless it is up to date. `run` returns facts worth keeping (versions,
 * timings), stored in the stamp and returned on later skipped runs too.
 * @template {Record<string, unknown>} Info
 * @param {{ name: string, key: unknown, outputs: readonly string[], run: (why: string) => Promise<Info> }} step
 * @returns {Promise<{ ran: boolean, info: Info }>}
 */
export async function runStep({ name, key, outputs, run }) {
  const stamp = await readStamp(name);
  const current = await Promise.all(
    outputs.map(async (file) => ({ file, sha256: existsSync(file) ? (await fileDigest(file)).sha256 : null })),
  );
  const why = staleReason(stamp, key, current);
  if (why === null && stamp) {
    process.stderr.write(`${name}: up to date\n`);
    // Same key means the same recipe wrote this info (every key includes the digest of
    // the step's own module), so its shape is the one `run` returns.
    return { ran: false, info: /** @type {Info} */ (stamp.info) };
  }
  const info = await run(why ?? 'never built');
  /** @type {Record<string, string>} */
  const written = {};
  for (const file of outputs) written[path.basename(file)] = (await fileDigest(file)).sha256;
  await mkdir(DIRS.stamps, { recursive: true });
  await writeFile(stampPath(name), `${JSON.stringify({ key: canonicalKey(key), outputs: written, info }, null, 2)}\n`);
  return { ran: true, info };
}
