// Which built files the service worker leaves to the browser PC's runtime cache
// (src/build/service-worker.mjs): the chunk graph as the bundler reports it, on a small
// project built here with Vite, and the choice made from such a graph.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkGraphPlugin, pcChunks, pcUrlPattern, type ChunkNode } from '../../../src/build/service-worker.mjs';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A chunk of the graph; `_astro/` is added to every name. */
const chunk = (
  name: string,
  edges: { entry?: string; imports?: string[]; dynamic?: string[]; assets?: string[] } = {},
): ChunkNode => ({
  fileName: `_astro/${name}`,
  isEntry: edges.entry !== undefined,
  facadeModuleId: edges.entry ?? null,
  imports: (edges.imports ?? []).map((n) => `_astro/${n}`),
  dynamicImports: (edges.dynamic ?? []).map((n) => `_astro/${n}`),
  assets: (edges.assets ?? []).map((n) => `_astro/${n}`),
});

const PC = '/site/src/features/pc/BrowserPc.svelte';

/** A site like ours: the PC island, another island that loads xterm too, and the KVM lab's comparison. */
const graph: ChunkNode[] = [
  chunk('client.svelte.A1.js', { entry: '/site/node_modules/@astrojs/svelte/client.js', imports: ['client.B2.js'] }),
  chunk('client.B2.js'),
  chunk('preload.C3.js'),
  // The machine island: static imports load with it, dynamic ones on Start.
  chunk('BrowserPc.D4.js', {
    entry: PC,
    imports: ['client.B2.js', 'preload.C3.js', 'version.E5.js'],
    dynamic: ['xterm.F6.js', 'addon-fit.G7.js', 'v86.H8.js'],
  }),
  chunk('version.E5.js'),
  chunk('xterm.F6.js'),
  chunk('addon-fit.G7.js'),
  chunk('v86.H8.js', { imports: ['preload.C3.js', 'backend.I9.js'], dynamic: ['libv86.K1.js'], assets: ['v86.J0.wasm'] }),
  chunk('libv86.K1.js', { dynamic: ['external.L2.js'] }),
  chunk('external.L2.js', { imports: ['libv86.K1.js'] }),
  chunk('backend.I9.js'),
  // Another island that lazily loads xterm too, and a chunk that needs backend statically.
  chunk('Other.M3.js', { entry: '/site/src/Other.svelte', dynamic: ['Connected.N4.js', 'xterm.F6.js'], assets: ['Base.O5.css'] }),
  chunk('Connected.N4.js', { imports: ['backend.I9.js'] }),
  // The KVM lab's comparison: fetches v86's wasm by URL and loads libv86, both on demand.
  chunk('KvmLab.Q7.js', { entry: '/site/src/KvmLab.svelte', dynamic: ['micro-v86-browser.R8.js'] }),
  chunk('micro-v86-browser.R8.js', { dynamic: ['libv86.K1.js'], assets: ['v86.J0.wasm'] }),
];

