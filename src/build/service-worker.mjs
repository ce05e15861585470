// @ts-check
/**
 * Generates the service worker with Google's workbox-build after the site (and the
 * Pagefind index) is built, so every page, asset and the search index are cached on
 * the first visit and the course works offline and from a school LAN server.
 * (@vite-pwa/astro would be the usual choice but does not accept Astro 7 yet.)
 *
 * The browser PC is the exception: its emulator (v86's wasm and JS), its terminal
 * (xterm.js) and the guest image (/guest/, ~7 MB) are not precached, so reading a lesson
 * costs nothing extra. They are cached at run time, the first time the learner starts the
 * machine (CacheFirst in one cache named `labvirt-machine-<revision>`), so after one start
 * the machine also starts offline. Which `_astro/` files those are is read from the build
 * itself (pcChunks below), not guessed from Vite's file names.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSW } from 'workbox-build';

/** Runtime cache of the browser PC; the revision suffix changes when its files change. */
export const PC_CACHE_PREFIX = 'labvirt-machine-';

/** The island whose lazily loaded code belongs to the machine (src/features/pc/BrowserPc.svelte). */
const PC_ISLAND = 'BrowserPc';

/**
 * Every HTML file under `dir`.
 * @param {string} dir
 * @returns {string[]}
 */
function htmlFiles(dir) {
  /** @type {string[]} */
  const out = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) out.push(...htmlFiles(file));
    else if (name.endsWith('.html')) out.push(file);
  }
  return out;
}

/**
 * `_astro/` files a chunk refers to: static imports (`from"./x.js"`, `import"./x.js"`),
 * dynamic imports (`import("./x.js")`, quotes or backticks) and other assets named in it
 * (the v86 wasm is referenced by file name). Only names that exist in `_astro/` count.
 * @param {string} code
 * @param {Set<string>} existing
 * @returns {{ static: string[], dynamic: string[], assets: string[] }}
 */
