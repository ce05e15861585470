// Pure parts of the guest image pipeline (scripts/guest/): the cpio writer, Kconfig
// checks, step staleness, progress lines and the manifest.
import { describe, expect, it } from 'vitest';
import { cpioNewc } from '../../../scripts/guest/cpio.mjs';
import { firstDependency } from '../../../scripts/guest/debian.mjs';
import { buildStepTarget, configMismatches, parseConfig } from '../../../scripts/guest/kconfig.mjs';
import { makeManifest } from '../../../scripts/guest/manifest.mjs';
import { formatElapsed, formatProgressLine } from '../../../scripts/guest/progress.mjs';
import { canonicalKey, staleReason } from '../../../scripts/guest/stamp.mjs';
import { guestManifestSchema } from '../../../src/schemas/guest-manifest';

/** An independent newc reader, written from the kernel's buffer-format.rst. */
function readNewc(archive: Buffer) {
  const entries: { name: string; mode: number; ino: number; nlink: number; rdev: [number, number]; data: Buffer }[] = [];
  let at = 0;
  const align = (n: number) => (n + 3) & ~3;
  for (;;) {
    expect(archive.toString('ascii', at, at + 6)).toBe('070701');
    const field = (i: number) => parseInt(archive.toString('ascii', at + 6 + i * 8, at + 14 + i * 8), 16);
    const nameSize = field(11);
    const dataSize = field(6);
    const name = archive.toString('utf8', at + 110, at + 110 + nameSize - 1);
    expect(archive[at + 110 + nameSize - 1]).toBe(0);
    const dataAt = align(at + 110 + nameSize);
    const data = archive.subarray(dataAt, dataAt + dataSize);
    const entry = { name, mode: field(1), ino: field(0), nlink: field(4), rdev: [field(9), field(10)] as [number, number], data };
    const owner = [field(2), field(3), field(5)];
    at = align(dataAt + dataSize);
    if (name === 'TRAILER!!!') break;
    expect(owner).toEqual([0, 0, 0]); // root-owned, mtime 0
    entries.push(entry);
  }
  expect(at).toBe(archive.length);
  return entries;
}

