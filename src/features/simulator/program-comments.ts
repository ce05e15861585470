import type { Locale } from '../../i18n/locale';

/**
 * The comments of the example guests (src/sim/programs/sources.ts) in Bahasa Indonesia. The
 * sources are written with English comments and src/sim has no language, so the simulator swaps
 * each comment for its translation here: only text after `;` changes, the code (and so the
 * assembled program) stays the same. Keys are the English comments; `{n}` stands for a number
 * the source fills in (a timer period, say).
 */
const ID: Readonly<Record<string, string>> = {
  // Shared: the trap handler, puts, the boot sequence.
  '---- trap handler: one entry for interrupts, system calls and faults ----':
    '---- penangan trap: satu pintu untuk interupsi, system call dan fault ----',
  '---- trap handler: timer ticks and system calls ----': '---- penangan trap: detak timer dan system call ----',
  'r2 = cause code (low 8 bits)': 'r2 = kode penyebab (8 bit terbawah)',
  '1 = timer interrupt': '1 = interupsi timer',
  '2 = system call': '2 = system call',
  'anything else is a fault: report and stop': 'selain itu fault: laporkan lalu berhenti',
  'r1 = syscall number (CAUSE >> 8)': 'r1 = nomor syscall (CAUSE >> 8)',
  'r1 = syscall number': 'r1 = nomor syscall',
  'syscall 2: getpid() returns 42': 'syscall 2: getpid() mengembalikan 42',
  'interrupts off: the machine stops here': 'interupsi mati: mesin berhenti di sini',
  '---- puts: print the zero-terminated string at r1 (clobbers r1, r2) ----':
    '---- puts: cetak string berakhiran nol di r1 (mengubah r1, r2) ----',
  'install the trap vector': 'pasang vektor trap',
  'timer interrupt every {n} instructions': 'interupsi timer setiap {n} instruksi',
  'a timer tick every {n} instructions': 'satu detak timer setiap {n} instruksi',
  '"return" to the user program...': '"kembali" ke program pengguna...',
  '...in user mode (bit 0) with IF on (IF = 4, saved at bit 3)':
    '...di mode pengguna (bit 0) dengan IF menyala (IF = 4, disimpan di bit 3)',
  '...in user mode with IF on': '...di mode pengguna dengan IF menyala',
  'user mode, IF on': 'mode pengguna, IF menyala',
  // tiny-kernel
  'Tiny guest kernel — boot, console, timer interrupts, one user program':
    'Kernel tamu mungil — boot, konsol, interupsi timer, satu program pengguna',
  '---- user program: sum 1..N, then print "ok" via syscalls and exit ----':
    '---- program pengguna: jumlahkan 1..N, cetak "ok" lewat syscall, lalu keluar ----',
  sum: 'jumlah',
  'keep the result in memory': 'simpan hasilnya di memori',
  exit: 'keluar',
  // cpu-bound
  'CPU-bound workload — xorshift32 into a 256-word table, no I/O': 'Beban CPU — xorshift32 ke tabel 256 kata, tanpa I/O',
  'table index mask': 'mask indeks tabel',
  'x (xorshift state)': 'x (keadaan xorshift)',
  'x ^= x << 13': 'x ^= x << 13',
  'x ^= x >>> 17': 'x ^= x >>> 17',
  'x ^= x << 5': 'x ^= x << 5',
  'table[x & 255] = x': 'tabel[x & 255] = x',
  // io-heavy
  'I/O-heavy workload — a kernel driver sends packets to the NIC, one OUT per word':
    'Beban I/O — driver kernel mengirim paket ke NIC, satu OUT per kata',
  'payload seed': 'benih isi paket',
  'one device write per word': 'satu tulisan ke perangkat per kata',
  'progress mark per packet': 'tanda kemajuan per paket',
  // privileged-heavy
  'Privileged-heavy workload — kernel scheduler loop: DI/EI, LPTB':
    'Beban instruksi istimewa — loop penjadwal kernel: DI/EI, LPTB',
  'page-table base of process A': 'basis page table proses A',
  'page-table base of process B': 'basis page table proses B',
  'critical section: pick the next process': 'bagian kritis: pilih proses berikutnya',
  'critical section: switch process': 'bagian kritis: ganti proses',
  'switch address space': 'ganti ruang alamat',
  'count the switch': 'hitung penggantian',
  'toggle between A and B': 'bergantian antara A dan B',
  'PT_A XOR PT_SWAP = page table of process B': 'PT_A XOR PT_SWAP = page table proses B',
  'the scheduler runs with interrupts on': 'penjadwal berjalan dengan interupsi menyala',
  'interrupts on': 'interupsi menyala',
  // syscall-heavy
  'Syscall-heavy workload — getpid() in a loop': 'Beban system call — getpid() di dalam loop',
  'getpid()': 'getpid()',
  'getpid() → r0': 'getpid() → r0',
  // os-mix
  'A small OS at work — two processes take turns on one CPU.': 'OS kecil yang sibuk — dua proses bergantian memakai satu CPU.',
  'Each process computes for a time slice (ordinary instructions), asks the':
    'Tiap proses menghitung selama satu jatah waktu (instruksi biasa), menanyakan',
  'kernel for its pid and yields. On a yield the kernel switches address space':
    'pid-nya ke kernel lalu mengalah. Saat itu kernel mengganti ruang alamat',
  '(LPTB) and maps a page for the next process (a page-table write).':
    '(LPTB) dan memetakan satu halaman untuk proses berikutnya (penulisan page table).',
  'page table of process A (64 words)': 'page table proses A (64 kata)',
  "the other process's page table": 'page table proses yang lain',
  'page-table base of the running process': 'basis page table proses yang sedang berjalan',
  "process A's address space": 'ruang alamat proses A',
  'on a yield the kernel switches': 'saat proses mengalah, kernel berganti',
  'critical section begins': 'bagian kritis dimulai',
  'map a fresh frame for it: a page-table write': 'petakan frame baru untuknya: penulisan page table',
  '---- the user program both processes run ----': '---- program pengguna yang dijalankan kedua proses ----',
  'one time slice of computing': 'satu jatah waktu untuk menghitung',
  'yield to the other process': 'mengalah ke proses yang lain',
  'time slices left': 'sisa jatah waktu',
  // fork
  'Process creation, fork-like — the parent forks a child again and again.':
    'Membuat proses, seperti fork — induk membuat anak berulang kali.',
  "The kernel builds the child's page table (a page-table write per entry),":
    'Kernel menyusun page table anak (satu penulisan page table per entri),',
  'the child runs briefly and exits, the kernel tears the table down.':
    'anak berjalan sebentar lalu keluar, dan kernel membongkar tabelnya.',
  "the parent's page table (64 words)": 'page table induk (64 kata)',
  "the child's page table": 'page table anak',
  'entries the child needs': 'entri yang dibutuhkan anak',
  'where the parent continues after fork()': 'tempat induk melanjutkan setelah fork()',
  "the parent's address space": 'ruang alamat induk',
  'fork(): the kernel runs the child first...': 'fork(): kernel menjalankan anak lebih dulu...',
  'the parent continues here later': 'induk melanjutkan di sini nanti',
  "copy the parent's mapping...": 'salin pemetaan milik induk...',
  "...into the child's table: a page-table write": '...ke tabel anak: penulisan page table',
  "switch to the child's address space": 'pindah ke ruang alamat anak',
  'return into the child': 'kembali ke dalam anak',
  'exit(): back to the parent': 'exit(): kembali ke induk',
  "tear down the child's table: a page-table write": 'bongkar tabel anak: penulisan page table',
  "back to the parent's address space": 'kembali ke ruang alamat induk',
  'and into the parent': 'dan masuk ke induk',
  "at the child's exit it clears the": 'saat anak keluar, kernel menghapus',
  '...and the parent continues here after its exit': '...dan induk melanjutkan di sini setelah anak keluar',
  '---- the user program: a parent that forks ----': '---- program pengguna: induk yang membuat anak ----',
  "the child's short life": 'hidup singkat sang anak',
  'forks left': 'sisa fork',
  // popf-flaw
  'POPF flaw demo — a kernel critical section restored with POPF':
    'Demo cacat POPF — bagian kritis kernel dipulihkan dengan POPF',
  'save the return state: an interrupt may nest from here': 'simpan keadaan kembali: mulai di sini interupsi bisa bersarang',
  'save flags (IF = 1)': 'simpan flag (IF = 1)',
  'restore flags — should turn interrupts back on': 'pulihkan flag — seharusnya interupsi menyala lagi',
  'some work outside the critical section': 'sedikit kerja di luar bagian kritis',
  'how many timer interrupts did the kernel see?': 'berapa interupsi timer yang dilihat kernel?',
  'xorshift state': 'keadaan xorshift',
};

