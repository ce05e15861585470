import { z } from 'zod';
import { slugSchema } from './common.ts';

/**
 * A bridge machine definition, `src/kvm-bridge/machines/<id>.yaml`: a virtual machine the KVM
 * bridge may start. The bridge starts guests only from these files: a client names a machine
 * (the protocol's `lab` field) and a variant, never a command line or a path. Not to be confused
 * with a guided lab (labs/<id>/, src/schemas/guided-lab.ts), the student's unit of practice.
 */

/** A bare file name inside the guest image directory (no slashes, no `..`). */
export const imageFileNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'a file name such as bzImage or initramfs.cpio.gz, no directories');

const bilingualSchema = z
  .object({
    /** Indonesian text (shown first). */
    id: z.string().min(1),
    /** English text. */
    en: z.string().min(1),
  })
  .strict();

/**
 * One emulated device. Each kind maps to fixed QEMU arguments in src/kvm-bridge/qemu.ts.
 * `scratch-disk`: an empty raw disk in the guest's private temporary directory (never a host file).
 * `rng`: an entropy source.
 */
export const machineDeviceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('scratch-disk'),
      /** `ide`: an emulated PIIX IDE disk (traps on every port access); `virtio`: a paravirtual virtio-blk disk. */
      bus: z.enum(['ide', 'virtio']),
      /** Size in MiB, 1–64. */
      sizeMiB: z.number().int().min(1).max(64),
    })
    .strict(),
  z
    .object({
      kind: z.literal('rng'),
      /** Only virtio-rng exists as a device; the emulated alternative is no device at all. */
      bus: z.literal('virtio'),
    })
    .strict(),
]);
export type MachineDevice = z.infer<typeof machineDeviceSchema>;

export const machineVariantSchema = z
  .object({
    /** What this variant shows, e.g. "Disk IDE teremulasi" / "Emulated IDE disk". */
    title: bilingualSchema,
    /** Devices added to the machine, in order. Default: none. */
    devices: z.array(machineDeviceSchema).max(4).default([]),
  })
  .strict();

export const machineGuestSchema = z
  .object({
    /** QEMU system emulator: `i386` → qemu-system-i386, `x86_64` → qemu-system-x86_64. */
    arch: z.enum(['i386', 'x86_64']),
    /** QEMU machine type. `microvm` has no PCI bus (virtio devices become virtio-mmio). */
    machine: z.enum(['pc', 'q35', 'microvm']),
    /** Guest RAM in MiB (16–1024); the bridge refuses labs above its per-guest limit. */
    memoryMiB: z.number().int().min(16).max(1024),
    /** Kernel image, a file in the guest image directory (`--guest-dir`, default .cache/guest). */
    kernel: imageFileNameSchema,
    /** Initramfs, a file in the same directory; absent when the kernel carries its own (as the course's does). */
    initramfs: imageFileNameSchema.optional(),
    /** Kernel command line; the bridge appends `console=ttyS0,115200`. Default: empty. */
    cmdline: z.string().max(500).default(''),
    /**
     * A regular expression (JavaScript syntax) matched against the end of the console output; the
     * first match marks the guest `running`. busybox ash may send `ESC[6n` right after its prompt.
     */
    prompt: z.string().min(1).max(200),
    /** Seconds to reach the prompt before a boot counts as failed, per accelerator. */
    bootTimeoutSeconds: z
      .object({ tcg: z.number().int().min(5).max(600), kvm: z.number().int().min(5).max(600) })
      .strict()
      .default({ tcg: 120, kvm: 60 }),
    /** The variants a learner can pick, by id, e.g. `emulated` and `virtio`. At least one. */
    variants: z.record(slugSchema, machineVariantSchema).refine((v) => Object.keys(v).length > 0, 'at least one variant'),
  })
  .strict()
  .superRefine((guest, ctx) => {
    try {
      new RegExp(guest.prompt);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['prompt'], message: `not a valid regular expression: ${String(error)}` });
    }
    if (guest.machine !== 'microvm') return;
    for (const [id, variant] of Object.entries(guest.variants)) {
      if (variant.devices.some((d) => d.bus === 'ide')) {
        ctx.addIssue({ code: 'custom', path: ['variants', id], message: 'microvm has no IDE controller' });
      }
    }
  });
export type MachineGuest = z.infer<typeof machineGuestSchema>;

export const bridgeMachineSchema = z
  .object({
    /** Must equal the file name, `<id>.yaml`. */
    id: slugSchema,
    /** Shown in the site's guest picker. */
    title: bilingualSchema,
    /** The virtual machine. */
    guest: machineGuestSchema,
  })
  .strict();
export type BridgeMachine = z.infer<typeof bridgeMachineSchema>;
