/**
 * The QEMU command line of a guest, as a pure function of a checked lab definition, a variant, an
 * accelerator and the paths of the guest's private directory. Nothing a client sends reaches this
 * function except the names used to look the lab and variant up.
 */
import type { BridgeMachine, MachineDevice } from '../schemas/bridge-machine.ts';
import type { Accel } from '../protocol/schema.ts';

export interface GuestPaths {
  kernel: string;
  /** Absent when the kernel carries its initramfs (`-initrd` is then left out). */
  initramfs?: string | undefined;
  /** Unix socket QEMU listens on for QMP. */
  qmpSocket: string;
  /** Unix socket QEMU listens on for the first serial port. */
  serialSocket: string;
  /** One file per scratch disk of the variant, in device order (created by the caller). */
  scratchDisks: string[];
}

/** The console the bridge reads; 115200 baud, because at 9600 each keystroke costs ~5 ms. */
export const CONSOLE_ARG = 'console=ttyS0,115200';

/**
 * The console is the learner's terminal, so the kernel prints only critical messages there
 * (`loglevel=3`: KERN_CRIT and worse, e.g. an oops or a panic). Otherwise lines such as
 * "clocksource: Switched to clocksource tsc", logged a moment after the shell started, land after
 * the prompt and the terminal looks frozen. Everything stays in the kernel's log (`dmesg`). Put
 * before the lab's own command line, so a lab may ask for another level.
 */
export const QUIET_CONSOLE_ARG = 'loglevel=3';

/**
 * A lab's variant by name, or undefined. Only the definition's own entries count: the name comes
 * from a client, and `variants['constructor']` of a plain object is Object's constructor.
 * @example labVariant(lab, 'virtio') // { title: …, devices: […] }
 * @example labVariant(lab, 'constructor') // undefined
 */
export function labVariant(lab: BridgeMachine, variantId: string): BridgeMachine['guest']['variants'][string] | undefined {
  return Object.hasOwn(lab.guest.variants, variantId) ? lab.guest.variants[variantId] : undefined;
}

export function qemuBinaryName(arch: BridgeMachine['guest']['arch']): string {
  return arch === 'i386' ? 'qemu-system-i386' : 'qemu-system-x86_64';
}

/** What differs between the QEMU processes the bridge starts (course guests, micro-runs). */
export interface QemuBase {
  /** Shown in `ps` and QEMU's messages. */
  name: string;
  /** The `-machine` value. */
  machine: string;
  accel: Accel;
  memoryMiB: number;
  /** Unix socket QEMU listens on for QMP. */
  qmpSocket: string;
  /** Unix socket QEMU listens on for the first serial port. */
  serialSocket: string;
}

/**
 * The start of every QEMU command line the bridge runs: sandboxed, nothing from the host's
 * config, no default devices, one vCPU, no display, paused, controlled over two private sockets.
 * The caller adds what the machine runs (kernel or ROM) and its devices.
 * @example hardenedQemuArgs(base).slice(0, 3) // ['-nodefaults', '-no-user-config', '-sandbox']
 */
export function hardenedQemuArgs(base: QemuBase): string[] {
  return [
    // No default devices (network card, VGA, floppy, CD-ROM) and no config files from the host.
    '-nodefaults',
    '-no-user-config',
    // seccomp: QEMU may not exec, change privileges or use obsolete syscalls once running.
    '-sandbox',
    'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny',
    '-name',
    base.name,
    '-machine',
    base.machine,
    '-accel',
    base.accel,
    '-m',
    String(base.memoryMiB),
    '-smp',
    '1',
    '-display',
    'none',
    // A guest reboot ends QEMU instead of looping through the boot again.
    '-no-reboot',
    // Start paused: the bridge attaches the console first, so no byte of the boot is lost.
    '-S',
    '-chardev',
    `socket,id=qmp,path=${base.qmpSocket},server=on,wait=off`,
    '-mon',
    'chardev=qmp,mode=control',
    '-chardev',
    `socket,id=console,path=${base.serialSocket},server=on,wait=off`,
    '-serial',
    'chardev:console',
    '-msg',
    'timestamp=off',
  ];
}

