// Shared by the guest tier: the built image's files, read from the pipeline's output folder.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { INITRAMFS } from '../../scripts/guest/initramfs.mjs';
import { DIRS } from '../../scripts/guest/paths.mjs';
import { GUEST_FILES, guestMachine, type GuestFile, type GuestMachine } from '../../src/guest/image';
import { guestManifestSchema, type GuestManifest } from '../../src/schemas/guest-manifest';

export { NodeGuest } from '../../scripts/guest/v86-node.mjs';

/** Path of an output file of `npm run guest:build` (the initramfs is an intermediate: see GuestMachine). */
export const outputPath = (file: GuestFile) => (file === 'initrd' ? INITRAMFS : path.join(DIRS.out, GUEST_FILES[file]));

/** Path of a host-runnable tool binary. */
export const toolPath = (name: 'cpuid-info' | 'vbench') => path.join(DIRS.tools, name);

/**
 * Reads image files, failing with the command that makes them: this tier tests the real
 * image, so a missing one is a failure, never a skip.
 */
export function readGuestFiles<F extends GuestFile>(files: readonly F[]): Record<F, Uint8Array> {
  const missing = files.filter((f) => !existsSync(outputPath(f)));
  if (missing.length > 0) {
    throw new Error(
      `The guest image is missing (${missing.map((f) => outputPath(f)).join(', ')}). ` +
        'Build it first with `npm run guest:build` (takes minutes the first time; later runs reuse the cache).',
    );
  }
  return Object.fromEntries(files.map((f) => [f, new Uint8Array(readFileSync(outputPath(f)))])) as Record<F, Uint8Array>;
}

/** The image's manifest, schema-checked. */
export function readManifest(): GuestManifest {
  const { manifest } = readGuestFiles(['manifest']);
  return guestManifestSchema.parse(JSON.parse(new TextDecoder().decode(manifest)));
}

/** The machine the image was built for (the manifest's `machine`). */
export function builtMachine(): GuestMachine {
  return guestMachine(readManifest().machine);
}

/** What v86 or QEMU boots from scratch: the initramfs file only where it is not inside the bzImage. */
export function bootFiles(): { bios: Uint8Array; kernel: Uint8Array; initrd?: Uint8Array } {
  const { bios, kernel } = readGuestFiles(['bios', 'kernel']);
  return builtMachine().separateInitrd ? { bios, kernel, initrd: readGuestFiles(['initrd']).initrd } : { bios, kernel };
}

/** One parsed line of vbench output. */
export interface VbenchLine {
  tool: 'vbench';
  workload: 'cpu' | 'syscall' | 'pagefault' | 'portio';
  iterations?: number;
  elapsed_ns?: number;
  ns_per_op?: number;
  checksum?: string;
  skipped?: string;
  errno?: number;
}

/** vbench's output lines as objects (throws on a line that is not JSON). */
export function parseVbench(output: string): VbenchLine[] {
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => JSON.parse(l) as VbenchLine);
}

/**
 * The checksum vbench's cpu workload must print for `n` iterations: xorshift32 from the
 * same seed, computed here independently of the guest.
 */
export function expectedCpuChecksum(n: number): string {
  let x = 2463534242;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    sum = (sum + x) >>> 0;
  }
  return `0x${((x ^ sum) >>> 0).toString(16).padStart(8, '0')}`;
}
