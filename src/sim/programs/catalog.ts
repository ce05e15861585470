import { assembleOrThrow } from '../asm/assemble.ts';
import type { Bilingual } from '../locale.ts';
import type { Program } from '../machine/program.ts';
import {
  cpuBoundSource,
  forkSource,
  ioHeavySource,
  osMixSource,
  popfFlawSource,
  privilegedHeavySource,
  syscallHeavySource,
  tinyKernelSource,
} from './sources.ts';

/** Identifiers of the example guests. */
export type GuestId =
  'tiny-kernel' | 'os-mix' | 'cpu-bound' | 'io-heavy' | 'privileged-heavy' | 'syscall-heavy' | 'fork' | 'popf-flaw';

/**
 * A realistic timer: about one tick per million instructions (1,000 Hz on a CPU
 * retiring a billion instructions a second). Only the demos about interrupts
 * (tiny-kernel, popf-flaw) tick faster, and say so in their listing.
 */
export const REALISTIC_TIMER_PERIOD = 1_000_000;

/** Size knobs; each guest uses the ones that apply. */
export interface GuestSize {
  /** Loop iterations (time slices in os-mix, forks in fork). */
  readonly iterations?: number;
  /** Packets to send (io-heavy). */
  readonly packets?: number;
  /** Words per packet (io-heavy). */
  readonly wordsPerPacket?: number;
  /** Timer period in instructions. */
  readonly timerPeriod?: number;
}

/** An example guest: its source, the assembled program and what it shows. */
export interface GuestProgram {
  readonly id: GuestId;
  readonly title: Bilingual;
  readonly summary: Bilingual;
  readonly source: string;
  readonly program: Program;
  /**
   * False only for a guest that depends on POPF restoring IF in its kernel: on the
   * classic machine, trap-and-emulate then diverges from native.
   */
  readonly avoidsFlaw: boolean;
}

interface GuestSpec {
  readonly title: Bilingual;
  readonly summary: Bilingual;
  readonly avoidsFlaw: boolean;
  readonly defaults: Required<GuestSize>;
  readonly source: (size: Required<GuestSize>) => string;
}

