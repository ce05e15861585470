/**
 * The course files as one archive the site serves (/unduh/lab-virtualisasi-<version>.tar.gz), so a
 * school PC can get the KVM bridge from the same place it got the site, even without GitHub.
 *
 * Contents: every file git tracks at HEAD (`git archive`: no node_modules, .cache or dist, no
 * uncommitted edits), under one folder, plus the built guest kernel as `guest/bzImage` when it
 * exists, so `npm run bridge -- --guest-dir guest` boots the guest without building a kernel.
 * Built once per commit and kernel into .cache/release/ (the page and the build hook both ask).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { join } from 'node:path';

/** Folder of the archive inside dist/ and in the URL. */
export const RELEASE_DIR = 'unduh';
/** Where the guest kernel sits inside the archive, relative to its top folder. */
export const ARCHIVE_GUEST_DIR = 'guest';

export interface ReleaseArchive {
  /** e.g. lab-virtualisasi-0.1.0.tar.gz */
  fileName: string;
  /** The archive's single top folder, e.g. lab-virtualisasi-0.1.0 */
  folder: string;
  /** Absolute path of the built file (in .cache/release/). */
  path: string;
  /** Site path, e.g. /unduh/lab-virtualisasi-0.1.0.tar.gz */
  urlPath: string;
  bytes: number;
  sha256: string;
  /** The guest kernel is inside (guest/bzImage). */
  withGuestKernel: boolean;
}

/** Why there is no archive: the site was built outside a git checkout (e.g. from the archive itself). */
export interface NoReleaseArchive {
  reason: string;
}

const cache = new Map<string, ReleaseArchive | NoReleaseArchive>();

/**
 * Builds (or reuses) the archive for the checkout at `root`.
 * @example buildReleaseArchive('/repo').urlPath // → '/unduh/lab-virtualisasi-0.1.0.tar.gz'
 */
export function buildReleaseArchive(root: string): ReleaseArchive | NoReleaseArchive {
  const known = cache.get(root);
  if (known) return known;
  const result = build(root);
  cache.set(root, result);
  return result;
}

export function hasArchive(result: ReleaseArchive | NoReleaseArchive): result is ReleaseArchive {
  return 'fileName' in result;
}

function build(root: string): ReleaseArchive | NoReleaseArchive {
  let commit: string;
  try {
    // The checkout must be `root` itself, not a repository some folder above it belongs to.
    if (realpathSync(git(root, ['rev-parse', '--show-toplevel']).trim()) !== realpathSync(root)) throw new Error('nested');
    commit = git(root, ['rev-parse', '--verify', 'HEAD^{commit}']).trim();
  } catch {
    return { reason: `${root} is not a git checkout with a commit, so there is no list of tracked files to archive` };
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const folder = `lab-virtualisasi-${version}`;
  const fileName = `${folder}.tar.gz`;
  const kernel = join(root, '.cache/guest/out/bzImage');
  const withGuestKernel = existsSync(kernel);
  const key = createHash('sha256')
    .update(commit)
    .update(withGuestKernel ? readFileSync(kernel) : '')
    .digest('hex')
    .slice(0, 16);
  const outDir = join(root, '.cache/release', key);
  const path = join(outDir, fileName);
  if (!existsSync(path)) {
    // One archive is kept: older commits' ones are dead weight (~4 MB each).
    rmSync(join(root, '.cache/release'), { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    // --add-file takes the last --prefix before it; the tree takes the last one of all.
    const extra = withGuestKernel ? [`--prefix=${folder}/${ARCHIVE_GUEST_DIR}/`, `--add-file=${kernel}`] : [];
    const bytes = execFileSync('git', ['archive', '--format=tar.gz', ...extra, `--prefix=${folder}/`, commit], {
      cwd: root,
      maxBuffer: 256 * 1024 * 1024,
    });
    writeFileSync(path, bytes);
  }
  const data = readFileSync(path);
  return {
    fileName,
    folder,
    path,
    urlPath: `/${RELEASE_DIR}/${fileName}`,
    bytes: statSync(path).size,
    sha256: createHash('sha256').update(data).digest('hex'),
    withGuestKernel,
  };
}

/** The archive of the checkout being built (`npm run build` runs in the project folder). */
export function siteReleaseArchive(): ReleaseArchive | NoReleaseArchive {
  return buildReleaseArchive(process.cwd());
}

/** Copies the archive into dist/unduh/ after the build; without git, says why the page offers only git clone. */
export default function releaseArchive(): AstroIntegration {
  return {
    name: 'lab-virtualisasi:release-archive',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const archive = siteReleaseArchive();
        if (!hasArchive(archive)) {
          logger.warn(`no course archive in /${RELEASE_DIR}/: ${archive.reason}; the KVM lab page offers git clone only`);
          return;
        }
        const target = join(fileURLToPath(dir), RELEASE_DIR);
        mkdirSync(target, { recursive: true });
        copyFileSync(archive.path, join(target, archive.fileName));
        const kernel = archive.withGuestKernel ? 'with the guest kernel' : 'WITHOUT the guest kernel (run npm run guest:build)';
        logger.info(`course archive ${archive.urlPath}: ${(archive.bytes / 1024).toFixed(0)} KiB, ${kernel}`);
        if (git(process.cwd(), ['status', '--porcelain', '--untracked-files=no']).trim() !== '')
          logger.warn('the course archive holds the last commit: uncommitted changes to tracked files are not in it');
      },
    },
  };
}

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}
