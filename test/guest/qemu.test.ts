// The same bzImage and initramfs under QEMU (TCG), as the KVM bridge runs them: a PC
// (`-M pc`), console on the first serial port at 115200 baud.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { matchPrompt } from '../../src/guest/prompt';
import { builtMachine, outputPath, readGuestFiles } from './harness';

let qemu: ChildProcessWithoutNullStreams | null = null;

afterEach(() => {
  qemu?.kill('SIGKILL');
  qemu = null;
});

/** Boots under `binary`, waits for the prompt, runs `command`, returns what it printed. */
async function bootAndRun(binary: string, command: string): Promise<{ bootMs: number; output: string }> {
  readGuestFiles(['kernel']);
  // The course's kernel carries its initramfs; Debian's fallback kernel needs it beside.
  const initrd = builtMachine().separateInitrd ? ['-initrd', outputPath('initrd')] : [];
  if (!existsSync(binary)) throw new Error(`${binary} is missing: sudo apt-get install qemu-system-x86 (scripts/apt/test.txt)`);
  const started = performance.now();
  const child = spawn(binary, [
    '-M',
    'pc',
    '-accel',
    'tcg',
    '-m',
    '128',
    '-nodefaults',
    '-no-reboot',
    '-display',
    'none',
    '-serial',
    'stdio',
    '-monitor',
    'none',
    '-kernel',
    outputPath('kernel'),
    ...initrd,
    '-append',
    'console=ttyS0,115200 panic=-1',
  ]);
  qemu = child;
  let text = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const waitFor = (test: (t: string) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`QEMU: no ${what} after 90 s; output:\n${text.slice(-1500)}\n${stderr}`)),
        90_000,
      );
      const check = () => {
        if (test(text)) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          resolve();
        }
      };
      const onData = (d: Buffer) => {
        text += d.toString('utf8');
        check();
      };
      child.stdout.on('data', onData);
      child.once('exit', (code) => reject(new Error(`QEMU exited (${code}):\n${stderr}\n${text.slice(-1500)}`)));
      check();
    });
  await waitFor((t) => matchPrompt(t) !== null, 'prompt');
  const bootMs = performance.now() - started;
  const from = text.length;
  child.stdin.write(`${command}; echo "@@done@@"\n`);
  await waitFor((t) => /@@done@@\r?\n/.test(t.slice(from)), 'command output');
  return { bootMs, output: text.slice(from) };
}

describe('the guest under QEMU (TCG)', () => {
  it.each(['/usr/bin/qemu-system-i386', '/usr/bin/qemu-system-x86_64'])(
    'boots with %s -M pc and runs the tools',
    async (binary) => {
      const { bootMs, output } = await bootAndRun(binary, 'uname -m; cpuid-info -j; vbench -s 1 cpu');
      console.info(`guest: ${binary} -M pc (TCG) boot to prompt in ${Math.round(bootMs)} ms`);
      expect(output).toMatch(/^i686\r?$/m);
      const json = output.split('\n').find((l) => l.startsWith('{"vendor"'));
      expect(JSON.parse(json ?? '{}')).toMatchObject({ hypervisor_bit: true, hypervisor_vendor: 'TCGTCGTCGTCG' });
      expect(output).toMatch(/"workload":"cpu","iterations":200000,/);
    },
  );
});
