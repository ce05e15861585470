/**
 * Host check: like `kvm-ok`, but it says why and what to do. The parsers and the checklist are pure
 * functions of file contents (tested with real-format fixtures); {@link gatherHostFacts} is the only
 * part that reads the machine.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CheckItem, HostCheck, KvmKind } from '../protocol/schema.ts';
import type { MessageKey } from '../protocol/texts.ts';

// ------------------------------------------------------------------ pure parsers

export interface CpuFacts {
  vendor: string;
  /** `vmx` (Intel VT-x), `svm` (AMD-V) or null when neither flag is shown. */
  virtFlag: 'vmx' | 'svm' | null;
  /** The `hypervisor` flag: this "host" is itself a virtual machine. */
  underHypervisor: boolean;
}

/**
 * Reads vendor and flags of the first processor in /proc/cpuinfo.
 * @example parseCpuInfo('vendor_id\t: GenuineIntel\nflags\t\t: fpu vmx\n') // { vendor: 'GenuineIntel', virtFlag: 'vmx', underHypervisor: false }
 */
export function parseCpuInfo(text: string): CpuFacts {
  const field = (name: string): string | undefined =>
    text
      .split('\n')
      .find((line) => line.split(':')[0]?.trim() === name)
      ?.split(':')
      .slice(1)
      .join(':')
      .trim();
  const flags = new Set((field('flags') ?? '').split(/\s+/).filter(Boolean));
  return {
    vendor: field('vendor_id') ?? 'unknown',
    virtFlag: flags.has('vmx') ? 'vmx' : flags.has('svm') ? 'svm' : null,
    underHypervisor: flags.has('hypervisor'),
  };
}

/**
 * Module names from /proc/modules (first column of each line).
 * @example parseProcModules('kvm_intel 409600 0 - Live 0x0\nkvm 1146880 1 kvm_intel, Live 0x0\n') // ['kvm_intel', 'kvm']
 */
export function parseProcModules(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.length > 0);
}

/**
 * The KVM vendor modules among loaded module names (`kvm` itself is the common core, not a vendor module).
 * @example kvmVendorModules(['kvm_amd', 'kvm', 'ccp']) // ['kvm_amd']
 */
export function kvmVendorModules(names: readonly string[]): string[] {
  return names.filter((name) => name.startsWith('kvm_')).sort();
}

/** hardware for kvm_intel/kvm_amd; software for any other vendor module (e.g. kvm_pvm); none without one. */
export function kvmKindOf(modules: readonly string[]): KvmKind {
  if (modules.some((m) => m === 'kvm_intel' || m === 'kvm_amd')) return 'hardware';
  return modules.length > 0 ? 'software' : 'none';
}

/**
 * /sys/module/kvm_{intel,amd}/parameters/nested holds `Y`/`N` (newer kernels) or `1`/`0` (older).
 * @example parseNestedParam('Y\n') // true
 */
export function parseNestedParam(text: string): boolean | null {
  const value = text.trim();
  if (value === 'Y' || value === '1') return true;
  if (value === 'N' || value === '0') return false;
  return null;
}

/**
 * @example parseQemuVersion('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\n…') // '7.2.22'
 */
export function parseQemuVersion(text: string): string | null {
  return /QEMU emulator version (\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1] ?? null;
}

// ------------------------------------------------------------------ the checklist (pure)

export type KvmDeviceFacts =
  | { state: 'ok'; path: string }
  | { state: 'missing'; path: string }
  | { state: 'denied'; path: string; mode: string; owner: string; group: string }
  /** Opens, but KVM_GET_API_VERSION fails (not a KVM device, or the FFI could not load). */
  | { state: 'unusable'; path: string; detail: string };

export interface HostFacts {
  cpu: CpuFacts | { error: string };
  kvmDevice: KvmDeviceFacts;
  /** Loaded KVM vendor modules and where that was read. */
  modules: { names: string[]; source: string };
  /** Value of the vendor module's `nested` parameter, or null when it has none. */
  nested: { module: string; on: boolean } | null;
  qemu: { binary: string; path: string; version: string } | { binary: string; missing: true };
  /** libvirt programs or sockets found. */
  libvirt: string[];
}

