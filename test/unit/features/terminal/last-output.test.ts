import { describe, expect, it } from 'vitest';
import { lastOutput } from '../../../../src/features/terminal/last-output';

describe('the last output (Copy without a selection)', () => {
  it('is what the last finished command printed, without its prompt lines', () => {
    const screen = ['~ # echo a', 'a', '~ # cat /etc/hostname   ', 'labvirt', 'second line', '~ # '];
    expect(lastOutput(screen)).toBe('labvirt\nsecond line');
  });

  it('follows the shell into other directories and ignores what is being typed at the prompt', () => {
    expect(lastOutput(['~ # cd /tmp', '/tmp # ls', 'esc.txt', '/tmp # echo half-typ'])).toBe('esc.txt');
  });

  it('is nothing when no command has finished or the command printed nothing', () => {
    expect(lastOutput(['Welcome', '~ # '])).toBeNull();
    expect(lastOutput(['~ # cd /tmp', '/tmp # '])).toBeNull();
  });
});