/**
 * @example buildQemuArgs(lab, 'virtio', 'tcg', paths) // ['-nodefaults', '-no-user-config', '-sandbox', …]
 */
export function buildQemuArgs(lab: BridgeMachine, variantId: string, accel: Accel, paths: GuestPaths): string[] {
  const guest = lab.guest;
  const variant = labVariant(lab, variantId);
  if (!variant) throw new Error(`lab ${lab.id} has no variant ${variantId}`);
  const cmdline = [QUIET_CONSOLE_ARG, guest.cmdline, CONSOLE_ARG].filter(Boolean).join(' ');
  const args = [
    ...hardenedQemuArgs({
      name: `lab-${lab.id}`,
      machine: machineArg(guest.machine),
      accel,
      memoryMiB: guest.memoryMiB,
      qmpSocket: paths.qmpSocket,
      serialSocket: paths.serialSocket,
    }),
    '-kernel',
    paths.kernel,
    ...(paths.initramfs === undefined ? [] : ['-initrd', paths.initramfs]),
    '-append',
    cmdline,
  ];
  let disk = 0;
  for (const device of variant.devices) {
    args.push(...deviceArgs(device, guest.machine, disk, paths));
    if (device.kind === 'scratch-disk') disk += 1;
  }
  return args;
}

function machineArg(machine: BridgeMachine['guest']['machine']): string {
  // microvm needs the legacy PIT/PIC/RTC for a stock kernel and ACPI off (measured: it hangs otherwise).
  if (machine === 'microvm') return 'microvm,pit=on,pic=on,rtc=on,acpi=off';
  return machine;
}

function deviceArgs(
  device: MachineDevice,
  machine: BridgeMachine['guest']['machine'],
  diskIndex: number,
  paths: GuestPaths,
): string[] {
  const virtioSuffix = machine === 'microvm' ? 'device' : 'pci';
  if (device.kind === 'rng') return ['-device', `virtio-rng-${virtioSuffix}`];
  const file = paths.scratchDisks[diskIndex];
  if (!file) throw new Error(`no scratch disk file for disk ${diskIndex}`);
  const id = `disk${diskIndex}`;
  const drive = ['-drive', `if=none,id=${id},format=raw,file=${file}`];
  // PIIX has two IDE buses with two units each.
  if (device.bus === 'ide')
    return [...drive, '-device', `ide-hd,drive=${id},bus=ide.${Math.floor(diskIndex / 2)},unit=${diskIndex % 2}`];
  return [...drive, '-device', `virtio-blk-${virtioSuffix},drive=${id}`];
}

export type QemuFailureCode =
  'kvm-missing' | 'kvm-permission-denied' | 'kvm-not-a-kvm-device' | 'kvm-internal-error' | 'qemu-failed';

/**
 * What QEMU's stderr says went wrong (messages of QEMU 7.2, measured).
 * @example classifyQemuStderr('Could not access KVM kernel module: Permission denied') // 'kvm-permission-denied'
 */
export function classifyQemuStderr(stderr: string): QemuFailureCode {
  if (/Could not access KVM kernel module: No such file or directory/.test(stderr)) return 'kvm-missing';
  if (/Could not access KVM kernel module: Permission denied/.test(stderr)) return 'kvm-permission-denied';
  if (/Inappropriate ioctl for device/.test(stderr)) return 'kvm-not-a-kvm-device';
  if (isKvmFault(stderr)) return 'kvm-internal-error';
  return 'qemu-failed';
}

/** Lines QEMU prints when KVM cannot run the guest any further. */
export function isKvmFault(stderr: string): boolean {
  return /KVM internal error|kvm run failed|failed to set MSR|kvm_buf_set_msrs|KVM: entry failed|emulation failure/i.test(stderr);
}
