import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildHostCheck,
  gatherHostFacts,
  kvmKindOf,
  kvmVendorModules,
  parseCpuInfo,
  parseNestedParam,
  parseProcModules,
  parseQemuVersion,
  type HostFacts,
} from '../../../src/kvm-bridge/hostcheck.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseCpuInfo', () => {
  it.each([
    ['cpuinfo-intel-vmx.txt', { vendor: 'GenuineIntel', virtFlag: 'vmx', underHypervisor: false }],
    ['cpuinfo-amd-svm.txt', { vendor: 'AuthenticAMD', virtFlag: 'svm', underHypervisor: false }],
    // This machine: a cloud VM with kvm_pvm, no vmx/svm, `hypervisor` set.
    ['cpuinfo-amd-epyc-pvm.txt', { vendor: 'AuthenticAMD', virtFlag: null, underHypervisor: true }],
  ])('%s', (file, expected) => {
    expect(parseCpuInfo(fixture(file))).toEqual(expected);
  });

  it('does not take `vmx flags` for `flags`', () => {
    expect(parseCpuInfo('vendor_id\t: GenuineIntel\nvmx flags\t: vnmi\nflags\t\t: fpu\n').virtFlag).toBeNull();
  });

  it('copes with an empty file', () => {
    expect(parseCpuInfo('')).toEqual({ vendor: 'unknown', virtFlag: null, underHypervisor: false });
  });
});

describe('modules', () => {
  it('reads /proc/modules', () => {
    expect(parseProcModules(fixture('proc-modules-intel.txt'))).toEqual(['kvm_intel', 'kvm', 'irqbypass', 'snd_hda_codec_hdmi', 'i915']);
  });
  it.each([
    [['kvm_intel', 'kvm', 'irqbypass'], ['kvm_intel'], 'hardware'],
    [['kvm_amd', 'kvm', 'ccp'], ['kvm_amd'], 'hardware'],
    [['kvm_pvm', 'kvm'], ['kvm_pvm'], 'software'],
    [['kvm'], [], 'none'],
    [['ext4'], [], 'none'],
  ] as const)('%j → %j, %s', (names, vendor, kind) => {
    expect(kvmVendorModules(names)).toEqual(vendor);
    expect(kvmKindOf(kvmVendorModules(names))).toBe(kind);
  });
});

describe('small parsers', () => {
  it.each([
    ['Y\n', true],
    ['1\n', true],
    ['N\n', false],
    ['0', false],
    ['maybe', null],
  ])('nested %j → %s', (text, value) => {
    expect(parseNestedParam(text)).toBe(value);
  });
  it('QEMU version', () => {
    expect(parseQemuVersion('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright (c) 2003-2022 Fabrice Bellard\n')).toBe('7.2.22');
    expect(parseQemuVersion('QEMU emulator version 9.0.0\n')).toBe('9.0.0');
    expect(parseQemuVersion('bash: qemu: not found')).toBeNull();
  });
});

const base: HostFacts = {
  cpu: { vendor: 'GenuineIntel', virtFlag: 'vmx', underHypervisor: false },
  kvmDevice: { state: 'ok', path: '/dev/kvm' },
  modules: { names: ['kvm_intel'], source: '/proc/modules' },
  nested: { module: 'kvm_intel', on: true },
  qemu: { binary: 'qemu-system-x86_64', path: '/usr/bin/qemu-system-x86_64', version: '7.2.22' },
  libvirt: [],
};

