// @ts-check
/**
 * The guest kernel: Debian's `linux-source-6.1`, `make ARCH=i386 tinyconfig`, plus the
 * course's fragment (scripts/guest/kernel.config), built as an LZ4 bzImage with the
 * initramfs inside it (one file boots the guest in v86 and QEMU). The object tree stays in
 * the cache, so a changed fragment or initramfs rebuilds only what it touches.
 */
import { copyFile, mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { installedVersion } from './debian.mjs';
import { run } from './exec.mjs';
import { digest, fileDigest } from './hash.mjs';
import { buildStepTarget, configMismatches } from './kconfig.mjs';
import { DIRS, GUEST_SRC } from './paths.mjs';
import { createProgress } from './progress.mjs';
import { readStamp, runStep } from './stamp.mjs';

const PACKAGE = 'linux-source-6.1';
const TARBALL = `/usr/src/${PACKAGE}.tar.xz`;
const FRAGMENT = path.join(GUEST_SRC, 'kernel.config');
const SOURCE = path.join(DIRS.work, PACKAGE);
const OBJ = path.join(DIRS.work, 'kbuild');
export const BZIMAGE = path.join(DIRS.out, 'bzImage');
/** Build lines (CC, LD, AR…) of a full build, for the progress bar until a build has counted them. */
const FIRST_BUILD_LINES = 1225;

/**
 * The same bzImage from the same inputs: without these, `uname -v` (and so the image's
 * sha256 in the manifest) would carry the build's date, host and a per-tree build counter.
 * @param {string} sourceVersion
 */
const reproducibleEnv = (sourceVersion) => ({
  ...process.env,
  KBUILD_BUILD_USER: 'lab',
  KBUILD_BUILD_HOST: 'lab-virtualisasi',
  KBUILD_BUILD_VERSION: '1',
  KBUILD_BUILD_TIMESTAMP: `Debian linux-source-6.1 ${sourceVersion}`,
});

/**
 * @param {string[]} args
 * @param {{ onLine?: (line: string) => void, env?: NodeJS.ProcessEnv }} [options]
 */
const make = (args, options = {}) => run('make', [`O=${OBJ}`, 'ARCH=i386', ...args], { cwd: SOURCE, ...options });

/** Unpacks the source once per Debian version (a new version starts a clean object tree). */
async function unpackSource(/** @type {string} */ version) {
  const marker = path.join(SOURCE, '.lab-debian-version');
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === version) return;
  const progress = createProgress({ label: 'kernel: unpacking source' });
  await rm(SOURCE, { recursive: true, force: true });
  await rm(OBJ, { recursive: true, force: true });
  await mkdir(DIRS.work, { recursive: true });
  await run('tar', ['-xf', TARBALL, '-C', DIRS.work]);
  await writeFile(marker, version);
  progress.finish(`${PACKAGE} ${version}`);
}

/**
 * tinyconfig + the course's fragment, then checks that Kconfig kept every option of the
 * fragment. Like `make tinyconfig`, merge_config.sh -n resolves everything the fragments do
 * not name with allnoconfig: options that the fragment makes visible (IPv6 under INET,
 * input drivers, …) stay off instead of taking their usual defaults.
 */
async function configure(/** @type {string} */ initramfs) {
  await mkdir(OBJ, { recursive: true });
  // The initramfs path is this machine's, so it is a generated fragment, not a line of kernel.config.
  const embed = path.join(OBJ, 'lab-initramfs.config');
  await writeFile(embed, `CONFIG_INITRAMFS_SOURCE=${JSON.stringify(initramfs)}\nCONFIG_INITRAMFS_COMPRESSION_NONE=y\n`);
  // The three fragments `make tinyconfig` uses (tiny-base.config turns on EXPERT, without
  // which Kconfig forces options such as KALLSYMS and SLUB on).
  const fragments = ['kernel/configs/tiny-base.config', 'kernel/configs/tiny.config', 'arch/x86/configs/tiny.config'].map((f) =>
    path.join(SOURCE, f),
  );
  await run(path.join(SOURCE, 'scripts/kconfig/merge_config.sh'), ['-n', '-O', OBJ, ...fragments, FRAGMENT, embed], {
    cwd: SOURCE,
    env: { ...process.env, ARCH: 'i386' },
  });
  const wanted = (await readFile(FRAGMENT, 'utf8')) + (await readFile(embed, 'utf8'));
  const problems = configMismatches(wanted, await readFile(path.join(OBJ, '.config'), 'utf8'));
  if (problems.length > 0) {
    const list = problems.map((p) => `  ${p.option}: wanted ${p.wanted}, got ${p.got}`).join('\n');
    throw new Error(`scripts/guest/kernel.config asks for options Kconfig did not keep (a dependency is missing):\n${list}`);
  }
}

