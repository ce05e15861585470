import { z } from 'zod';

/**
 * The guest image's manifest (`/guest/manifest.json`), written by `npm run guest:build`
 * (scripts/guest/manifest.mjs) and read by the "about this machine" page and the guest
 * test tier. It names the exact package versions the image came from and the sha256 of
 * every input and output, so a learner or teacher can check what runs in their browser.
 */

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');

/** A package the image was built from or with. */
export const guestPackageSchema = z
  .object({
    /** Where the package comes from: Debian's archive (apt) or the npm registry. */
    registry: z.enum(['debian', 'npm']),
    /** Package name as the registry spells it, e.g. `linux-source-6.1`. */
    name: z.string().min(1),
    /** Exact version, e.g. `6.1.192-2` or `0.5.462`. */
    version: z.string().min(1),
    /** Debian architecture (`amd64`, `i386`, `all`); absent for npm packages. */
    arch: z.string().min(1).optional(),
    /** What the build takes from it, in English, e.g. "kernel source". */
    role: z.string().min(1),
  })
  .strict();

/** One file with its checksum. */
export const guestFileSchema = z
  .object({
    /** For outputs: the file name under `/guest/`. For inputs: a short name, e.g. `linux-source-6.1.tar.xz`. */
    name: z.string().min(1),
    /** Size in bytes. */
    bytes: z.number().int().nonnegative(),
    sha256: sha256Schema,
    /** For inputs: where it came from (a package name or a path in the repository). */
    from: z.string().min(1).optional(),
  })
  .strict();

export const guestManifestSchema = z
  .object({
    /** Bumped when the manifest's shape changes. */
    schemaVersion: z.literal(2),
    /** When the newest output was produced (ISO 8601, UTC). */
    builtAt: z.iso.datetime(),
    /** How v86 must be configured to run the image (a state restores only into the same configuration). */
    machine: z
      .object({
        memoryBytes: z.number().int().positive(),
        /** Whether v86 loads the initramfs as a separate initrd (Debian's fallback kernel) or it is inside the bzImage. */
        separateInitrd: z.boolean(),
        cmdline: z.string(),
        /** `uname -r` of the kernel, e.g. `6.1.192`. */
        kernelRelease: z.string().min(1),
      })
      .strict(),
    packages: z.array(guestPackageSchema).min(1),
    inputs: z.array(guestFileSchema).min(1),
    outputs: z.array(guestFileSchema).min(1),
    /** Measured while building: seconds the kernel build took and the boot used for the snapshot. */
    measurements: z
      .object({
        /** Wall-clock seconds of the last kernel compile (absent when the kernel came from the cache of an older build). */
        kernelBuildSeconds: z.number().nonnegative().optional(),
        /** Milliseconds from starting v86 (in Node) to the shell prompt, when the snapshot was taken. */
        coldBootMs: z.number().nonnegative(),
        /** Size of the saved state before zstd. */
        stateRawBytes: z.number().int().positive(),
      })
      .strict(),
  })
  .strict();

export type GuestManifest = z.infer<typeof guestManifestSchema>;
export type GuestPackage = z.infer<typeof guestPackageSchema>;
export type GuestFileEntry = z.infer<typeof guestFileSchema>;
