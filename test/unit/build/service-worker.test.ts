// Which built files the service worker leaves to the browser PC's runtime cache
// (src/build/service-worker.mjs), on a small built site written here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkReferences, pcChunks, pcUrlPattern } from '../../../src/build/service-worker.mjs';

let dist = '';

/** An astro-island tag as Astro writes it. */
const island = (name: string, file: string) =>
  `<astro-island uid="x" component-url="/_astro/${file}" component-export="default" renderer-url="/_astro/client.svelte.A1.js" props="{}" ssr client="visible" opts="{&quot;name&quot;:&quot;${name}&quot;,&quot;value&quot;:true}"></astro-island>`;

beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'labvirt-sw-'));
  mkdirSync(join(dist, '_astro'));
  mkdirSync(join(dist, 'lesson'));
  const files: Record<string, string> = {
    'client.svelte.A1.js': 'import{a}from"./client.B2.js";export default a;',
    'client.B2.js': 'export const a=1;',
    'preload.C3.js': 'export const p=1;',
    // The machine island: static imports load with it, dynamic ones on Start.
    'BrowserPc.D4.js':
      'import{a}from"./client.B2.js";import{p}from"./preload.C3.js";import"./version.E5.js";' +
      'const t=()=>import(`./xterm.F6.js`),f=()=>import("./addon-fit.G7.js"),v=()=>import(`./v86.H8.js`);',
    'version.E5.js': '',
    'xterm.F6.js': 'export class Terminal{}',
    'addon-fit.G7.js': 'export class FitAddon{}',
    'v86.H8.js':
      'import{p}from"./preload.C3.js";import{V}from"./backend.I9.js";const w="/_astro/v86.J0.wasm";' +
      'const e=()=>import(`./libv86.K1.js`);const d="v86.wasm";',
    'v86.J0.wasm': '\0asm',
    'libv86.K1.js': 'const n=()=>import(`./external.L2.js`);export const t=1;',
    'external.L2.js': 'import{t}from"./libv86.K1.js";export default t;',
    'backend.I9.js': 'export class V{}',
    // Another island that lazily loads xterm too, and a chunk that needs backend statically.
    'Other.M3.js': 'const c=()=>import("./Connected.N4.js"),t=()=>import(`./xterm.F6.js`);',
    'Connected.N4.js': 'import{V}from"./backend.I9.js";export default V;',
    // The KVM lab's comparison: fetches v86's wasm by URL and loads libv86, both on demand.
    'KvmLab.Q7.js': 'const l=()=>import("./micro-v86-browser.R8.js");',
    'micro-v86-browser.R8.js': 'const w="/_astro/v86.J0.wasm";const e=()=>import(`./libv86.K1.js`);export default w;',
    'Base.O5.css': 'body{}',
  };
  for (const [name, code] of Object.entries(files)) writeFileSync(join(dist, '_astro', name), code);
  writeFileSync(
    join(dist, 'index.html'),
    `<link rel="stylesheet" href="/_astro/Base.O5.css"><script type="module" src="/_astro/client.svelte.A1.js"></script>${island('Other', 'Other.M3.js')}${island('KvmLab', 'KvmLab.Q7.js')}`,
  );
  writeFileSync(join(dist, 'lesson', 'index.html'), island('BrowserPc', 'BrowserPc.D4.js'));
});

afterAll(() => {
  rmSync(dist, { recursive: true, force: true });
});

describe('the browser PC in the service worker', () => {
  it('reads static imports, dynamic imports and named assets of a chunk', () => {
    const existing = new Set(['a.js', 'b.js', 'c.wasm', 'd.js']);
    expect(
      chunkReferences(
        'import{x}from"./a.js";const l=()=>import(`./b.js`);const w="/_astro/c.wasm";import"./d.js";const n="./missing.js";',
        existing,
      ),
    ).toEqual({
      static: ['a.js', 'd.js'],
      dynamic: ['b.js'],
      assets: ['c.wasm'],
    });
  });

  it('leaves to run time exactly what the machine loads on Start and no precached file needs', () => {
    expect(pcChunks(dist)).toEqual({
      island: ['BrowserPc.D4.js'],
      // backend is statically needed by Connected (precached), so it stays precached;
      // xterm is loaded lazily by both islands, so the runtime route serves both; the wasm and
      // libv86 stay lazy though the comparison names and loads them too.
      lazy: ['addon-fit.G7.js', 'external.L2.js', 'libv86.K1.js', 'v86.H8.js', 'v86.J0.wasm', 'xterm.F6.js'],
    });
  });

  it('matches the guest image and those files by URL, nothing else', () => {
    const re = new RegExp(pcUrlPattern(['v86.J0.wasm', 'libv86.K1.js']));
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