/**
 * @param {number | undefined} expectedLines build lines to expect (a bar); unknown for an
 *   incremental rebuild (a count)
 * @param {NodeJS.ProcessEnv} env
 */
async function compile(expectedLines, env) {
  const progress = createProgress({ label: 'kernel: compiling', total: expectedLines });
  let lines = 0;
  const started = Date.now();
  try {
    await make([`-j${availableParallelism()}`, 'bzImage'], {
      env,
      onLine: (line) => {
        const target = buildStepTarget(line);
        if (target) progress.set(++lines, target);
      },
    });
  } catch (error) {
    progress.abort();
    throw error;
  }
  const seconds = (Date.now() - started) / 1000;
  progress.finish(`bzImage done, ${lines} steps`);
  return { lines, seconds };
}

/**
 * A number an earlier run stored in its stamp, if any.
 * @param {Record<string, unknown> | undefined} info
 * @param {string} field
 */
const storedNumber = (info, field) => {
  const value = info?.[field];
  return typeof value === 'number' ? value : undefined;
};

/**
 * Builds (or keeps) out/bzImage.
 * @param {string} initramfs the cpio to build into the kernel (initramfs.mjs)
 */
export async function buildKernel(initramfs) {
  const source = await installedVersion(PACKAGE);
  const gcc = await installedVersion('gcc-12');
  const key = {
    source: source.version,
    gcc: gcc.version,
    fragment: digest(await readFile(FRAGMENT)),
    initramfs: digest(await readFile(initramfs)),
    recipe: digest(
      (await readFile(new URL(import.meta.url))).toString() +
        (await readFile(new URL('./kconfig.mjs', import.meta.url))).toString(),
    ),
  };
  const previous = (await readStamp('kernel'))?.info;
  return runStep({
    name: 'kernel',
    key,
    outputs: [BZIMAGE],
    run: async (why) => {
      process.stderr.write(`kernel: building (${why})\n`);
      await unpackSource(source.version);
      // The real path: the same cache reached through another checkout's symlink is the same input.
      await configure(await realpath(initramfs));
      const fromScratch = !existsSync(path.join(OBJ, 'vmlinux'));
      const { lines, seconds } = await compile(
        fromScratch ? (storedNumber(previous, 'fullBuildLines') ?? FIRST_BUILD_LINES) : undefined,
        reproducibleEnv(source.version),
      );
      const release = (await make(['-s', 'kernelrelease'])).trim();
      await mkdir(DIRS.out, { recursive: true });
      await copyFile(path.join(OBJ, 'arch/x86/boot/bzImage'), BZIMAGE);
      const tarball = await fileDigest(TARBALL);
      return {
        kernelRelease: release,
        sourcePackage: source,
        kernelInput: { ...tarball, from: `${PACKAGE} ${source.version}` },
        // Only a build from scratch measures what the course reports as "kernel build time";
        // an incremental rebuild keeps the earlier figure.
        fullBuildLines: fromScratch ? lines : storedNumber(previous, 'fullBuildLines'),
        fullBuildSeconds: fromScratch ? seconds : storedNumber(previous, 'fullBuildSeconds'),
        lastBuildSeconds: seconds,
      };
    },
  });
}
