import type { PcPageKey } from './strings';

/** One command the machine page suggests, with the lesson whose hands-on box runs it. */
export interface PcCommand {
  /** Exactly as typed at the guest's prompt. */
  command: string;
  /** What it shows, in src/features/pc/strings.ts. */
  what: PcPageKey;
  /**
   * Key of the lesson whose `<HandsOn kind="machine">` box uses this command (checked in
   * test/unit/content-integrity.test.ts). Absent when no lesson uses it.
   */
  lessonKey?: string;
}

/** Commands worth trying on /mesin/ and /en/machine/. */
export const MACHINE_COMMANDS: readonly PcCommand[] = [
  { command: 'uname -a', what: 'cmd.uname', lessonKey: '01-apa-itu-virtualisasi' },
  { command: 'cat /proc/cpuinfo', what: 'cmd.cpuinfo', lessonKey: '01-apa-itu-virtualisasi' },
  { command: 'free -h', what: 'cmd.free', lessonKey: '02-berbagi-sumber-daya' },
  { command: 'dmesg | grep -i hypervisor', what: 'cmd.dmesg', lessonKey: '01-apa-itu-virtualisasi' },
  { command: 'mount -o loop kursus.iso /mnt', what: 'cmd.iso', lessonKey: '02-berbagi-sumber-daya' },
  { command: 'cpuid-info', what: 'cmd.cpuid', lessonKey: '05-virtualisasi-cpu' },
  // No lesson runs vbench: it measures the emulator itself, which no lesson teaches.
  { command: 'vbench -s 10', what: 'cmd.vbench' },
];