interface Pattern {
  readonly match: RegExp;
  readonly text: string;
}
const PATTERNS: readonly Pattern[] = Object.entries(ID)
  .filter(([english]) => english.includes('{n}'))
  .map(([english, text]) => ({
    match: new RegExp(`^${english.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('{n}', '([\\d_]+)')}$`),
    text,
  }));

/** The Indonesian text of one English comment, or undefined when the table lacks it. */
export function translateComment(english: string): string | undefined {
  const exact = ID[english];
  if (exact !== undefined) return exact;
  for (const p of PATTERNS) {
    const m = p.match.exec(english);
    if (m) return p.text.replace('{n}', m[1] ?? '');
  }
  return undefined;
}

/** Where a line's comment starts (`;` outside a quoted string or character), or -1. */
export function commentStart(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote !== null) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ';') return i;
  }
  return -1;
}

/**
 * A guest source with its comments in the page's language. English is the sources' own
 * language; a comment the table lacks stays as it is (test/unit checks none is missing).
 *
 * @example
 * localizeComments('    MTCR VEC, r1             ; install the trap vector', 'id')
 * // '    MTCR VEC, r1             ; pasang vektor trap'
 */
export function localizeComments(source: string, locale: Locale): string {
  if (locale === 'en') return source;
  return source
    .split('\n')
    .map((line) => {
      const at = commentStart(line);
      if (at < 0) return line;
      const english = line.slice(at + 1).trim();
      const text = english === '' ? undefined : translateComment(english);
      return text === undefined ? line : `${line.slice(0, at)}; ${text}`;
    })
    .join('\n');
}