describe('the browser PC in the service worker', () => {
  it('leaves to run time exactly what the machine loads on Start and no precached file needs', () => {
    expect(pcChunks(graph, PC)).toEqual({
      island: ['_astro/BrowserPc.D4.js'],
      // backend is statically needed by Connected (precached), so it stays precached;
      // xterm is loaded lazily by both islands, so the runtime route serves both; the wasm and
      // libv86 stay lazy though the comparison refers to and loads them too.
      lazy: [
        '_astro/addon-fit.G7.js',
        '_astro/external.L2.js',
        '_astro/libv86.K1.js',
        '_astro/v86.H8.js',
        '_astro/v86.J0.wasm',
        '_astro/xterm.F6.js',
      ].sort(),
    });
  });

  it('leaves nothing to run time without the PC island', () => {
    expect(pcChunks(graph, '/site/src/Elsewhere.svelte')).toEqual({ island: [], lazy: [] });
  });

  it('reads imports, dynamic imports and referenced assets from the bundler', async () => {
    const root = mkdtempSync(join(tmpdir(), 'labvirt-sw-'));
    dirs.push(root);
    // An app build drops entry exports: the island uses what it loads.
    writeFileSync(
      join(root, 'island.js'),
      'import { a } from "./shared.js";\nglobalThis.onclick = () => import("./lazy.js").then((m) => console.log(a, m.default));\n',
    );
    writeFileSync(join(root, 'shared.js'), 'export const a = 1;\n');
    writeFileSync(
      join(root, 'lazy.js'),
      'import { a } from "./shared.js";\nimport wasm from "./emu.wasm?url";\nexport default [a, wasm];\n',
    );
    // Larger than Vite's inline limit, so it is emitted as a file like v86's wasm.
    writeFileSync(join(root, 'emu.wasm'), Buffer.alloc(8192, 1));
    let seen: ChunkNode[] = [];
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [chunkGraphPlugin((g) => (seen = g))],
      build: {
        write: false,
        assetsDir: '_astro',
        rolldownOptions: { input: { island: join(root, 'island.js') } },
      },
    });
    const island = seen.find((n) => n.facadeModuleId === join(root, 'island.js'));
    const lazy = seen.find((n) => island?.dynamicImports.includes(n.fileName));
    expect(island?.isEntry).toBe(true);
    expect(lazy?.assets).toEqual([expect.stringMatching(/^_astro\/emu[\w.-]+\.wasm$/)]);
    expect(pcChunks(seen, join(root, 'island.js')).lazy).toEqual([lazy?.fileName, ...(lazy?.assets ?? [])].sort());
  });

  it('follows a module worker to the chunks it loads', async () => {
    const root = mkdtempSync(join(tmpdir(), 'labvirt-sw-'));
    dirs.push(root);
    writeFileSync(join(root, 'island.js'), 'globalThis.onclick = () => import("./lazy.js").then((m) => m.default());\n');
    writeFileSync(
      join(root, 'lazy.js'),
      'export default () => new Worker(new URL("./emu.worker.js", import.meta.url), { type: "module" });\n',
    );
    writeFileSync(join(root, 'emu.worker.js'), 'onmessage = () => import("./engine.js").then((m) => postMessage(m.run()));\n');
    writeFileSync(join(root, 'engine.js'), `export const run = () => ${JSON.stringify('x'.repeat(5000))};\n`);
    let seen: ChunkNode[] = [];
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [chunkGraphPlugin((g) => (seen = g))],
      worker: { format: 'es' },
      build: {
        write: false,
        assetsDir: '_astro',
        rolldownOptions: { input: { island: join(root, 'island.js') } },
      },
    });
    const { lazy } = pcChunks(seen, join(root, 'island.js'));
    // The lazy chunk, the worker, and the engine chunk the worker imports: none precached.
    expect(lazy).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^_astro\/lazy[\w.-]+\.js$/),
        expect.stringMatching(/^_astro\/emu\.worker[\w.-]+\.js$/),
        expect.stringMatching(/^_astro\/engine[\w.-]+\.js$/),
      ]),
    );
    expect(lazy).toHaveLength(3);
  });

  it('matches the guest image and those files by URL, nothing else', () => {
    const re = new RegExp(pcUrlPattern(['_astro/v86.J0.wasm', '_astro/libv86.K1.js']));
    for (const url of [
      'http://lan.example/guest/state.bin.zst',
      'http://127.0.0.1:4321/guest/bzImage',
      'http://127.0.0.1:4321/_astro/v86.J0.wasm',
      'http://127.0.0.1:4321/_astro/libv86.K1.js?v=1',
    ]) {
      expect(re.test(url), url).toBe(true);
    }
    for (const url of [
      'http://127.0.0.1:4321/_astro/Quiz.P6.js',
      'http://127.0.0.1:4321/_astro/xlibv86.K1.js',
      'http://127.0.0.1:4321/guestbook/',
      'http://127.0.0.1:4321/guest/',
    ]) {
      expect(re.test(url), url).toBe(false);
    }
  });
});
