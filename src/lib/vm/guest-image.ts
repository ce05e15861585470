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
  /** Uncompressed newc cpio: busybox-static (i386) and the course's tools. */
  initrd: 'initramfs.cpio',
  /** v86 state saved at the shell prompt, zstd-compressed (v86 decompresses `.zst` itself). */
  state: 'state.bin.zst',
  /** Versions and sha256 of every input and output (see src/schemas/guest-manifest.ts). */
  manifest: 'manifest.json',
} as const;

export type GuestFile = keyof typeof GUEST_FILES;

/**
 * Guest RAM. v86 places a separate initrd at 64 MiB, so the machine needs more than that;
 * v86 wants a power of two.
 */
export const GUEST_MEMORY_BYTES = 128 * 1024 * 1024;

/**
 * Kernel command line for v86. `console=ttyS0,115200` puts the console on the first serial
 * port (v86's serial0, QEMU's `-serial`); `tsc=reliable` stops Linux from distrusting the
 * emulated TSC (its clocksource watchdog would otherwise switch clocks mid-lesson).
 */
export const GUEST_CMDLINE = 'console=ttyS0,115200 tsc=reliable';

/**
 * Devices besides the defaults: a second UART for lab-agent (scripts/guest/init.sh), the
 * guest's control line. Part of the saved state, so every v86 that restores it needs them.
 */
export const GUEST_V86_DEVICES = { uart1: true } as const;

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
