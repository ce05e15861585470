// The pages around the browser PC: their strings, routes, and the build-time reading of
// the guest manifest that "about this machine" shows.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pcPageStrings, packageRole } from '../../../../src/features/pc/strings';
import { pcAboutPath, sectionPath } from '../../../../src/i18n/routes';
import { readServedManifest } from '../../../../src/build/guest-manifest';
import type { GuestManifest } from '../../../../src/schemas/guest-manifest';

describe('machine page strings', () => {
  it('have the same keys and placeholders in both languages, none empty', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(pcPageStrings.en).sort()).toEqual(Object.keys(pcPageStrings.id).sort());
    for (const [key, value] of Object.entries(pcPageStrings.id)) {
      const en = pcPageStrings.en[key as keyof typeof pcPageStrings.en];
      expect(placeholders(en), key).toEqual(placeholders(value));
      expect(value.trim(), key).not.toBe('');
      expect(en.trim(), key).not.toBe('');
    }
  });

  it('translate the roles of the packages the image is built from, and only those', () => {
    expect(packageRole('id', 'xorriso')).toMatch(/ISO 9660/);
    expect(packageRole('en', 'linux-source-6.1')).toMatch(/kernel/);
    expect(packageRole('id', 'linux-image-686')).toBeNull();
  });
});

describe('machine routes', () => {
  it('are /mesin/ and /en/machine/, with "about" below them', () => {
    expect(sectionPath('id', 'machine')).toBe('/mesin/');
    expect(sectionPath('en', 'machine')).toBe('/en/machine/');
    expect(pcAboutPath('id')).toBe('/mesin/tentang/');
    expect(pcAboutPath('en')).toBe('/en/machine/about/');
  });
});

describe('readServedManifest', () => {
  let root = '';
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A project folder with public/guest/ holding one output file and a manifest describing `described`. */
  function project(served: Buffer, described: Buffer = served): string {
    root = mkdtempSync(join(tmpdir(), 'labvirt-manifest-'));
    mkdirSync(join(root, 'public', 'guest'), { recursive: true });
    writeFileSync(join(root, 'public', 'guest', 'bzImage'), served);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const manifest: GuestManifest = {
      schemaVersion: 2,
      builtAt: '2026-01-01T00:00:00.000Z',
      machine: { memoryBytes: 33554432, separateInitrd: false, cmdline: 'console=ttyS0,115200', kernelRelease: '6.1.192' },
      packages: [{ registry: 'debian', name: 'seabios', version: '1.16.2-1', arch: 'all', role: 'BIOS' }],
      inputs: [{ name: 'bios.bin', bytes: 1, sha256: sha(Buffer.from('x')), from: 'seabios 1.16.2-1' }],
      outputs: [{ name: 'bzImage', bytes: described.length, sha256: sha(described) }],
      measurements: { coldBootMs: 9000, stateRawBytes: 19_000_000 },
    };
    writeFileSync(join(root, 'public', 'guest', 'manifest.json'), JSON.stringify(manifest));
    return root;
  }

  it('returns the manifest when the served files are the ones it describes', () => {
    expect(readServedManifest(project(Buffer.from('kernel'))).machine.kernelRelease).toBe('6.1.192');
  });

  it('refuses a served file that differs from the manifest', () => {
    expect(() => readServedManifest(project(Buffer.from('kernel'), Buffer.from('other kernel')))).toThrow(
      /bzImage is not the file .* describes/,
    );
  });

  it('says how to build the image when there is none', () => {
    root = mkdtempSync(join(tmpdir(), 'labvirt-manifest-'));
    expect(() => readServedManifest(root)).toThrow(/npm run guest:build/);
  });
});