describe('buildHostCheck', () => {
  it('a school PC with VT-x: all green, Linux under KVM', () => {
    const check = buildHostCheck(base);
    expect(check).toMatchObject({ kvmKind: 'hardware', kvmUsable: true, linuxAccel: 'kvm', summary: 'check.summary.hardware' });
    expect(check.items.filter((i) => i.status === 'fail')).toEqual([]);
  });

  it('this kind of cloud VM (kvm_pvm): usable KVM, but Linux on TCG', () => {
    const check = buildHostCheck({
      ...base,
      cpu: { vendor: 'AuthenticAMD', virtFlag: null, underHypervisor: true },
      modules: { names: ['kvm_pvm'], source: '/sys/module' },
      nested: null,
    });
    expect(check).toMatchObject({ kvmKind: 'software', kvmUsable: true, linuxAccel: 'tcg', summaryParams: { module: 'kvm_pvm' } });
    expect(check.items.find((i) => i.id === 'kvm-module')).toMatchObject({ status: 'warn', message: 'check.kvm-module.software', fixes: ['fix.use-tcg'] });
    expect(check.items.find((i) => i.id === 'cpu')).toMatchObject({ status: 'warn', fixes: ['fix.nested-cloud', 'fix.use-tcg'] });
  });

  it('VT-x off in firmware: tells to enable it', () => {
    const check = buildHostCheck({
      ...base,
      cpu: { vendor: 'GenuineIntel', virtFlag: null, underHypervisor: false },
      kvmDevice: { state: 'missing', path: '/dev/kvm' },
      modules: { names: [], source: '/proc/modules' },
      nested: null,
    });
    expect(check).toMatchObject({ kvmKind: 'none', kvmUsable: false, linuxAccel: 'tcg' });
    expect(check.items.find((i) => i.id === 'cpu')).toMatchObject({ status: 'fail', fixes: ['fix.enable-virt-firmware', 'fix.use-tcg'] });
    expect(check.items.find((i) => i.id === 'kvm-device')?.fixes).toContain('fix.load-kvm-module');
  });

  it('not in the kvm group: tells usermod', () => {
    const check = buildHostCheck({ ...base, kvmDevice: { state: 'denied', path: '/dev/kvm', mode: '0660', owner: 'root', group: 'kvm' } });
    expect(check.items.find((i) => i.id === 'kvm-device')).toMatchObject({ status: 'fail', fixes: ['fix.kvm-group'], params: { group: 'kvm' } });
    expect(check.kvmUsable).toBe(false);
  });

  it('no QEMU: tells apt install', () => {
    const check = buildHostCheck({ ...base, qemu: { binary: 'qemu-system-x86_64', missing: true } });
    expect(check.items.find((i) => i.id === 'qemu')).toMatchObject({ status: 'fail', fixes: ['fix.install-qemu'] });
  });

  it('green and info items carry no fixes', () => {
    for (const item of buildHostCheck(base).items) if (item.status === 'ok' || item.status === 'info') expect(item.fixes).toEqual([]);
  });
});

describe('gatherHostFacts on a fixture tree', () => {
  const root = mkdtempSync(join(tmpdir(), 'hostcheck-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads cpuinfo, modules and nested from /proc and /sys', async () => {
    mkdirSync(join(root, 'proc'));
    mkdirSync(join(root, 'sys/module/kvm_intel/parameters'), { recursive: true });
    writeFileSync(join(root, 'proc/cpuinfo'), fixture('cpuinfo-intel-vmx.txt'));
    writeFileSync(join(root, 'proc/modules'), fixture('proc-modules-intel.txt'));
    writeFileSync(join(root, 'sys/module/kvm_intel/parameters/nested'), 'Y\n');
    const facts = await gatherHostFacts({ root, kvmDevice: join(root, 'no-kvm'), qemuBinary: join(root, 'no-qemu') });
    expect(facts).toMatchObject({
      cpu: { vendor: 'GenuineIntel', virtFlag: 'vmx' },
      modules: { names: ['kvm_intel'], source: '/proc/modules' },
      nested: { module: 'kvm_intel', on: true },
      kvmDevice: { state: 'missing' },
      qemu: { missing: true },
    });
  });

  it('falls back to /sys/module where /proc/modules is hidden (containers)', async () => {
    const other = mkdtempSync(join(tmpdir(), 'hostcheck-'));
    mkdirSync(join(other, 'sys/module/kvm_pvm/parameters'), { recursive: true });
    mkdirSync(join(other, 'sys/module/kvm'), { recursive: true });
    const facts = await gatherHostFacts({ root: other, kvmDevice: '/nonexistent', qemuBinary: '/nonexistent' });
    rmSync(other, { recursive: true, force: true });
    expect(facts.modules).toEqual({ names: ['kvm_pvm'], source: '/sys/module' });
    expect(facts.nested).toBeNull();
    expect(facts.cpu).toHaveProperty('error');
  });
});
