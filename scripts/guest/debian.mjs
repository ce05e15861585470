// @ts-check
/**
 * Debian packages as build inputs: versions of installed (amd64) packages, and i386
 * packages fetched with apt's own client into the cache, without touching the system's
 * package lists or enabling i386 on the host.
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { run } from './exec.mjs';
import { DIRS } from './paths.mjs';

/**
 * Version of an installed Debian package; throws with the command that installs it.
 * (./course and CI install everything in scripts/apt/build.txt.)
 * @param {string} name
 */
export async function installedVersion(name) {
  try {
    const out = await run('dpkg-query', ['-W', '-f=${Status}\t${Version}\t${Architecture}', name]);
    const [status = '', version = '', arch = ''] = out.split('\t');
    if (status.endsWith(' installed') && version) return { name, version, arch };
  } catch {
    // Not known to dpkg: same message as not installed.
  }
  throw new Error(`Debian package ${name} is not installed: sudo apt-get install ${name}  (listed in scripts/apt/build.txt)`);
}

const I386_APT = path.join(DIRS.work, 'apt-i386');

/** apt options that make it see only the i386 archive, with lists and caches of its own. */
const i386Options = () => [
  '-oAPT::Architecture=i386',
  '-oAPT::Architectures=i386',
  `-oDir::State::Lists=${path.join(I386_APT, 'lists')}`,
  `-oDir::Cache=${path.join(I386_APT, 'cache')}`,
  '-oAPT::Sandbox::User=root', // apt's _apt user may not write to the cache folder
  '-qq',
];

/** Whether this run already read the index (the kernel fallback and busybox both need it). */
let indexRead = false;

/**
 * Reads Debian's i386 package index into the cache, once per run. One index (the i386
 * list of bookworm-security) sometimes fails with a size mismatch; apt then exits non-zero
 * but the others are usable, so failure is judged by whether a later download works.
 */
export async function updateI386Index() {
  if (indexRead) return;
  for (const dir of ['lists/partial', 'cache/archives/partial']) await mkdir(path.join(I386_APT, dir), { recursive: true });
  indexRead = true;
  await run('apt-get', [...i386Options(), 'update']).catch((/** @type {Error} */ error) => {
    process.stderr.write(
      `apt-get update (i386) reported a problem; continuing with the indexes that loaded:\n${error.message.split('\n').slice(-3).join('\n')}\n`,
    );
  });
}

/**
 * Downloads the current i386 .deb of `name` into `dir` and returns its path and version.
 * @param {string} name
 * @param {string} dir
 */
export async function downloadI386(name, dir) {
  await mkdir(dir, { recursive: true });
  await run('apt-get', [...i386Options(), 'download', name], { cwd: dir });
  const debs = (await readdir(dir)).filter((f) => f.startsWith(`${name}_`) && f.endsWith('_i386.deb')).sort();
  const deb = debs.at(-1);
  if (!deb) throw new Error(`apt-get download ${name} (i386) produced no .deb in ${dir}`);
  return { path: path.join(dir, deb), ...(await debFields(path.join(dir, deb))) };
}

/**
 * Package name, version and architecture recorded inside a .deb.
 * @param {string} deb
 */
export async function debFields(deb) {
  const out = await run('dpkg-deb', ['-f', deb, 'Package', 'Version', 'Architecture']);
  /** @type {Record<string, string>} */
  const fields = {};
  for (const line of out.split('\n')) {
    const m = /^(\w+): (.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) fields[m[1]] = m[2];
  }
  const { Package: name, Version: version, Architecture: arch } = fields;
  if (!name || !version || !arch) throw new Error(`cannot read the control fields of ${deb}`);
  return { name, version, arch };
}

/**
 * The package a Debian metapackage points to: the first name in its Depends field.
 * @example firstDependency('linux-image-6.1.0-41-686 (= 6.1.158-1), foo') // → 'linux-image-6.1.0-41-686'
 * @param {string} depends
 */
export function firstDependency(depends) {
  const name = /^\s*([a-z0-9][a-z0-9+.-]+)/.exec(depends)?.[1];
  if (!name) throw new Error(`no package name in Depends: ${JSON.stringify(depends)}`);
  return name;
}

/**
 * One control field of a .deb.
 * @param {string} deb
 * @param {string} field
 */
export async function debField(deb, field) {
  return (await run('dpkg-deb', ['-f', deb, field])).trim();
}