/** Turns facts into the checklist the page shows, with the fixes for each red item. */
export function buildHostCheck(facts: HostFacts): HostCheck {
  const items: CheckItem[] = [];
  const modulesKind = kvmKindOf(facts.modules.names);
  const primaryModule = facts.modules.names[0] ?? 'kvm';

  if ('error' in facts.cpu) {
    items.push(item('cpu', 'warn', 'check.cpu.unreadable', { detail: facts.cpu.error }));
  } else if (facts.cpu.virtFlag) {
    items.push(item('cpu', 'ok', 'check.cpu.hardware', { vendor: facts.cpu.vendor, flag: facts.cpu.virtFlag }));
  } else {
    const hypervisorNote = facts.cpu.underHypervisor ? ' (hypervisor)' : '';
    const fixes: MessageKey[] = facts.cpu.underHypervisor ? ['fix.nested-cloud', 'fix.use-tcg'] : ['fix.enable-virt-firmware', 'fix.use-tcg'];
    // A software KVM module works without vmx/svm, so then the missing flags are only worth a warning.
    items.push(item('cpu', modulesKind === 'software' ? 'warn' : 'fail', 'check.cpu.none', { vendor: facts.cpu.vendor, hypervisorNote }, fixes));
  }

  const dev = facts.kvmDevice;
  if (dev.state === 'ok') items.push(item('kvm-device', 'ok', 'check.kvm-device.ok', { path: dev.path }));
  else if (dev.state === 'missing') {
    items.push(item('kvm-device', 'fail', 'check.kvm-device.missing', { path: dev.path }, ['fix.enable-virt-firmware', 'fix.load-kvm-module']));
  } else if (dev.state === 'denied') {
    items.push(item('kvm-device', 'fail', 'check.kvm-device.denied', { path: dev.path, mode: dev.mode, owner: dev.owner, group: dev.group }, ['fix.kvm-group']));
  } else {
    items.push(item('kvm-device', 'fail', 'kvm-unusable', { detail: `${dev.path}: ${dev.detail}` }, ['fix.use-tcg']));
  }

  if (modulesKind === 'hardware') items.push(item('kvm-module', 'ok', 'check.kvm-module.hardware', { module: primaryModule }));
  else if (modulesKind === 'software') items.push(item('kvm-module', 'warn', 'check.kvm-module.software', { module: primaryModule }, ['fix.use-tcg']));
  else items.push(item('kvm-module', 'fail', 'check.kvm-module.none', { source: facts.modules.source }, ['fix.enable-virt-firmware', 'fix.load-kvm-module']));

  if (facts.nested === null) items.push(item('nested', 'info', 'check.nested.unknown', {}));
  else items.push(item('nested', 'info', facts.nested.on ? 'check.nested.on' : 'check.nested.off', { module: facts.nested.module }));

  if ('missing' in facts.qemu) items.push(item('qemu', 'fail', 'check.qemu.missing', { binary: facts.qemu.binary }, ['fix.install-qemu']));
  else items.push(item('qemu', 'ok', 'check.qemu.ok', { version: facts.qemu.version, path: facts.qemu.path }));

  if (facts.libvirt.length > 0) items.push(item('libvirt', 'info', 'check.libvirt.present', { found: facts.libvirt.join(', ') }));
  else items.push(item('libvirt', 'info', 'check.libvirt.absent', {}));

  const kvmUsable = dev.state === 'ok';
  const kvmKind: KvmKind = kvmUsable ? (modulesKind === 'none' ? 'software' : modulesKind) : 'none';
  const summary: MessageKey = kvmKind === 'hardware' ? 'check.summary.hardware' : kvmKind === 'software' ? 'check.summary.software' : 'check.summary.none';
  return {
    items,
    kvmKind,
    kvmUsable,
    linuxAccel: kvmKind === 'hardware' ? 'kvm' : 'tcg',
    summary,
    summaryParams: kvmKind === 'software' ? { module: primaryModule } : {},
  };
}

function item(id: CheckItem['id'], status: CheckItem['status'], message: MessageKey, params: CheckItem['params'], fixes: MessageKey[] = []): CheckItem {
  return { id, status, message, params, fixes: status === 'ok' || status === 'info' ? [] : fixes };
}

