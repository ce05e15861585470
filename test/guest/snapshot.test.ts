// The boot snapshot: restore the saved state in v86 under Node, without BIOS or kernel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchPrompt } from '../../src/guest/prompt';
import { NodeGuest, builtMachine, readGuestFiles, readManifest } from './harness';

let guest: NodeGuest;
let restoreMs = 0;

beforeAll(async () => {
  const { state } = readGuestFiles(['state']);
  guest = new NodeGuest({ state }, builtMachine());
  // The restored shell sits at its prompt; a newline makes it draw a fresh one.
  await guest.ready;
  guest.send('\n');
  await guest.waitForPrompt({ timeoutMs: 30_000 });
  restoreMs = guest.elapsedMs();
  console.info(`guest: snapshot restore to prompt in ${Math.round(restoreMs)} ms`);
});

afterAll(async () => {
  await guest?.destroy();
});

describe('restore from the boot snapshot', () => {
  it('comes back at the prompt without booting', () => {
    expect(guest.output).not.toMatch(/Linux version/); // no boot log: it did not boot
    expect(matchPrompt(guest.output)).toEqual({ cwd: '~', root: true });
    expect(restoreMs).toBeLessThan(10_000);
  });

  it('runs commands in the restored machine', async () => {
    const echo = await guest.run('echo "hello from the snapshot"');
    expect(echo).toEqual({ output: 'hello from the snapshot\n', status: 0 });
    expect((await guest.run('uname -r')).output.trim()).toBe(readManifest().machine.kernelRelease);
  });

  it('keeps a working kernel: processes, pipes and memory', async () => {
    const { output, status } = await guest.run('seq 1 1000 | md5sum && cat /proc/uptime');
    expect(status).toBe(0);
    // md5 of "1\n2\n…1000\n", as GNU coreutils computes it on the host.
    expect(output).toContain('53d025127ae99ab79e8502aae2d9bea6  -');
    expect(output).toMatch(/^\d+\.\d+ \d+\.\d+$/m);
  });
});
