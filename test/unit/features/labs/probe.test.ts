import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateProbe } from '../../../../src/features/labs/probe';
import type { ProbeRule } from '../../../../src/schemas/guided-lab';

const m = (en: string) => ({ id: `id: ${en}`, en });

const mounted: ProbeRule[] = [
  { exitCode: 0, missing: m('nothing mounted at /mnt') },
  { match: '^/dev/loop\\d+ /mnt iso9660 ', missing: m('an ISO 9660 file system from a loop device') },
  { noMatch: '\\brw\\b', missing: m('read-only') },
];

describe('evaluateProbe', () => {
  it('passes when every rule holds', () => {
    const result = { exitCode: 0, output: '/dev/loop0 /mnt iso9660 ro,relatime 0 0\n' };
    expect(evaluateProbe(mounted, result)).toEqual({ passed: true, missing: [] });
  });

  it('says what is missing, rule by rule, in order', () => {
    expect(evaluateProbe(mounted, { exitCode: 1, output: '' }).missing.map((x) => x.en)).toEqual([
      'nothing mounted at /mnt',
      'an ISO 9660 file system from a loop device',
    ]);
    const wrongFs = evaluateProbe(mounted, { exitCode: 0, output: '/dev/loop0 /mnt ext2 rw 0 0\n' });
    expect(wrongFs.passed).toBe(false);
    expect(wrongFs.missing.map((x) => x.en)).toEqual(['an ISO 9660 file system from a loop device', 'read-only']);
  });

  it('matches line by line (multiline), not only the first line', () => {
    const output = 'proc /proc proc rw 0 0\n/dev/loop0 /mnt iso9660 ro 0 0\n';
    expect(evaluateProbe([mounted[1] as ProbeRule], { exitCode: 0, output }).passed).toBe(true);
  });

  it('property: an output that lacks the pattern never passes, whatever else it holds', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 255 }), (noise, exitCode) => {
        const output = noise.replaceAll('iso9660', '');
        expect(evaluateProbe(mounted, { exitCode, output }).passed).toBe(false);
      }),
    );
  });

  it('property: a non-zero exit code always fails, and passing means nothing is missing', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 255 }), (output, exitCode) => {
        const verdict = evaluateProbe(mounted, { exitCode, output });
        expect(verdict.passed).toBe(false);
        expect(verdict.missing[0]?.en).toBe('nothing mounted at /mnt');
      }),
    );
  });
});
