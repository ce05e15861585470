import { describe, expect, it } from 'vitest';
import { commandFor } from '../../../../src/features/kvm-lab/copy-command';

describe('the setup commands', () => {
  it.each([
    ['http:', 'http://10.0.0.2:8080', 'curl -fLO http://10.0.0.2:8080/unduh/a.tar.gz'],
    ['https:', 'https://lab.sekolah.sch.id', 'curl -fLO https://lab.sekolah.sch.id/unduh/a.tar.gz'],
  ])('carry the address the page was opened from (%s)', (protocol, origin, expected) => {
    expect(commandFor('curl -fLO {origin}/unduh/a.tar.gz', { protocol, origin })).toBe(expected);
  });

  it('fill every {origin}, and keep the built address for a page opened from a file', () => {
    const where = { protocol: 'http:', origin: 'http://127.0.0.1:4321' };
    expect(commandFor('a {origin} b {origin}', where)).toBe('a http://127.0.0.1:4321 b http://127.0.0.1:4321');
    expect(commandFor('a {origin}', { protocol: 'file:', origin: 'null' })).toBeNull();
  });
});