// ------------------------------------------------------------------ reading the machine

export interface HostPaths {
  /** Root of /proc and /sys (tests can point it at a fixture tree). Default '/'. */
  root?: string;
  kvmDevice?: string;
  /** Full path or bare name of the QEMU binary to report on. */
  qemuBinary?: string;
  /** Asks KVM_GET_API_VERSION; injected so this module does not load the FFI by itself. */
  probeKvm?: (devicePath: string) => void;
}

const execFileAsync = promisify(execFile);

/** Reads the facts from this machine. Never throws: unreadable things become facts too. */
export async function gatherHostFacts(paths: HostPaths = {}): Promise<HostFacts> {
  const root = paths.root ?? '/';
  const kvmPath = paths.kvmDevice ?? '/dev/kvm';
  const qemuBinary = paths.qemuBinary ?? 'qemu-system-x86_64';

  let cpu: HostFacts['cpu'];
  try {
    cpu = parseCpuInfo(readFileSync(join(root, 'proc/cpuinfo'), 'utf8'));
  } catch (error) {
    cpu = { error: String(error) };
  }

  const modules = readKvmModules(root);
  const nestedModule = modules.names.find((m) => existsSync(join(root, 'sys/module', m, 'parameters/nested')));
  const nested = nestedModule
    ? (() => {
        const on = parseNestedParam(readFileSync(join(root, 'sys/module', nestedModule, 'parameters/nested'), 'utf8'));
        return on === null ? null : { module: nestedModule, on };
      })()
    : null;

  const qemuPath = findExecutable(qemuBinary);
  let qemu: HostFacts['qemu'] = { binary: qemuBinary, missing: true };
  if (qemuPath) {
    try {
      const { stdout } = await execFileAsync(qemuPath, ['--version'], { timeout: 10_000 });
      qemu = { binary: qemuBinary, path: qemuPath, version: parseQemuVersion(stdout) ?? 'unknown' };
    } catch {
      qemu = { binary: qemuBinary, missing: true };
    }
  }

  const libvirt = ['virsh', 'libvirtd', 'virtqemud'].filter((name) => findExecutable(name) !== null);
  if (existsSync('/run/libvirt/libvirt-sock')) libvirt.push('/run/libvirt/libvirt-sock');

  return { cpu, kvmDevice: readKvmDevice(kvmPath, paths.probeKvm), modules, nested, qemu, libvirt };
}

/** /proc/modules lists loadable modules; some containers hide it, then /sys/module shows them too. */
function readKvmModules(root: string): HostFacts['modules'] {
  try {
    return { names: kvmVendorModules(parseProcModules(readFileSync(join(root, 'proc/modules'), 'utf8'))), source: '/proc/modules' };
  } catch {
    try {
      return { names: kvmVendorModules(readdirSync(join(root, 'sys/module'))), source: '/sys/module' };
    } catch {
      return { names: [], source: '/proc/modules, /sys/module (unreadable)' };
    }
  }
}

function readKvmDevice(path: string, probe: HostPaths['probeKvm']): KvmDeviceFacts {
  if (!existsSync(path)) return { state: 'missing', path };
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch {
    const st = statSync(path);
    return { state: 'denied', path, mode: (st.mode & 0o777).toString(8).padStart(4, '0'), owner: nameOfId('/etc/passwd', st.uid), group: nameOfId('/etc/group', st.gid) };
  }
  if (probe) {
    try {
      probe(path);
    } catch (error) {
      return { state: 'unusable', path, detail: error instanceof Error ? error.message : String(error) };
    }
  }
  return { state: 'ok', path };
}

/** Name for a numeric uid/gid from /etc/passwd or /etc/group, or the number itself. */
function nameOfId(file: string, id: number): string {
  try {
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === String(id));
    return line?.split(':')[0] ?? String(id);
  } catch {
    return String(id);
  }
}

/** Resolves a bare program name on PATH (or checks a path); null when not executable. */
export function findExecutable(nameOrPath: string): string | null {
  const candidates = nameOrPath.includes('/') ? [nameOrPath] : (process.env['PATH'] ?? '').split(':').filter(Boolean).map((dir) => join(dir, nameOrPath));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return null;
}
