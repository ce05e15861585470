/**
 * The course's guest machine: which files make it and how v86 must be configured to run
 * it. One module, read by the image build (scripts/guest/), the guest test tier and the
 * browser back end, because a saved state only restores into a machine configured exactly
 * like the one that saved it (same memory size, same devices).
 */

/** File names under the site's `/guest/` folder (and under `.cache/guest/out/`). */
export const GUEST_FILES = {
  /** SeaBIOS from Debian's `seabios` package; a serial-console guest needs no VGA BIOS. */
  bios: 'bios.bin',
  /** i386 Linux built from Debian's `linux-source-6.1` (tinyconfig + scripts/guest/kernel.config). */
  kernel: 'bzImage',
  /**
   * Uncompressed newc cpio: busybox-static (i386) and the course's tools. Built into the
   * bzImage; served on its own only with Debian's fallback kernel (see {@link GuestMachine}).
   */
  initrd: 'initramfs.cpio',
  /** v86 state saved at the shell prompt, zstd-compressed (v86 decompresses `.zst` itself). */
  state: 'state.bin.zst',
  /** Versions and sha256 of every input and output (see src/schemas/guest-manifest.ts). */
  manifest: 'manifest.json',
} as const;

export type GuestFile = keyof typeof GUEST_FILES;

/**
 * How v86 must be set up for the built image; written into the manifest by the build and
 * passed from there to every v86 that runs it, because a saved state restores only into
 * the machine that saved it.
 */
export interface GuestMachine {
  /** Guest RAM in bytes (the browser tab holds all of it). */
  memoryBytes: number;
  /** Whether the initramfs is a separate file (v86 `initrd`) rather than inside the bzImage. */
  separateInitrd: boolean;
}

/**
 * The machine part of a manifest's `machine` (which also names the kernel and command line).
 * @example guestMachine(manifest.machine) // → { memoryBytes: 33554432, separateInitrd: false }
 */
export function guestMachine({ memoryBytes, separateInitrd }: GuestMachine): GuestMachine {
  return { memoryBytes, separateInitrd };
}

/**
 * The course's own kernel carries its initramfs, so guest RAM can be small: 32 MiB leaves
 * the shell, lesson 2's loop devices and 8 MiB swap, and vbench (which maps 256 KiB at a
 * time) room to spare. Debian's fallback kernel needs a separate initrd, which v86 places
 * at 64 MiB, so that machine needs 128 MiB (v86 wants a power of two).
 */
export const GUEST_MACHINES = {
  embedded: { memoryBytes: 32 * 1024 * 1024, separateInitrd: false },
  separate: { memoryBytes: 128 * 1024 * 1024, separateInitrd: true },
} as const satisfies Record<string, GuestMachine>;

/**
 * The smallest VGA memory v86 accepts (256 KiB) instead of its 8 MiB default: the guest
 * uses only the serial console, and the tab would hold the VGA memory too.
 */
export const GUEST_VGA_MEMORY_BYTES = 256 * 1024;

/**
 * Kernel command line for v86. `console=ttyS0,115200` puts the console on the first serial
 * port (v86's serial0, QEMU's `-serial`); `tsc=reliable` stops Linux from distrusting the
 * emulated TSC (its clocksource watchdog would otherwise switch clocks mid-lesson).
 */
export const GUEST_CMDLINE = 'console=ttyS0,115200 tsc=reliable';

/**
 * Devices besides the defaults: a second UART for lab-agent (scripts/guest/init.sh), the
 * guest's control line, and the small VGA memory. Part of the saved state, so every v86
 * that restores it needs them.
 */
export const GUEST_V86_DEVICES = { uart1: true, vga_memory_size: GUEST_VGA_MEMORY_BYTES } as const;

/** Serial port numbers as v86 counts them. */
export const CONSOLE_PORT = 0;
export const AGENT_PORT = 1;

/**
 * A lab-agent command setting the console's window size.
 * @example agentWinsize(100, 30) // → 'winsize 100 30\n'
 */
export function agentWinsize(cols: number, rows: number): string {
  const clamp = (n: number, max: number) => Math.max(1, Math.min(max, Math.floor(n)));
  return `winsize ${clamp(cols, 1000)} ${clamp(rows, 1000)}\n`;
}
