// @ts-check
/**
 * The boot snapshot: boots the guest once in v86 under Node, waits for the shell prompt,
 * saves the machine state and compresses it with zstd. The browser restores it in under a
 * second instead of booting (cold boot stays available). A state restores only in the
 * same v86 version with the same memory size, so both are part of the step's key.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GUEST_CMDLINE, GUEST_V86_DEVICES } from '../../src/guest/image.ts';
import { run } from './exec.mjs';
import { digest } from './hash.mjs';
import { DIRS } from './paths.mjs';
import { createProgress } from './progress.mjs';
import { runStep } from './stamp.mjs';
import { NodeGuest } from './v86-node.mjs';

export const STATE = path.join(DIRS.out, 'state.bin.zst');
const RAW_STATE = path.join(DIRS.work, 'state.bin');

/** The installed v86 version (the state format is tied to it). */
export function v86Version() {
  const file = createRequire(import.meta.url).resolve('v86/package.json');
  const pkg = /** @type {unknown} */ (JSON.parse(readFileSync(file, 'utf8')));
  const version = pkg && typeof pkg === 'object' && 'version' in pkg ? pkg.version : undefined;
  if (typeof version !== 'string') throw new Error(`no version in ${file}`);
  return version;
}

/**
 * @param {{ bios: string, kernel: string, initrd?: string }} files
 * @param {import('../../src/guest/image.ts').GuestMachine} machine
 */
export async function buildSnapshot(files, machine) {
  const bytes = {
    bios: await readFile(files.bios),
    kernel: await readFile(files.kernel),
    ...(files.initrd ? { initrd: await readFile(files.initrd) } : {}),
  };
  const key = {
    bios: digest(bytes.bios),
    kernel: digest(bytes.kernel),
    initrd: bytes.initrd ? digest(bytes.initrd) : null,
    v86: v86Version(),
    machine,
    cmdline: GUEST_CMDLINE,
    devices: GUEST_V86_DEVICES,
    recipe: digest(
      (await readFile(new URL(import.meta.url))).toString() +
        (await readFile(new URL('./v86-node.mjs', import.meta.url))).toString(),
    ),
  };
  return runStep({
    name: 'snapshot',
    key,
    outputs: [STATE],
    run: async (why) => {
      const progress = createProgress({ label: `snapshot: booting in v86 (${why})` });
      const guest = new NodeGuest(bytes, machine);
      let raw;
      let coldBootMs;
      try {
        await guest.waitForPrompt({ timeoutMs: 120_000 });
        coldBootMs = Math.round(guest.elapsedMs());
        // Let late kernel messages land before the prompt rather than after the restore.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const check = await guest.run('true');
        if (check.status !== 0) throw new Error('the guest shell did not run `true`');
        raw = await guest.saveState();
      } finally {
        await guest.destroy();
      }
      await mkdir(DIRS.work, { recursive: true });
      await writeFile(RAW_STATE, raw);
      // zstd -19: v86 decompresses states itself; level 19 is slow to write, fast to read.
      await run('zstd', ['-19', '-q', '-f', '-o', STATE, RAW_STATE]);
      const restoreMs = await checkRestore(await readFile(STATE), machine);
      progress.finish(
        `prompt after ${coldBootMs} ms cold boot; state ${(raw.length / 1e6).toFixed(1)} MB raw; restore to prompt ${restoreMs} ms`,
      );
      return { coldBootMs, stateRawBytes: raw.length, restoreMs, v86: key.v86 };
    },
  });
}

/**
 * Restores the compressed state and runs a command, so a state that does not come back is
 * caught at build time rather than in a learner's browser.
 * @param {Uint8Array} state
 * @param {import('../../src/guest/image.ts').GuestMachine} machine
 */
async function checkRestore(state, machine) {
  const guest = new NodeGuest({ state }, machine);
  try {
    // The restored shell waits at its prompt; a newline makes it draw a fresh one.
    await guest.ready;
    guest.send('\n');
    await guest.waitForPrompt({ timeoutMs: 20_000 });
    const ms = Math.round(guest.elapsedMs());
    const { output, status } = await guest.run('echo restored');
    if (status !== 0 || !output.includes('restored')) throw new Error(`the restored guest did not answer: ${output}`);
    return ms;
  } finally {
    await guest.destroy();
  }
}
