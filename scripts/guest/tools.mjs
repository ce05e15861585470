// @ts-check
/**
 * The course's own guest programs (scripts/guest/tools/*.c): static i386 binaries without
 * libc, built with the host's gcc in 32-bit mode (Debian's gcc-multilib).
 */
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { installedVersion } from './debian.mjs';
import { run } from './exec.mjs';
import { digest } from './hash.mjs';
import { DIRS, GUEST_SRC } from './paths.mjs';
import { runStep } from './stamp.mjs';

const TOOLS_SRC = path.join(GUEST_SRC, 'tools');
/** Programs built, one `NAME.c` each; every one includes rt.h. */
export const TOOL_NAMES = ['cpuid-info', 'vbench'];

/**
 * `-m32 -nostdlib -static -fno-pie -no-pie`: a plain static i386 executable, no libc.
 * `-ffreestanding -fno-stack-protector`: Debian's gcc would otherwise emit stack-protector
 * checks that read a libc-provided canary through %gs. `-s`: no symbols (smaller).
 */
export const GCC_FLAGS = [
  '-m32',
  '-nostdlib',
  '-static',
  '-fno-pie',
  '-no-pie',
  '-ffreestanding',
  '-fno-stack-protector',
  '-fno-asynchronous-unwind-tables',
  '-Os',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-s',
];

export async function buildTools() {
  const gcc = await installedVersion('gcc-12');
  await installedVersion('gcc-multilib'); // the i386 libgcc and crt bits
  const sources = (await readdir(TOOLS_SRC)).filter((f) => /\.[ch]$/.test(f)).sort();
  /** @type {Record<string, string>} */
  const sourceDigests = {};
  for (const f of sources) sourceDigests[f] = digest(await readFile(path.join(TOOLS_SRC, f)));
  return runStep({
    name: 'tools',
    key: { gcc: gcc.version, flags: GCC_FLAGS, sources: sourceDigests, recipe: digest(await readFile(new URL(import.meta.url))) },
    outputs: TOOL_NAMES.map((n) => path.join(DIRS.tools, n)),
    run: async (why) => {
      process.stderr.write(`tools: building ${TOOL_NAMES.join(', ')} (${why})\n`);
      await mkdir(DIRS.tools, { recursive: true });
      for (const name of TOOL_NAMES) {
        // libgcc last: i386 has no 64-bit division instruction, libgcc's __udivdi3 does it.
        await run('gcc', [...GCC_FLAGS, '-o', path.join(DIRS.tools, name), path.join(TOOLS_SRC, `${name}.c`), '-lgcc']);
      }
      return { sources: sourceDigests };
    },
  });
}
