// @ts-check
/**
 * Where the guest image pipeline reads and writes. Everything it makes lives under
 * `.cache/guest/` (gitignored, kept between runs so steps can be skipped); the site's copy
 * goes to `public/guest/` (gitignored too), which Astro serves at `/guest/`.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const GUEST_SRC = path.join(REPO, 'scripts/guest');
export const CACHE = process.env['GUEST_CACHE_DIR'] ?? path.join(REPO, '.cache/guest');

export const DIRS = {
  /** Scratch: unpacked kernel source, the kernel's object tree, Debian package lists and .debs. */
  work: path.join(CACHE, 'work'),
  /** One JSON per step: the inputs it was last run with and what it measured. */
  stamps: path.join(CACHE, 'stamps'),
  /** The course's tools as host-runnable i386 binaries (the guest tier also runs them natively). */
  tools: path.join(CACHE, 'tools'),
  /** What the site serves at /guest/ (see src/guest/image.ts for the names). */
  out: path.join(CACHE, 'out'),
  /** The site's copy of `out`. */
  public: path.join(REPO, 'public/guest'),
};
