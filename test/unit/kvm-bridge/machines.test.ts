import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMachines, MachineDefinitionError } from '../../../src/kvm-bridge/machines.ts';
import { MESSAGES, formatMessage, type MessageKey } from '../../../src/protocol/texts.ts';
import {
  expectedExits,
  haltOffset,
  microProgramBytes,
  HELLO_TEXT,
  MICRO_LOAD_ADDRESS,
} from '../../../src/protocol/micro-programs.ts';
import { buildQemuArgs, classifyQemuStderr, labVariant, qemuBinaryName } from '../../../src/kvm-bridge/qemu-args.ts';
import { preflight } from '../../../src/kvm-bridge/qemu.ts';
import { statsSnapshot, sumStatsReply } from '../../../src/kvm-bridge/stats.ts';

const repoMachines = new URL('../../../src/kvm-bridge/machines/', import.meta.url).pathname;

describe('src/kvm-bridge/machines/', () => {
  const labs = loadMachines(repoMachines);
  const lab = labs.get('linux-guest');

  it('defines the course guest with an emulated and a virtio variant', () => {
    expect(lab).toMatchObject({ guest: { arch: 'i386', machine: 'pc', kernel: 'bzImage', memoryMiB: 128 } });
    // The course's kernel carries its initramfs.
    expect(lab?.guest.initramfs).toBeUndefined();
    expect(Object.keys(lab?.guest.variants ?? {}).sort()).toEqual(['emulated', 'virtio']);
  });

  it('its prompt pattern matches the guest prompt, with and without ESC[6n', () => {
    const prompt = new RegExp(lab?.guest.prompt ?? '^$');
    expect(prompt.test('Run /init\r\n~ # ')).toBe(true);
    expect(prompt.test('\r\n~ # \u001b[6n')).toBe(true);
    expect(prompt.test('/tmp $ ')).toBe(true);
    expect(prompt.test('~ # ls')).toBe(false);
  });

  it('rejects a machine whose id differs from its file name, or with unknown fields', () => {
    const dir = mkdtempSync(join(tmpdir(), 'labs-'));
    try {
      writeFileSync(
        join(dir, 'a.yaml'),
        'id: b\ntitle: { id: x, en: x }\nguest: { arch: i386, machine: pc, memoryMiB: 64, kernel: k, initramfs: i, prompt: "# $", variants: { v: { title: { id: x, en: x } } } }\n',
      );
      expect(() => loadMachines(dir)).toThrow(/must equal the file name/);
      writeFileSync(
        join(dir, 'a.yaml'),
        'id: a\ntitle: { id: x, en: x }\nguest: { arch: i386, machine: pc, memoryMiB: 64, kernel: ../../etc/passwd, initramfs: i, prompt: "# $", variants: { v: { title: { id: x, en: x } } } }\n',
      );
      expect(() => loadMachines(dir)).toThrow(MachineDefinitionError);
      writeFileSync(
        join(dir, 'a.yaml'),
        'id: a\ntitle: { id: x, en: x }\nguest: { arch: i386, machine: microvm, memoryMiB: 64, kernel: k, initramfs: i, prompt: "# $", variants: { v: { title: { id: x, en: x }, devices: [{ kind: scratch-disk, bus: ide, sizeMiB: 1 }] } } }\n',
      );
      expect(() => loadMachines(dir)).toThrow(/microvm has no IDE/);
      writeFileSync(
        join(dir, 'a.yaml'),
        'id: a\ntitle: { id: x, en: x }\nqemuArgs: [-hda, /dev/sda]\nguest: { arch: i386, machine: pc, memoryMiB: 64, kernel: k, initramfs: i, prompt: "# $", variants: { v: { title: { id: x, en: x } } } }\n',
      );
      expect(() => loadMachines(dir)).toThrow(MachineDefinitionError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('QEMU arguments', () => {
    const paths = {
      kernel: '/g/bzImage',
      qmpSocket: '/t/qmp.sock',
      serialSocket: '/t/console.sock',
      scratchDisks: ['/t/scratch0.img'],
    };
    if (!lab) throw new Error('machines/linux-guest.yaml missing');

    it('have the security defaults and no network or sharing', () => {
      const args = buildQemuArgs(lab, 'virtio', 'tcg', paths);
      expect(args.slice(0, 4)).toEqual([
        '-nodefaults',
        '-no-user-config',
        '-sandbox',
        'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny',
      ]);
      const joined = args.join(' ');
      for (const forbidden of ['-net', '-nic', 'netdev', 'virtfs', '-fsdev', '9p', 'vhost-user', '-hda', 'if=ide'])
        expect(joined).not.toContain(forbidden);
      expect(args).toContain('-no-reboot');
      // A quiet console (kernel messages stay in dmesg), the lab's own options, then the console.
      expect(args[args.indexOf('-append') + 1]).toBe('loglevel=3 tsc=reliable console=ttyS0,115200');
      expect(args[args.indexOf('-accel') + 1]).toBe('tcg');
    });

    it('pass -initrd only for a lab that names an initramfs', () => {
      expect(buildQemuArgs(lab, 'virtio', 'tcg', paths)).not.toContain('-initrd');
      const separate = { ...lab, guest: { ...lab.guest, initramfs: 'initramfs.cpio' } };
      const args = buildQemuArgs(separate, 'virtio', 'tcg', { ...paths, initramfs: '/g/initramfs.cpio' });
      expect(args[args.indexOf('-initrd') + 1]).toBe('/g/initramfs.cpio');
    });

    it('differ between emulated and virtio variants', () => {
      const emulated = buildQemuArgs(lab, 'emulated', 'kvm', paths).join(' ');
      const virtio = buildQemuArgs(lab, 'virtio', 'kvm', paths).join(' ');
      expect(emulated).toContain('ide-hd,drive=disk0,bus=ide.0,unit=0');
      expect(virtio).toContain('virtio-blk-pci,drive=disk0');
      expect(virtio).toContain('virtio-rng-pci');
      expect(emulated).not.toContain('virtio');
    });

    it('let a lab choose another console log level after the quiet default', () => {
      const verbose = { ...lab, guest: { ...lab.guest, cmdline: 'loglevel=7' } };
      expect(buildQemuArgs(verbose, 'virtio', 'tcg', paths).join(' ')).toContain(
        '-append loglevel=3 loglevel=7 console=ttyS0,115200',
      );
    });

    it('pick the emulator by architecture', () => {
      expect(qemuBinaryName('i386')).toBe('qemu-system-i386');
      expect(qemuBinaryName('x86_64')).toBe('qemu-system-x86_64');
    });
  });
});

describe('variant names from a client', () => {
  const lab = loadMachines(repoMachines).get('linux-guest');
  if (!lab) throw new Error('machines/linux-guest.yaml missing');
  // Names a plain object answers through its prototype: none of them is a variant.
  const inherited = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

  it.each(inherited)('%s is no variant', (name) => {
    expect(labVariant(lab, name)).toBeUndefined();
    expect(preflight(lab, name, 'tcg', { guestDir: '/nonexistent', runtimeDir: '/nonexistent' })).toEqual({
      code: 'unknown-variant',
      params: { guest: 'linux-guest', variant: name },
    });
    expect(() => buildQemuArgs(lab, name, 'tcg', { kernel: 'k', qmpSocket: 'q', serialSocket: 's', scratchDisks: [] })).toThrow(
      /has no variant/,
    );
  });

  it('finds the real ones', () => {
    expect(labVariant(lab, 'virtio')?.devices.map((d) => d.kind)).toEqual(['scratch-disk', 'rng']);
  });
});

describe('QEMU stderr', () => {
  it.each([
    ['qemu-system-i386: -accel kvm: Could not access KVM kernel module: No such file or directory', 'kvm-missing'],
    ['qemu-system-i386: -accel kvm: Could not access KVM kernel module: Permission denied', 'kvm-permission-denied'],
    ['qemu-system-i386: -accel kvm: ioctl(KVM_CREATE_VM) failed: 25 Inappropriate ioctl for device', 'kvm-not-a-kvm-device'],
    ['KVM internal error. Suberror: 1\nemulation failure', 'kvm-internal-error'],
    [
      "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\n../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.",
      'kvm-internal-error',
    ],
    ['qemu-system-i386: -kernel /x: Could not open option rom', 'qemu-failed'],
  ])('%s → %s', (stderr, code) => {
    expect(classifyQemuStderr(stderr)).toBe(code);
  });
});

describe('query-stats', () => {
  it('sums vCPU counters and keeps only numbers', () => {
    const vcpu = [
      {
        provider: 'kvm',
        'qom-path': '/machine/unattached/device[0]',
        stats: [
          { name: 'exits', value: 10 },
          { name: 'halt_poll_fail_hist', value: [1, 2] },
        ],
      },
      {
        provider: 'kvm',
        'qom-path': '/machine/unattached/device[1]',
        stats: [
          { name: 'exits', value: 5 },
          { name: 'io_exits', value: 2 },
        ],
      },
    ];
    expect(sumStatsReply(vcpu)).toEqual({ exits: 15, io_exits: 2 });
  });
  it('calls an empty reply (TCG) unavailable', () => {
    expect(statsSnapshot([], [])).toEqual({ available: false, vm: {}, vcpu: {} });
    expect(statsSnapshot(null, 'x')).toEqual({ available: false, vm: {}, vcpu: {} });
  });
});

describe('micro-guest programs', () => {
  it('hello: code then NUL-terminated text, the text address patched into `mov si`', () => {
    const bytes = microProgramBytes('hello', 1);
    const textAddress = bytes[4]! | (bytes[5]! << 8);
    const offset = textAddress - MICRO_LOAD_ADDRESS;
    expect(new TextDecoder().decode(bytes.slice(offset, -1))).toBe(HELLO_TEXT);
    expect(bytes.at(-1)).toBe(0);
    expect(bytes[offset - 1]).toBe(0xf4); // hlt just before the text
    expect(expectedExits('hello', 1)).toEqual({ io: HELLO_TEXT.length, hlt: 1 });
  });
  it('out-loop: the iteration count as a little-endian imm32', () => {
    const bytes = microProgramBytes('out-loop', 0x01020304);
    expect([...bytes.slice(0, 6)]).toEqual([0x66, 0xb9, 0x04, 0x03, 0x02, 0x01]);
    // The report's routine follows the hlt; the hlt is where haltOffset says.
    expect(bytes[haltOffset('out-loop')]).toBe(0xf4);
    expect(bytes.at(-1)).toBe(0xc3); // ret of hex8
  });
});

describe('messages', () => {
  const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
  it.each(Object.keys(MESSAGES.id) as MessageKey[])('%s has the same placeholders in id and en', (key) => {
    expect(MESSAGES.id[key].length).toBeGreaterThan(0);
    expect(placeholders(MESSAGES.id[key])).toEqual(placeholders(MESSAGES.en[key]));
  });
  it('formats with parameters and leaves unknown ones visible', () => {
    expect(formatMessage('too-many-guests', 'id', { max: 2 })).toBe('Sudah ada 2 guest berjalan. Hentikan satu dulu.');
    expect(formatMessage('too-many-guests', 'en')).toContain('{max}');
  });
});
