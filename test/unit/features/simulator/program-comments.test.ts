import { describe, expect, it } from 'vitest';
import { assemble } from '../../../../src/sim/asm/index.ts';
import { GUEST_IDS, guest } from '../../../../src/sim/programs/index.ts';
import { commentStart, localizeComments, translateComment } from '../../../../src/features/simulator/program-comments';

const comments = (source: string): string[] =>
  source
    .split('\n')
    .map((line) => {
      const at = commentStart(line);
      return at < 0 ? '' : line.slice(at + 1).trim();
    })
    .filter((c) => c !== '');

describe('the example guests in Bahasa Indonesia', () => {
  it.each(GUEST_IDS)('%s: every comment is translated, only comments change, the program is the same', (id) => {
    const english = guest(id).source;
    const indonesian = localizeComments(english, 'id');
    const before = comments(english);
    const after = comments(indonesian);
    expect(before.length).toBeGreaterThan(0);
    expect(after).toHaveLength(before.length);
    expect(
      before.filter((c) => translateComment(c) === undefined),
      'comments without a translation',
    ).toEqual([]);
    expect(after.filter((c) => !before.includes(c)).length, 'comments that changed').toBeGreaterThan(before.length / 2);
    const code = (s: string) => s.split('\n').map((line) => (commentStart(line) < 0 ? line : line.slice(0, commentStart(line))));
    expect(code(indonesian)).toEqual(code(english));
    const a = assemble(english);
    const b = assemble(indonesian);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(b.program).toEqual(a.program);
  });

  it('keeps English pages as written, fills numbers into patterned comments', () => {
    const source = guest('tiny-kernel', { timerPeriod: 777 }).source;
    expect(localizeComments(source, 'en')).toBe(source);
    expect(localizeComments(source, 'id')).toContain('; interupsi timer setiap 777 instruksi');
  });

  it('leaves a semicolon inside a character literal alone', () => {
    expect(commentStart("    LI r1, ';'   ; a semicolon")).toBe(17);
  });
});
