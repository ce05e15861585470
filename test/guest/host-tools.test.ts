// The same i386 tool binaries, run natively on the x86_64 host through its 32-bit
// compatibility layer (CONFIG_IA32_EMULATION), and the manifest against the files.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GUEST_FILES, type GuestFile } from '../../src/guest/image';
import { expectedCpuChecksum, outputPath, parseVbench, readManifest, toolPath } from './harness';

function runTool(name: 'cpuid-info' | 'vbench', args: string[]): string {
  readManifest(); // fails with the build command when the image is missing
  return execFileSync(toolPath(name), args, { encoding: 'utf8', timeout: 60_000 });
}

describe('the guest tools on the host', () => {
  it('cpuid-info reads the host CPU', () => {
    const info = JSON.parse(runTool('cpuid-info', ['-j'])) as Record<string, unknown>;
    expect(info['vendor']).toMatch(/^(GenuineIntel|AuthenticAMD|[\x20-\x7e]{12})$/);
    expect(typeof info['family']).toBe('number');
    expect(String(info['flags']).split(' ')).toEqual(expect.arrayContaining(['fpu', 'tsc', 'sse2']));
    // The hypervisor vendor appears exactly when the hypervisor bit is set.
    expect('hypervisor_vendor' in info).toBe(info['hypervisor_bit'] === true);
  });

  it('vbench computes what the guest computes and reports why port I/O is unavailable', () => {
    const lines = parseVbench(runTool('vbench', ['-s', '1']));
    expect(lines.map((l) => l.workload)).toEqual(['cpu', 'syscall', 'pagefault', 'portio']);
    const cpu = lines[0]!;
    expect(cpu.checksum).toBe(expectedCpuChecksum(cpu.iterations!));
    for (const line of lines.slice(0, 3)) expect(line.elapsed_ns).toBeGreaterThan(0);
    const portio = lines[3]!;
    if (portio.skipped) {
      // EPERM without root; ENOSYS on kernels built without ioperm/iopl.
      expect([1, 38]).toContain(portio.errno);
    } else {
      expect(portio.iterations).toBeGreaterThan(0);
    }
  });

  it('vbench rejects a workload it does not know', () => {
    readManifest();
    const result = spawnSync(toolPath('vbench'), ['nonsense'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/^usage: vbench/);
  });
});

describe('manifest', () => {
  it('lists every served file with its real size and sha256', () => {
    const manifest = readManifest();
    // The initramfs is served on its own only beside Debian's fallback kernel; otherwise it is inside the bzImage.
    const served = (Object.keys(GUEST_FILES) as GuestFile[]).filter(
      (f) => f !== 'manifest' && (f !== 'initrd' || manifest.machine.separateInitrd),
    );
    expect(manifest.outputs.map((o) => o.name).sort()).toEqual(served.map((f) => GUEST_FILES[f]).sort());
    for (const file of served) {
      const bytes = readFileSync(outputPath(file));
      const entry = manifest.outputs.find((o) => o.name === GUEST_FILES[file]);
      expect(entry).toEqual({
        name: GUEST_FILES[file],
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    }
  });

  it('names the Debian and npm packages the image came from', () => {
    const names = readManifest().packages.map((p) => `${p.registry}:${p.name}`);
    expect(names).toEqual(
      expect.arrayContaining(['debian:linux-source-6.1', 'debian:seabios', 'debian:busybox-static', 'npm:v86']),
    );
    expect(readManifest().packages.find((p) => p.name === 'busybox-static')?.arch).toBe('i386');
  });
});
