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
 * the machine also starts offline. Which `_astro/` files those are comes from the bundler's
 * own chunk graph (a Vite plugin's generateBundle, see pcChunks), not from Vite's file names.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSW } from 'workbox-build';

/** Runtime cache of the browser PC; the revision suffix changes when its files change. */
export const PC_CACHE_PREFIX = 'labvirt-machine-';

/** The island whose lazily loaded code belongs to the machine. */
const PC_ISLAND = fileURLToPath(new URL('../features/pc/BrowserPc.svelte', import.meta.url));

/**
 * One output file of the client build as the bundler describes it (Rolldown's OutputChunk,
 * Rollup's API): its path in the output folder and what it loads. Assets have no node of their own.
 * @typedef {object} ChunkNode
 * @property {string} fileName e.g. `_astro/BrowserPc.D4.js`
 * @property {boolean} isEntry an entry of the build (an island, a page script, a renderer)
 * @property {string | null} facadeModuleId the source module an entry chunk stands for
 * @property {string[]} imports chunks it imports statically
 * @property {string[]} dynamicImports chunks it imports with `import()`
 * @property {string[]} assets files it refers to by URL (`?url`, `new URL()`, its CSS)
 */

/**
 * The client build's chunk graph from the bundler's output (`generateBundle`).
 * @param {import('vite').Rolldown.OutputBundle} bundle
 * @returns {ChunkNode[]}
 */
export function chunkGraph(bundle) {
  /** @type {ChunkNode[]} */
  const nodes = [];
  const names = Object.keys(bundle);
  for (const chunk of Object.values(bundle)) {
    if (chunk.type === 'asset' && chunk.fileName.endsWith('.js')) {
      // A worker: Vite bundles it on its own and emits its files as assets, so the bundler
      // reports no edges. What it loads is named in its code, relative to itself.
      const code = typeof chunk.source === 'string' ? chunk.source : new TextDecoder().decode(chunk.source);
      nodes.push({
        fileName: chunk.fileName,
        isEntry: false,
        facadeModuleId: null,
        imports: [],
        dynamicImports: names.filter((n) => n !== chunk.fileName && code.includes(path.posix.basename(n))),
        assets: [],
      });
    }
    if (chunk.type !== 'chunk') continue;
    const meta = chunk.viteMetadata;
    nodes.push({
      fileName: chunk.fileName,
      isEntry: chunk.isEntry,
      facadeModuleId: chunk.facadeModuleId,
      imports: [...chunk.imports],
      dynamicImports: [...chunk.dynamicImports],
      assets: [...(meta?.importedAssets ?? []), ...(meta?.importedCss ?? [])],
    });
  }
  return nodes.sort((a, b) => a.fileName.localeCompare(b.fileName));
}

/**
 * The files the machine loads after the learner presses Start: what the PC island imports
 * dynamically, and everything those import or refer to, minus what pages load anyway as
 * they open (the entries and their static imports) and minus what any other precached file
 * imports statically (a precached chunk must never miss a static import offline). A chunk
 * another island also imports lazily (xterm.js, which the KVM lab's terminal loads too)
 * stays among them: the runtime route matches by URL, so whichever island loads it first
 * caches it. Paths are relative to the output folder.
 * @param {readonly ChunkNode[]} graph
 * @param {string} island the PC island's source module
 * @returns {{ island: string[], lazy: string[] }}
 */