describe('cpioNewc', () => {
  const archive = cpioNewc([
    { path: 'init', type: 'file', mode: 0o755, data: '#!/bin/sh\necho hi\n' },
    { path: '/bin/sh', type: 'symlink', target: 'busybox' },
    { path: 'dev/console', type: 'char', major: 5, minor: 1 },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'usr/bin/x', type: 'file', data: new Uint8Array([1, 2, 3]) },
  ]);
  const entries = readNewc(archive);

  it('writes entries in path order, adding missing parent folders first', () => {
    expect(entries.map((e) => e.name)).toEqual([
      'bin',
      'bin/sh',
      'dev',
      'dev/console',
      'init',
      'tmp',
      'usr',
      'usr/bin',
      'usr/bin/x',
    ]);
    expect(new Set(entries.map((e) => e.ino)).size).toBe(entries.length);
  });

  it('encodes types, permissions, data, link targets and device numbers', () => {
    const by = Object.fromEntries(entries.map((e) => [e.name, e]));
    expect(by['init']!.mode).toBe(0o100755);
    expect(by['init']!.data.toString()).toBe('#!/bin/sh\necho hi\n');
    expect(by['bin/sh']!.mode).toBe(0o120777);
    expect(by['bin/sh']!.data.toString()).toBe('busybox');
    expect(by['dev/console']!.mode).toBe(0o020600);
    expect(by['dev/console']!.rdev).toEqual([5, 1]);
    expect(by['tmp']!.mode).toBe(0o041777);
    expect(by['usr']!.mode).toBe(0o040755);
    expect(by['usr']!.nlink).toBe(2);
    expect([...by['usr/bin/x']!.data]).toEqual([1, 2, 3]);
  });

  it('gives the same bytes for the same entries in any order', () => {
    const a = cpioNewc([
      { path: 'a', type: 'dir' },
      { path: 'b', type: 'file', data: 'x' },
    ]);
    const b = cpioNewc([
      { path: 'b', type: 'file', data: 'x' },
      { path: 'a', type: 'dir' },
    ]);
    expect(a.equals(b)).toBe(true);
  });

  it.each(['', '/', 'a/../b', 'a//b', './a'])('refuses the path %j', (bad) => {
    expect(() => cpioNewc([{ path: bad, type: 'dir' }])).toThrow(/bad cpio path/);
  });

  it('refuses duplicates', () => {
    expect(() =>
      cpioNewc([
        { path: 'a', type: 'dir' },
        { path: '/a', type: 'dir' },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe('Kconfig helpers', () => {
  it('reads set and unset options and ignores comments', () => {
    expect(parseConfig('# intro\nCONFIG_TTY=y\n  # CONFIG_RD_GZIP is not set\nCONFIG_NR=1\nCONFIG_S="a b"\n')).toEqual(
      new Map([
        ['CONFIG_TTY', 'y'],
        ['CONFIG_RD_GZIP', 'n'],
        ['CONFIG_NR', '1'],
        ['CONFIG_S', '"a b"'],
      ]),
    );
  });

  it('reports options Kconfig dropped or changed, treating absent as n', () => {
    const fragment = 'CONFIG_A=y\nCONFIG_B=y\n# CONFIG_C is not set\nCONFIG_D=4\n# CONFIG_E is not set';
    const config = 'CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=y\nCONFIG_D=1';
    expect(configMismatches(fragment, config)).toEqual([
      { option: 'CONFIG_B', wanted: 'y', got: 'n' },
      { option: 'CONFIG_C', wanted: 'n', got: 'y' },
      { option: 'CONFIG_D', wanted: '4', got: '1' },
    ]);
  });

  it.each([
    ['  CC      kernel/fork.o', 'kernel/fork.o'],
    ['  LD [M]  fs/x.ko', 'fs/x.ko'],
    ['  AR      arch/x86/kernel/built-in.a', 'arch/x86/kernel/built-in.a'],
    ["make[2]: Nothing to be done for 'all'.", null],
    ['arch/x86/boot/bzImage is ready  (#1)', null],
    ['', null],
  ])('names the file of the build line %j', (line, target) => {
    expect(buildStepTarget(line)).toBe(target);
  });
});

describe('step staleness', () => {
  it('keys do not depend on property order and drop undefined', () => {
    expect(canonicalKey({ b: 1, a: [2, { d: 3, c: 4 }], u: undefined })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(canonicalKey({ x: 1, y: 2 })).toBe(canonicalKey({ y: 2, x: 1 }));
  });

  it('runs a step when never built, when inputs changed, or an output is missing or not the one it wrote', () => {
    const key = { source: '6.1.192-2', fragment: 'abc' };
    const stamp = { key: canonicalKey(key), outputs: { bzImage: 'a'.repeat(64) } };
    const out = (sha256: string | null) => [{ file: '/c/out/bzImage', sha256 }];
    expect(staleReason(null, key, out('a'.repeat(64)))).toBe('never built');
    expect(staleReason({ ...stamp, key: canonicalKey({ ...key, source: '6.1.191-1' }) }, key, out('a'.repeat(64)))).toBe(
      'inputs changed',
    );
    expect(staleReason(stamp, key, out(null))).toBe('missing bzImage');
    expect(staleReason(stamp, key, out('b'.repeat(64)))).toBe('bzImage changed since this step wrote it');
    expect(staleReason({ key: canonicalKey(key) }, key, out('a'.repeat(64)))).toBe('bzImage changed since this step wrote it'); // an old stamp
    expect(staleReason(stamp, key, out('a'.repeat(64)))).toBeNull();
  });
});

describe('progress lines', () => {
  it('formats elapsed time', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(151_000)).toBe('2:31');
    expect(formatElapsed(3_600_000)).toBe('60:00');
  });

  it('shows a bar with a total and caps at 99 % until the step says it is done', () => {
    expect(
      formatProgressLine({ label: 'kernel', done: 5, total: 10, detail: 'fs/super.o', elapsedMs: 61_000, barWidth: 10 }),
    ).toBe('kernel [#####-----]  50%  5/10  1:01  fs/super.o');
    expect(formatProgressLine({ label: 'k', done: 1200, total: 1000, elapsedMs: 0, barWidth: 4 })).toBe(
      'k [####]  99%  1200/1000  0:00',
    );
    expect(formatProgressLine({ label: 'boot', done: 0, elapsedMs: 2_000 })).toBe('boot  0:02');
  });
});

describe('makeManifest', () => {
  const sha = (c: string) => c.repeat(64);
  const facts = {
    machine: { memoryBytes: 32 * 1024 * 1024, separateInitrd: false, cmdline: 'console=ttyS0,115200', kernelRelease: '6.1.192' },
    packages: [
      { registry: 'npm' as const, name: 'v86', version: '0.5.462', role: 'emulator' },
      { registry: 'debian' as const, name: 'seabios', version: '1.16.2-1', arch: 'all', role: 'BIOS' },
    ],
    inputs: [{ name: 'kernel.config', bytes: 10, sha256: sha('a'), from: 'this repository' }],
    outputs: [
      { name: 'bzImage', bytes: 1000, sha256: sha('b') },
      { name: 'bios.bin', bytes: 131072, sha256: sha('c') },
    ],
    measurements: { kernelBuildSeconds: 351.4, coldBootMs: 3600, stateRawBytes: 11_500_000 },
    builtAt: new Date(Date.UTC(2026, 10, 22, 1, 2, 3)),
  };

  it('sorts lists by name, rounds the build time and passes the schema', () => {
    const m = makeManifest(facts);
    expect(guestManifestSchema.parse(m)).toEqual(m);
    expect(m.builtAt).toBe('2026-11-22T01:02:03.000Z');
    expect(m.packages.map((p) => p.name)).toEqual(['seabios', 'v86']);
    expect(m.outputs.map((o) => o.name)).toEqual(['bios.bin', 'bzImage']);
    expect(m.measurements).toEqual({ kernelBuildSeconds: 351, coldBootMs: 3600, stateRawBytes: 11_500_000 });
  });

  it('leaves out an unknown kernel build time', () => {
    expect(
      makeManifest({ ...facts, measurements: { ...facts.measurements, kernelBuildSeconds: undefined } }).measurements,
    ).not.toHaveProperty('kernelBuildSeconds');
  });

  it('refuses a checksum that is not sha256 hex', () => {
    expect(() => makeManifest({ ...facts, outputs: [{ name: 'bzImage', bytes: 1, sha256: 'abc' }] })).toThrow(/sha256/);
  });
});

describe('firstDependency', () => {
  it.each([
    ['linux-image-6.1.0-41-686 (= 6.1.158-1)', 'linux-image-6.1.0-41-686'],
    ['  busybox-static, libc6 (>= 2.36)', 'busybox-static'],
    ['g++-12 | clang', 'g++-12'],
  ])('reads %j', (depends, name) => {
    expect(firstDependency(depends)).toBe(name);
  });

  it('refuses an empty field', () => {
    expect(() => firstDependency('')).toThrow(/no package name/);
  });
});
