// Cold boot of the real image in v86 under Node, then commands over the serial console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchPrompt } from '../../src/guest/prompt';
import { NodeGuest, bootFiles, builtMachine, expectedCpuChecksum, parseVbench, readManifest } from './harness';

let guest: NodeGuest;
let bootMs = 0;

beforeAll(async () => {
  guest = new NodeGuest(bootFiles(), builtMachine());
  await guest.waitForPrompt({ timeoutMs: 90_000 });
  bootMs = guest.elapsedMs();
  console.info(`guest: cold boot to prompt in ${Math.round(bootMs)} ms`);
});

afterAll(async () => {
  await guest?.destroy();
});

describe('cold boot in v86', () => {
  it('reaches a root shell prompt on the serial console', () => {
    expect(guest.output).toMatch(/Run \/init as init process/);
    expect(matchPrompt(guest.output)).toEqual({ cwd: '~', root: true });
    expect(bootMs).toBeLessThan(60_000);
  });

  it('boots with the initramfs inside the bzImage, in the RAM the manifest gives the machine', async () => {
    const machine = builtMachine();
    expect(machine.separateInitrd).toBe(false);
    const { output } = await guest.run('grep MemTotal /proc/meminfo');
    const kib = Number(/MemTotal:\s+(\d+) kB/.exec(output)?.[1]);
    // The kernel keeps its own code and reserved areas out of MemTotal.
    expect(kib * 1024).toBeLessThanOrEqual(machine.memoryBytes);
    expect(kib * 1024).toBeGreaterThan(machine.memoryBytes * 0.7);
    // An external initrd would be announced; the built-in one unpacks silently.
    expect(guest.output).not.toMatch(/Trying to unpack rootfs image as initramfs/);
  });

  it('runs the kernel the manifest names, on i686', async () => {
    const { output, status } = await guest.run('uname -a');
    expect(status).toBe(0);
    expect(output).toMatch(new RegExp(`^Linux lab ${readManifest().machine.kernelRelease.replace(/\./g, '\\.')} .* i686`));
  });

  it('reports exit statuses (the harness itself can fail)', async () => {
    expect((await guest.run('false')).status).toBe(1);
    expect((await guest.run('ls /no-such-file')).status).not.toBe(0);
  });

  it('shows the emulated CPU in /proc/cpuinfo', async () => {
    const { output } = await guest.run('cat /proc/cpuinfo');
    expect(output).toMatch(/vendor_id\s*: GenuineIntel/);
    expect(output).toMatch(/^flags\s*:.*\bhypervisor\b/m);
  });

  it('has detected the hypervisor at boot', async () => {
    expect((await guest.run('dmesg | grep -i hypervisor')).output).toMatch(/Hypervisor detected: VMware/);
  });

  it('mounted what /init mounts', async () => {
    const { output } = await guest.run('cat /proc/mounts');
    for (const fs of [
      'proc /proc proc',
      'sysfs /sys sysfs',
      'devtmpfs /dev devtmpfs',
      'devpts /dev/pts devpts',
      'tmpfs /tmp tmpfs',
    ]) {
      expect(output).toContain(fs);
    }
  });

  it('has the kernel features lesson 2 uses: loop devices, ISO 9660, swap', async () => {
    expect((await guest.run('grep iso9660 /proc/filesystems')).status).toBe(0);
    // Swap on a loop device backed by a file in tmpfs: loop and swap working together.
    const swap = await guest.run(
      'dd if=/dev/zero of=/tmp/swap bs=1k count=1024 2>/dev/null && losetup /dev/loop0 /tmp/swap && ' +
        'mkswap /dev/loop0 >/dev/null && swapon /dev/loop0 && cat /proc/swaps && swapoff /dev/loop0 && losetup -d /dev/loop0',
    );
    expect(swap.status, swap.output).toBe(0);
    expect(swap.output).toMatch(/^\/dev\/loop0\s+partition\s+1020\s/m);
  });

  it('runs cpuid-info and sees v86 as a VMware-compatible hypervisor', async () => {
    const text = await guest.run('cpuid-info');
    expect(text.status).toBe(0);
    expect(text.output).toMatch(/^vendor: GenuineIntel$/m);
    expect(text.output).toMatch(/^hypervisor_vendor: VMwareVMware$/m);

    const json = await guest.run('cpuid-info -j');
    const info = JSON.parse(json.output.trim()) as Record<string, unknown>;
    expect(info).toMatchObject({
      vendor: 'GenuineIntel',
      hypervisor_bit: true,
      hypervisor_vendor: 'VMwareVMware',
      vmx: false,
      svm: false,
    });
    expect(String(info['flags']).split(' ')).toEqual(expect.arrayContaining(['fpu', 'tsc', 'cx8', 'cmov', 'hypervisor']));
  });

  it('runs every vbench workload as root, with the cpu result the host computes', async () => {
    const { output, status } = await guest.run('vbench -s 1', { timeoutMs: 90_000 });
    expect(status).toBe(0);
    const lines = parseVbench(output);
    expect(lines.map((l) => l.workload)).toEqual(['cpu', 'syscall', 'pagefault', 'portio']);
    for (const line of lines) {
      expect(line.skipped, `${line.workload} skipped`).toBeUndefined();
      expect(line.iterations).toBeGreaterThan(0);
      expect(line.elapsed_ns).toBeGreaterThan(0);
    }
    const cpu = lines[0]!;
    expect(cpu.checksum).toBe(expectedCpuChecksum(cpu.iterations!));
    console.info(`guest: vbench -s 1 → ${lines.map((l) => `${l.workload} ${l.ns_per_op} ns/op`).join(', ')}`);
  });

  it('sets the console size through lab-agent on the second serial port', async () => {
    guest.resize(100, 30);
    await expect.poll(async () => (await guest.run('stty size')).output.trim(), { timeout: 10_000 }).toBe('30 100');
    guest.resize(80, 24);
    await expect.poll(async () => (await guest.run('stty size')).output.trim(), { timeout: 10_000 }).toBe('24 80');
  });

  it('refuses port I/O to an unprivileged user', async () => {
    const { output, status } = await guest.run("su -s /bin/sh -c 'vbench -s 1 portio' nobody");
    expect(status).toBe(0);
    const [line] = parseVbench(output);
    expect(line).toMatchObject({ workload: 'portio', errno: 1 }); // EPERM
    expect(line?.skipped).toMatch(/root/);
  });
});
