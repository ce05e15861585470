// The course archive the site serves (src/build/release-archive.ts): what a school PC unpacks to
// run the KVM bridge. Built here from this checkout exactly as `npm run build` builds it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReleaseArchive, hasArchive } from '../../../src/build/release-archive';

const REPO = join(import.meta.dirname, '../../..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the course archive', () => {
  const archive = buildReleaseArchive(REPO);

  it('is a valid tar.gz under one folder, with what `npm ci` and `npm run bridge` need', () => {
    if (!hasArchive(archive)) throw new Error(archive.reason);
    const bytes = readFileSync(archive.path);
    expect(() => gunzipSync(bytes)).not.toThrow();
    const files = execFileSync('tar', ['-tzf', archive.path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      .split('\n')
      .filter(Boolean);
    const top = `${archive.folder}/`;
    expect(
      files.every((f) => f.startsWith(top)),
      'one top folder',
    ).toBe(true);
    const inside = files.map((f) => f.slice(top.length));
    for (const needed of [
      'package.json',
      'package-lock.json',
      'course',
      'src/kvm-bridge/main.ts',
      'src/kvm-bridge/machines/linux-guest.yaml',
    ])
      expect(inside, needed).toContain(needed);
    for (const banned of ['node_modules/', '.cache/', 'dist/'])
      expect(
        inside.filter((f) => f.startsWith(banned) || f.includes(`/${banned}`)),
        banned,
      ).toEqual([]);
    // Exactly the files tracked at HEAD (plus the guest kernel when it was built).
    const tracked = execFileSync('git', ['ls-tree', '-r', '--name-only', 'HEAD'], { cwd: REPO, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const kernel = archive.withGuestKernel ? ['guest/bzImage'] : [];
    expect(inside.filter((f) => f !== '' && !f.endsWith('/')).sort()).toEqual([...tracked, ...kernel].sort());
  });

  it('reports the size and SHA-256 of the file it wrote', () => {
    if (!hasArchive(archive)) throw new Error(archive.reason);
    const bytes = readFileSync(archive.path);
    expect(archive.bytes).toBe(bytes.length);
    expect(archive.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(archive.urlPath).toBe(`/unduh/${archive.fileName}`);
  });

  it('carries the built guest kernel as guest/bzImage, byte for byte', () => {
    const built = join(REPO, '.cache/guest/out/bzImage');
    if (!hasArchive(archive) || !existsSync(built)) return expect(existsSync(built)).toBe(false);
    const out = mkdtempSync(join(tmpdir(), 'archive-'));
    dirs.push(out);
    execFileSync('tar', ['-xzf', archive.path, '-C', out, `${archive.folder}/guest/bzImage`]);
    expect(readFileSync(join(out, archive.folder, 'guest/bzImage')).equals(readFileSync(built))).toBe(true);
  });

  it('is refused, with the reason, outside a git checkout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'not-git-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'package.json'), '{"version":"1.0.0"}');
    const result = buildReleaseArchive(dir);
    if (hasArchive(result)) throw new Error('an archive outside git');
    expect(result.reason).toContain('not a git checkout');
  });
});