const SPECS: Readonly<Record<GuestId, GuestSpec>> = {
  'tiny-kernel': {
    title: { id: 'Kernel tamu mungil', en: 'Tiny guest kernel' },
    summary: {
      id: 'Boot, memasang vektor trap, mencetak ke konsol, menerima interupsi timer, lalu menjalankan program pengguna yang memakai system call. Timer-nya sengaja rapat (setiap 500 instruksi) supaya interupsinya terlihat. Di mesin asli, sebagian besar waktunya habis untuk menulis ke konsol, port perangkat yang lambat.',
      en: 'Boots, installs its trap vector, prints to the console, takes timer interrupts and runs a user program that makes system calls. Its timer is deliberately fast (every 500 instructions) so you can see the interrupts. On bare metal most of its time goes to console output, a slow device port.',
    },
    avoidsFlaw: true,
    defaults: { iterations: 2000, packets: 0, wordsPerPacket: 0, timerPeriod: 500 },
    source: (z) => tinyKernelSource(z),
  },
  'os-mix': {
    title: { id: 'OS kecil yang sibuk', en: 'A small OS at work' },
    summary: {
      id: 'Dua proses bergantian memakai CPU: sebagian besar instruksi biasa, lalu system call, ganti ruang alamat (LPTB di bagian kritis DI/EI), dan satu penulisan page table per giliran. Campurannya seperti sistem sungguhan.',
      en: 'Two processes take turns on the CPU: mostly ordinary instructions, then system calls, an address-space switch (LPTB in a DI/EI critical section) and one page-table write per turn. A mix like a real system.',
    },
    avoidsFlaw: true,
    defaults: { iterations: 300, packets: 0, wordsPerPacket: 0, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => osMixSource(z),
  },
  'cpu-bound': {
    title: { id: 'Beban CPU', en: 'CPU-bound' },
    summary: {
      id: 'Program pengguna yang hanya menghitung (xorshift ke sebuah tabel): hampir tanpa instruksi sensitif.',
      en: 'A user program that only computes (xorshift into a table): almost no sensitive instructions.',
    },
    avoidsFlaw: true,
    defaults: { iterations: 100_000, packets: 0, wordsPerPacket: 0, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => cpuBoundSource(z),
  },
  'io-heavy': {
    title: { id: 'Beban I/O', en: 'I/O-heavy' },
    summary: {
      id: 'Driver jaringan di kernel yang mengirim paket kata demi kata ke port NIC. Di mesin asli setiap OUT menunggu port perangkat yang lambat; perangkat virtual hanyalah program.',
      en: 'A kernel network driver sending packets word by word to the NIC port. On bare metal every OUT waits for a slow device port; a virtual device is just a program.',
    },
    avoidsFlaw: true,
    defaults: { iterations: 0, packets: 200, wordsPerPacket: 32, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => ioHeavySource(z),
  },
  'privileged-heavy': {
    title: { id: 'Beban instruksi istimewa', en: 'Privileged-heavy' },
    summary: {
      id: 'Penjadwal kernel: bagian kritis DI/EI dan ganti ruang alamat dengan LPTB, hampir tanpa kerja lain. Kasus terburuk bagi strategi yang memakai trap.',
      en: 'A kernel scheduler: DI/EI critical sections and address-space switches with LPTB, with almost no other work. The worst case for strategies that trap.',
    },
    avoidsFlaw: true,
    defaults: { iterations: 5000, packets: 0, wordsPerPacket: 0, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => privilegedHeavySource(z),
  },
  'syscall-heavy': {
    title: { id: 'Beban system call', en: 'Syscall-heavy' },
    summary: {
      id: 'Program pengguna yang memanggil getpid() berulang kali: uji klasik biaya trap.',
      en: 'A user program calling getpid() over and over: the classic trap-cost micro-benchmark.',
    },
    avoidsFlaw: true,
    defaults: { iterations: 5000, packets: 0, wordsPerPacket: 0, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => syscallHeavySource(z),
  },
  fork: {
    title: { id: 'Membuat proses (seperti fork)', en: 'Process creation (fork-like)' },
    summary: {
      id: 'Proses induk membuat anak berulang kali: kernel mengisi page table anak entri demi entri, lalu membongkarnya. Beban tempat VT-x generasi pertama kalah dari translasi biner.',
      en: "A parent creates a child again and again: the kernel fills the child's page table entry by entry, then tears it down. The workload where first-generation VT-x lost to binary translation.",
    },
    avoidsFlaw: true,
    defaults: { iterations: 200, packets: 0, wordsPerPacket: 0, timerPeriod: REALISTIC_TIMER_PERIOD },
    source: (z) => forkSource(z),
  },
  'popf-flaw': {
    title: { id: 'Cacat POPF', en: 'The POPF flaw' },
    summary: {
      id: 'Kernel yang melindungi penghitung dengan PUSHF/DI/POPF. Dengan trap-and-emulate di mesin klasik, POPF diam-diam tidak menyalakan IF lagi.',
      en: 'A kernel guarding a counter with PUSHF/DI/POPF. Under trap-and-emulate on the classic machine, POPF silently fails to turn IF back on.',
    },
    avoidsFlaw: false,
    defaults: { iterations: 300, packets: 0, wordsPerPacket: 0, timerPeriod: 50 },
    source: (z) => popfFlawSource(z),
  },
};

/** All guest ids, in the order lessons introduce them. */
export const GUEST_IDS: readonly GuestId[] = [
  'tiny-kernel',
  'os-mix',
  'cpu-bound',
  'io-heavy',
  'privileged-heavy',
  'syscall-heavy',
  'fork',
  'popf-flaw',
];

/**
 * An example guest, assembled, with optional size overrides.
 *
 * @example
 * const g = guest('cpu-bound', { iterations: 1_000_000 });
 * g.program.length // instructions in the listing
 */
export function guest(id: GuestId, size: GuestSize = {}): GuestProgram {
  const spec = SPECS[id];
  const resolved: Required<GuestSize> = { ...spec.defaults, ...size };
  const source = spec.source(resolved);
  return {
    id,
    title: spec.title,
    summary: spec.summary,
    source,
    program: assembleOrThrow(source),
    avoidsFlaw: spec.avoidsFlaw,
  };
}
