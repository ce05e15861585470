// @ts-check
/**
 * Generates the service worker with Google's workbox-build after the site (and the
 * Pagefind index) is built, so every page, asset and the search index are cached on
 * the first visit and the course works offline and from a school LAN server.
 * (@vite-pwa/astro would be the usual choice but does not accept Astro 7 yet.)
 */
import { fileURLToPath } from 'node:url';
import { generateSW } from 'workbox-build';

/** @returns {import('astro').AstroIntegration} */
export default function serviceWorker() {
  return {
    name: 'lab-virtualisasi:service-worker',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const { count, size, warnings } = await generateSW({
          globDirectory: fileURLToPath(dir),
          globPatterns: ['**/*.{html,css,js,mjs,svg,woff2,webmanifest,json,pf_meta,pf_fragment,pf_index,pagefind,wasm}'],
          globIgnores: ['sw.js', 'workbox-*.js'],
          swDest: fileURLToPath(new URL('sw.js', dir)),
          // Query strings (e.g. the search page's ?q=) must not defeat the cache.
          ignoreURLParametersMatching: [/./],
          directoryIndex: 'index.html',
          navigateFallback: '/404.html',
          navigateFallbackDenylist: [/^\/pagefind\//],
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
      },
    },
  };
}