export function pcChunks(graph, island = PC_ISLAND) {
  const byName = new Map(graph.map((n) => [n.fileName, n]));
  /** @param {string} name */
  const node = (name) => byName.get(name) ?? { imports: [], dynamicImports: [], assets: [] };
  /**
   * Files reachable from `roots`, following `follow` of each.
   * @param {Iterable<string>} roots
   * @param {(n: Pick<ChunkNode, 'imports' | 'dynamicImports' | 'assets'>) => string[]} follow
   */
  const closure = (roots, follow) => {
    /** @type {Set<string>} */
    const seen = new Set();
    const queue = [...roots];
    while (queue.length > 0) {
      const name = /** @type {string} */ (queue.pop());
      if (seen.has(name)) continue;
      seen.add(name);
      queue.push(...follow(node(name)));
    }
    return seen;
  };
  const islands = graph.filter((n) => n.isEntry && n.facadeModuleId === island);
  // What a page loads as it opens and hydrates its islands.
  const eager = closure(
    graph.filter((n) => n.isEntry).map((n) => n.fileName),
    (n) => [...n.imports, ...n.assets],
  );
  // What the machine loads on Start.
  const machine = closure(
    islands.flatMap((n) => n.dynamicImports),
    (n) => [...n.imports, ...n.dynamicImports, ...n.assets],
  );
  // Everything else is precached; so is whatever that imports statically or refers to, except a
  // machine file it only refers to (the KVM lab's comparison fetches v86's wasm by URL, on
  // demand: the runtime route caches it like xterm.js).
  const files = new Set(graph.flatMap((n) => [n.fileName, ...n.assets]));
  const precached = closure(
    [...files].filter((name) => !machine.has(name)),
    (n) => [...n.imports, ...n.assets.filter((name) => !machine.has(name))],
  );
  const lazy = [...machine].filter((name) => !eager.has(name) && !precached.has(name));
  return { island: islands.map((n) => n.fileName).sort(), lazy: lazy.sort() };
}

/**
 * A RegExp source matching the machine's files: anything under /guest/ and the lazy
 * files by exact path (query and hash allowed).
 * @example new RegExp(pcUrlPattern(['_astro/v86.AbC.wasm'])).test('http://lan/_astro/v86.AbC.wasm') // → true
 * @param {readonly string[]} lazy paths relative to the site root
 */
export function pcUrlPattern(lazy) {
  const escape = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const files = lazy.length > 0 ? `|${lazy.map(escape).join('|')}` : '';
  return `\\/(?:guest\\/[^?#]+${files})(?:[?#].*)?$`;
}

/**
 * A Vite plugin that hands the browser bundle's chunk graph to `onGraph` once the bundle is complete.
 * @param {(graph: ChunkNode[]) => void} onGraph
 * @returns {import('vite').Plugin}
 */
export function chunkGraphPlugin(onGraph) {
  return {
    name: 'lab-virtualisasi:chunk-graph',
    apply: 'build',
    // Only the browser's bundle: the server builds' chunks never reach the service worker.
    applyToEnvironment: (environment) => environment.name === 'client',
    generateBundle(_options, bundle) {
      onGraph(chunkGraph(bundle));
    },
  };
}

/** @returns {import('astro').AstroIntegration} */
export default function serviceWorker() {
  /** @type {ChunkNode[] | undefined} The client build's chunks. */
  let graph;
  return {
    name: 'lab-virtualisasi:service-worker',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        updateConfig({ vite: { plugins: [chunkGraphPlugin((g) => (graph = g))] } });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const distDir = fileURLToPath(dir);
        if (!graph) throw new Error('service worker: the client build reported no chunks');
        const { island, lazy } = pcChunks(graph);
        if (island.length > 0 && !lazy.some((n) => n.endsWith('.wasm'))) {
          // The emulator's wasm must be among them; if not, the bundler no longer reports how it is loaded.
          throw new Error(
            `service worker: found the PC island (${island.join(', ')}) but no .wasm among its lazy files (${lazy.join(', ')})`,
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
          globIgnores: ['sw.js', 'workbox-*.js', 'guest/**', 'unduh/**', ...lazy],
          swDest: path.join(distDir, 'sw.js'),
          // Query strings (e.g. the search page's ?q=) must not defeat the cache.
          ignoreURLParametersMatching: [/./],
          directoryIndex: 'index.html',
          navigateFallback: '/404.html',
          // Opening /guest/manifest.json, downloading an image file or the course archive (/unduh/,
          // ~2 MB, never precached) must reach the file, not the offline 404 page.
          navigateFallbackDenylist: [/^\/pagefind\//, /^\/guest\//, /^\/unduh\//],
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
            : 'browser PC: no PC island in the client build',
        );
      },
    },
  };
}
