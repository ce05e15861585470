import type { GuestId } from '../../sim/programs/index.ts';
import type { StringTable } from '../../i18n/strings';

/**
 * What each example guest of the simulator (src/sim/programs/catalog.ts) shows: its title and a
 * summary, per language. The model only knows the guests by id.
 */
const id = {
  'tiny-kernel.title': 'Kernel tamu mungil',
  'tiny-kernel.summary':
    'Boot, memasang vektor trap, mencetak ke konsol, menerima interupsi timer, lalu menjalankan program pengguna yang memakai system call. Timer-nya sengaja rapat (setiap 500 instruksi) supaya interupsinya terlihat. Di mesin asli, sebagian besar waktunya habis untuk menulis ke konsol, port perangkat yang lambat.',
  'os-mix.title': 'OS kecil yang sibuk',
  'os-mix.summary':
    'Dua proses bergantian memakai CPU: sebagian besar instruksi biasa, lalu system call, ganti ruang alamat (LPTB di bagian kritis DI/EI), dan satu penulisan page table per giliran. Campurannya seperti sistem sungguhan.',
  'cpu-bound.title': 'Beban CPU',
  'cpu-bound.summary': 'Program pengguna yang hanya menghitung (xorshift ke sebuah tabel): hampir tanpa instruksi sensitif.',
  'io-heavy.title': 'Beban I/O',
  'io-heavy.summary':
    'Driver jaringan di kernel yang mengirim paket kata demi kata ke port NIC. Di mesin asli setiap OUT menunggu port perangkat yang lambat; perangkat virtual hanyalah program.',
  'privileged-heavy.title': 'Beban instruksi istimewa',
  'privileged-heavy.summary':
    'Penjadwal kernel: bagian kritis DI/EI dan ganti ruang alamat dengan LPTB, hampir tanpa kerja lain. Kasus terburuk bagi strategi yang memakai trap.',
  'syscall-heavy.title': 'Beban system call',
  'syscall-heavy.summary': 'Program pengguna yang memanggil getpid() berulang kali: uji klasik biaya trap.',
  'fork.title': 'Membuat proses (seperti fork)',
  'fork.summary':
    'Proses induk membuat anak berulang kali: kernel mengisi page table anak entri demi entri, lalu membongkarnya. Beban tempat VT-x generasi pertama kalah dari translasi biner.',
  'popf-flaw.title': 'Cacat POPF',
  'popf-flaw.summary':
    'Kernel yang melindungi penghitung dengan PUSHF/DI/POPF. Dengan trap-and-emulate di mesin klasik, POPF diam-diam tidak menyalakan IF lagi.',
} as const satisfies Record<`${GuestId}.${'title' | 'summary'}`, string>;

export type ProgramKey = keyof typeof id;

const en = {
  'tiny-kernel.title': 'Tiny guest kernel',
  'tiny-kernel.summary':
    'Boots, installs its trap vector, prints to the console, takes timer interrupts and runs a user program that makes system calls. Its timer is deliberately fast (every 500 instructions) so you can see the interrupts. On bare metal most of its time goes to console output, a slow device port.',
  'os-mix.title': 'A small OS at work',
  'os-mix.summary':
    'Two processes take turns on the CPU: mostly ordinary instructions, then system calls, an address-space switch (LPTB in a DI/EI critical section) and one page-table write per turn. A mix like a real system.',
  'cpu-bound.title': 'CPU-bound',
  'cpu-bound.summary': 'A user program that only computes (xorshift into a table): almost no sensitive instructions.',
  'io-heavy.title': 'I/O-heavy',
  'io-heavy.summary':
    'A kernel network driver sending packets word by word to the NIC port. On bare metal every OUT waits for a slow device port; a virtual device is just a program.',
  'privileged-heavy.title': 'Privileged-heavy',
  'privileged-heavy.summary':
    'A kernel scheduler: DI/EI critical sections and address-space switches with LPTB, with almost no other work. The worst case for strategies that trap.',
  'syscall-heavy.title': 'Syscall-heavy',
  'syscall-heavy.summary': 'A user program calling getpid() over and over: the classic trap-cost micro-benchmark.',
  'fork.title': 'Process creation (fork-like)',
  'fork.summary':
    "A parent creates a child again and again: the kernel fills the child's page table entry by entry, then tears it down. The workload where first-generation VT-x lost to binary translation.",
  'popf-flaw.title': 'The POPF flaw',
  'popf-flaw.summary':
    'A kernel guarding a counter with PUSHF/DI/POPF. Under trap-and-emulate on the classic machine, POPF silently fails to turn IF back on.',
} as const satisfies Record<ProgramKey, string>;

export const programStrings = { id, en } as const satisfies StringTable<ProgramKey>;