export function chunkReferences(code, existing) {
  const known = (/** @type {string} */ name) => existing.has(name);
  const names = (/** @type {RegExp} */ re) => [...code.matchAll(re)].map((m) => m[1] ?? '').filter(known);
  const dynamic = names(/\bimport\(\s*[`'"]\.\/([\w.-]+\.m?js)[`'"]\s*\)/g);
  const all = names(/[`'"](?:\.\/|\/_astro\/)?([\w.-]+\.(?:m?js|wasm|css))[`'"]/g);
  const staticImports = names(/(?:\bfrom\s*|\bimport\s*)[`'"]\.\/([\w.-]+\.m?js)[`'"]/g);
  return {
    static: staticImports,
    dynamic,
    assets: all.filter((n) => !n.endsWith('.js') && !n.endsWith('.mjs')),
  };
}

/**
 * The `_astro/` files the machine loads after the learner presses Start: what the Machine
 * island imports dynamically, and everything those import or name, minus what pages load
 * anyway as they open (files named in any HTML and their static imports) and minus what
 * any other precached file imports statically (a precached chunk must never miss a static
 * import offline). A chunk another island also imports lazily (xterm.js, which the KVM
 * lab's terminal loads too) stays among them: the runtime route matches by URL, so
 * whichever island loads it first caches it.
 * @param {string} distDir
 * @returns {{ island: string[], lazy: string[] }}
 */
export function pcChunks(distDir) {
  const astroDir = path.join(distDir, '_astro');
  const existing = new Set(readdirSync(astroDir));
  /** @type {Set<string>} */
  const islands = new Set();
  /** @type {Set<string>} */
  const inHtml = new Set();
  for (const file of htmlFiles(distDir)) {
    const html = readFileSync(file, 'utf8');
    for (const m of html.matchAll(/\/_astro\/([\w.-]+)/g)) if (m[1] && existing.has(m[1])) inHtml.add(m[1]);
    for (const m of html.matchAll(/<astro-island\b[^>]*>/g)) {
      const url = /component-url="\/_astro\/([\w.-]+)"/.exec(m[0])?.[1];
      const name = /opts="[^"]*&quot;name&quot;:&quot;([\w-]+)&quot;/.exec(m[0])?.[1];
      if (url && name === PC_ISLAND) islands.add(url);
    }
  }
  /** @type {Map<string, ReturnType<typeof chunkReferences>>} */
  const memo = new Map();
  const refs = (/** @type {string} */ name) => {
    let r = memo.get(name);
    if (!r) {
      r = /\.m?js$/.test(name)
        ? chunkReferences(readFileSync(path.join(astroDir, name), 'utf8'), existing)
        : { static: [], dynamic: [], assets: [] };
      memo.set(name, r);
    }
    return r;
  };
  /**
   * Files reachable from `roots`, following `follow` of each.
   * @param {Iterable<string>} roots
   * @param {(r: ReturnType<typeof chunkReferences>) => string[]} follow
   */
  const closure = (roots, follow) => {
    /** @type {Set<string>} */
    const seen = new Set();
    const queue = [...roots];
    while (queue.length > 0) {
      const name = /** @type {string} */ (queue.pop());
      if (seen.has(name)) continue;
      seen.add(name);
      queue.push(...follow(refs(name)));
    }
    return seen;
  };
  // What a page loads as it opens and hydrates its islands.
  const eager = closure(inHtml, (r) => [...r.static, ...r.assets]);
  const everything = (/** @type {ReturnType<typeof chunkReferences>} */ r) => [...r.static, ...r.dynamic, ...r.assets];
  // What the machine loads on Start.
  const machine = closure(
    [...islands].flatMap((name) => refs(name).dynamic),
    everything,
  );
  // Everything else is precached; so is whatever that imports statically or names, except a
  // machine file it only names (the KVM lab's comparison fetches v86's wasm by URL, on demand:
  // the runtime route caches it like xterm.js).
  const precached = closure(
    [...existing].filter((name) => !machine.has(name)),
    (r) => [...r.static, ...r.assets.filter((name) => !machine.has(name))],
  );
  const lazy = [...machine].filter((name) => !eager.has(name) && !precached.has(name));
  return { island: [...islands].sort(), lazy: lazy.sort() };
}

/**
 * A RegExp source matching the machine's files: anything under /guest/ and the lazy
 * `_astro/` files by exact name (query and hash allowed).
 * @example new RegExp(pcUrlPattern(['v86.AbC.wasm'])).test('http://lan/_astro/v86.AbC.wasm') // → true
 * @param {readonly string[]} lazy
 */
export function pcUrlPattern(lazy) {
  const escape = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const astro = lazy.length > 0 ? `|_astro\\/(?:${lazy.map(escape).join('|')})` : '';
  return `\\/(?:guest\\/[^?#]+${astro})(?:[?#].*)?$`;
}

/** @returns {import('astro').AstroIntegration} */
export default function serviceWorker() {
  return {
    name: 'lab-virtualisasi:service-worker',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const distDir = fileURLToPath(dir);
        const { island, lazy } = pcChunks(distDir);
        if (island.length > 0 && !lazy.some((n) => n.endsWith('.wasm'))) {
          // The emulator's wasm must be among them; if not, the analysis missed how it is loaded.
          throw new Error(
            `service worker: found the ${PC_ISLAND} island (${island.join(', ')}) but no .wasm among its lazy files (${lazy.join(', ')})`,
          );
        }
        // The revision names the cache: new emulator chunks or a new guest image get a fresh cache.
        const guestManifest = path.join(distDir, 'guest', 'manifest.json');
        const revision = createHash('sha256')
          .update(lazy.join('\n'))
          .update(existsSync(guestManifest) ? readFileSync(guestManifest) : '')
          .digest('hex')
          .slice(0, 12);
        const cacheName = `${PC_CACHE_PREFIX}${revision}`;

        const { count, size, warnings } = await generateSW({
          globDirectory: distDir,
          globPatterns: ['**/*.{html,css,js,mjs,svg,woff2,webmanifest,json,pf_meta,pf_fragment,pf_index,pagefind,wasm}'],
          globIgnores: ['sw.js', 'workbox-*.js', 'guest/**', ...lazy.map((n) => `_astro/${n}`)],
          swDest: path.join(distDir, 'sw.js'),
          // Query strings (e.g. the search page's ?q=) must not defeat the cache.
          ignoreURLParametersMatching: [/./],
          directoryIndex: 'index.html',
          navigateFallback: '/404.html',
          // Opening /guest/manifest.json or downloading an image file must reach the file.
          navigateFallbackDenylist: [/^\/pagefind\//, /^\/guest\//],
          runtimeCaching: [
            {
              urlPattern: new RegExp(pcUrlPattern(lazy)),
              handler: 'CacheFirst',
              options: {
                cacheName,
                cacheableResponse: { statuses: [200] },
                plugins: [
                  {
                    // Once the new revision holds a file, the older machine caches are dead weight (~10 MB each).
                    // (Serialised into sw.js on its own: it cannot use PC_CACHE_PREFIX, hence the literal.)
                    cacheDidUpdate: async ({ cacheName: current }) => {
                      for (const name of await caches.keys()) {
                        if (name.startsWith('labvirt-machine-') && name !== current) await caches.delete(name);
                      }
                    },
                  },
                ],
              },
            },
          ],
          cleanupOutdatedCaches: true,
          clientsClaim: true,
          skipWaiting: true,
          inlineWorkboxRuntime: true,
          sourcemap: false,
          mode: 'production',
          maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        });
        for (const warning of warnings) logger.warn(warning);
        logger.info(`service worker precaches ${count} files (${(size / 1024).toFixed(0)} KiB)`);
        logger.info(
          island.length > 0
            ? `browser PC: ${lazy.length} files cached on first start in ${cacheName}: ${lazy.join(', ')} and /guest/*`
            : 'browser PC: no Machine island on any page',
        );
      },
    },
  };
}
