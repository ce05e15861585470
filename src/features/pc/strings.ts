import type { StringTable } from '../../i18n/strings';
import type { Locale } from '../../i18n/locale';
import { terminalStrings } from '../terminal/strings';

/**
 * Strings of the virtual-machine terminal island (src/features/pc/BrowserPc.svelte).
 * Indonesian is the source; the English table must have exactly the same keys (the
 * `satisfies` makes a missing key a compile error). Pages pass `pcText(locale)` to
 * the island as its `text` prop. `{name}` placeholders are filled by `fillPcText`.
 */
const id = {
  'machine.label': 'Terminal mesin virtual',
  'machine.start': 'Mulai',
  'machine.startHint': 'Memulihkan mesin dari snapshot yang disimpan saat mesin sudah sampai di prompt.',
  'machine.cold': 'Boot dari awal',
  'machine.coldHint': 'Menyalakan mesin dari BIOS: kamu melihat kernel Linux boot (beberapa detik).',
  'machine.reset': 'Ulang',
  'machine.pause': 'Jeda',
  'machine.resume': 'Lanjutkan',
  'machine.copy': 'Salin',
  'machine.paste': 'Tempel',
  'machine.placeholder':
    'Mesin belum menyala. Tekan "Mulai" untuk mendapatkan shell Linux di browser ini — tidak ada yang dikirim ke internet.',
  'machine.keysHint': 'Ctrl+Shift+C menyalin, Ctrl+Shift+V menempel. Ctrl+C dikirim ke mesin (menghentikan perintah).',
  'machine.touchHint':
    'Tombol di bawah terminal mengirim Tab, Ctrl+C, panah, dan tanda yang tidak ada di keyboard ponsel. "Salin" menyalin teks yang dipilih, atau keluaran perintah terakhir kalau tidak ada yang dipilih; "Tempel" mengetikkan isi papan klip.',
  'machine.firstStart':
    'Saat pertama kali dinyalakan, mesin mengunduh sekitar {size} (emulator, terminal, dan snapshot); dengan koneksi lambat ini bisa makan waktu setengah menit. Setelah itu file-file ini tersimpan di browser, jadi mesin siap dalam sekitar satu detik, juga tanpa internet.',
  'machine.cached': 'Mesin sudah tersimpan di browser ini: prompt siap dalam sekitar satu detik, juga tanpa internet.',
  'machine.leaveHint': terminalStrings.id['terminal.leaveHint'],
  'machine.status.idle': 'Mati',
  'machine.status.loading': 'Mengunduh {file}: {loaded}',
  'machine.status.loadingOf': 'Mengunduh {file}: {loaded} dari {total}',
  'machine.status.booting': 'Menyalakan…',
  'machine.status.restoring': 'Memulihkan snapshot…',
  'machine.status.running': 'Berjalan',
  'machine.status.paused': 'Dijeda',
  'machine.status.disposed': 'Dimatikan',
  'machine.speed': '{mips} juta instruksi/detik',
  'machine.speedLabel': 'Kecepatan guest',
  'machine.error.no-webassembly':
    'Browser ini tidak mendukung WebAssembly, jadi mesin virtual tidak bisa berjalan. Coba Chrome, Edge, atau Firefox versi terbaru.',
  'machine.error.low-memory':
    'Memori tidak cukup untuk mesin virtual (perlu sekitar 200 MB). Tutup tab atau aplikasi lain, lalu coba lagi.',
  'machine.error.asset-failed': 'Gagal mengunduh file mesin ({detail}). Periksa koneksi ke server sekolah, lalu coba lagi.',
  'machine.error.crashed': 'Mesin virtual berhenti karena error ({detail}). Tekan "Ulang" untuk memulai lagi.',
  'machine.copied': 'Tersalin.',
  'machine.copiedOutput': 'Keluaran perintah terakhir tersalin.',
  'machine.nothingToCopy': 'Belum ada yang bisa disalin: pilih teks di terminal, atau jalankan perintah dulu.',
  'machine.clipboardDenied':
    'Browser menolak akses papan klip. Izinkan akses papan klip untuk situs ini di pengaturan browser, lalu coba lagi.',
} as const;

export type PcKey = keyof typeof id;

const en = {
  'machine.label': 'Virtual machine terminal',
  'machine.start': 'Start',
  'machine.startHint': 'Restores the machine from a snapshot saved when it had reached its prompt.',
  'machine.cold': 'Boot from scratch',
  'machine.coldHint': 'Powers the machine on from its BIOS: you watch the Linux kernel boot (a few seconds).',
  'machine.reset': 'Reset',
  'machine.pause': 'Pause',
  'machine.resume': 'Resume',
  'machine.copy': 'Copy',
  'machine.paste': 'Paste',
  'machine.placeholder': 'The machine is off. Press "Start" for a Linux shell in this browser — nothing is sent to the internet.',
  'machine.keysHint': 'Ctrl+Shift+C copies, Ctrl+Shift+V pastes. Ctrl+C goes to the machine (stops a command).',
  'machine.touchHint':
    'The keys under the terminal send Tab, Ctrl+C, the arrows and symbols a phone keyboard lacks. "Copy" copies the selected text, or the last command’s output when nothing is selected; "Paste" types what is on the clipboard.',
  'machine.firstStart':
    'The first time, the machine downloads about {size} (emulator, terminal and snapshot); on a slow connection that can take half a minute. After that the files are kept in this browser, so the machine is ready in about a second, offline too.',
  'machine.cached': 'The machine is kept in this browser: a prompt in about a second, offline too.',
  'machine.leaveHint': terminalStrings.en['terminal.leaveHint'],
  'machine.status.idle': 'Off',
  'machine.status.loading': 'Downloading {file}: {loaded}',
  'machine.status.loadingOf': 'Downloading {file}: {loaded} of {total}',
  'machine.status.booting': 'Booting…',
  'machine.status.restoring': 'Restoring the snapshot…',
  'machine.status.running': 'Running',
  'machine.status.paused': 'Paused',
  'machine.status.disposed': 'Switched off',
  'machine.speed': '{mips} million instructions/s',
  'machine.speedLabel': 'Guest speed',
  'machine.error.no-webassembly':
    'This browser does not support WebAssembly, so the virtual machine cannot run. Try a recent Chrome, Edge or Firefox.',
  'machine.error.low-memory':
    'Not enough memory for the virtual machine (it needs about 200 MB). Close other tabs or programs and try again.',
  'machine.error.asset-failed':
    'A machine file failed to download ({detail}). Check the connection to the school server and try again.',
  'machine.error.crashed': 'The virtual machine stopped with an error ({detail}). Press "Reset" to start again.',
  'machine.copied': 'Copied.',
  'machine.copiedOutput': 'The last command’s output is copied.',
  'machine.nothingToCopy': 'Nothing to copy yet: select text in the terminal, or run a command first.',
  'machine.clipboardDenied':
    'The browser refused clipboard access. Allow clipboard access for this site in the browser settings, then try again.',
} as const satisfies Record<PcKey, string>;

export const pcStrings = { id, en } as const satisfies StringTable<PcKey>;

/** All strings of the machine island in one language, as the island's `text` prop. */
export type PcText = Record<PcKey, string>;

export function pcText(locale: Locale): PcText {
  return pcStrings[locale];
}

/**
 * Strings of the pages around the machine: the lesson wrapper (src/features/pc/BrowserPcBox.astro),
 * the full-page machine (/mesin/, /en/machine/) and "about this machine" (/mesin/tentang/,
 * /en/machine/about/). Rendered at build time, so they are not sent to the island.
 */
const pageId = {
  'pc.firstCommand': 'Perintah pertama untuk dicoba:',
  'pc.openPage': 'Buka mesin di halaman tersendiri',
  'pc.about': 'Apa isi mesin ini?',
  'pc.teaser': 'Beberapa pelajaran memakai PC Linux sungguhan yang berjalan di browser. Kamu juga bisa menyalakannya kapan saja:',
  'page.title': 'Mesin Linux di browser',
  'page.description': 'PC x86 dengan Linux yang diemulasikan di browser: tekan Mulai, lalu ketik perintah.',
  'page.intro':
    'Ini PC x86 32-bit yang lengkap (prosesor, memori {memory}, BIOS, port serial) yang diemulasikan oleh v86, sebuah emulator dalam WebAssembly, di tab browser ini. Di dalamnya berjalan kernel Linux {kernel} dan shell busybox. Semuanya berjalan di komputermu; tidak ada yang dikirim ke internet.',
  'page.modes':
    '"Mulai" memulihkan snapshot yang disimpan saat mesin sudah sampai di prompt, jadi shell siap dalam sekitar satu detik (setelah unduhan pertama). "Boot dari awal" menyalakan mesin dari BIOS, sehingga kamu melihat kernel Linux boot baris demi baris.',
  'page.limits':
    'Mesin ini tidak punya jaringan dan tidak punya disk permanen: semua yang kamu buat hilang saat kamu menekan "Ulang" atau memuat ulang halaman. Setelah mesin dinyalakan sekali, file-nya tersimpan di browser, jadi mesin tetap bisa dinyalakan tanpa internet.',
  'page.tryTitle': 'Perintah untuk dicoba',
  'page.colCommand': 'Perintah',
  'page.colWhat': 'Yang ditunjukkan',
  'page.colLesson': 'Dibahas di',
  'page.noLesson': 'Belum dipakai di pelajaran',
  'cmd.uname': 'Nama kernel, versinya, dan arsitektur mesin (i686 berarti PC x86 32-bit).',
  'cmd.cpuinfo': 'Prosesor seperti yang dilihat Linux. Cari kata hypervisor di baris flags.',
  'cmd.free': 'RAM dan swap mesin virtual ini.',
  'cmd.dmesg': 'Pesan kernel saat boot: Linux tahu bahwa ia berjalan di dalam mesin virtual.',
  'cmd.cpuid': 'Isi instruksi CPUID: vendor prosesor, fitur, bit hypervisor, dan tanda tangan vendor hypervisor.',
  'cmd.iso': 'Memasang file image ISO 9660 lewat loop device, lalu membaca isinya.',
  'cmd.vbench':
    'Mengukur empat beban kerja (komputasi, system call, page fault, port I/O) di mesin ini; -s 10 menjalankan 10% dari jumlah ulangan bawaan.',
  'page.aboutTitle': 'Dari apa mesin ini dibuat',
  'page.aboutText':
    'Mesin ini dibangun dari paket Debian dan npm dengan versi yang tercatat, dan setiap file masukan dan keluaran punya checksum sha256 yang bisa kamu periksa sendiri.',
  'page.aboutLink': 'Lihat versi paket dan checksum',
  'about.title': 'Tentang mesin ini',
  'about.description': 'Dari apa PC di browser dibangun: versi paket yang tepat dan checksum sha256 setiap file.',
  'about.intro':
    'PC di browser menjalankan file-file di bawah. Semuanya dibangun dari paket Debian dan npm dengan versi yang tercatat di sini, oleh perintah berikut di repositori kursus:',
  'about.fromManifest': 'Halaman ini dibuat dari manifest.json hasil build yang sama dengan file yang disajikan situs ini.',
  'about.backToPc': 'Kembali ke mesin',
  'about.pcTitle': 'Konfigurasi mesin',
  'about.memory': 'Memori guest',
  'about.initramfs': 'Initramfs',
  'about.initramfsInside': 'di dalam bzImage (satu file untuk boot)',
  'about.initramfsSeparate': 'file terpisah (initrd), dengan kernel cadangan dari Debian',
  'about.cmdline': 'Baris perintah kernel',
  'about.kernel': 'Versi kernel (uname -r)',
  'about.builtAt': 'Dibangun pada',
  'about.coldBoot': 'Boot dari awal sampai prompt (v86 di Node.js, saat snapshot diambil)',
  'about.stateRaw': 'Ukuran state tersimpan sebelum dikompresi zstd',
  'about.kernelBuild': 'Lama kompilasi kernel terakhir',
  'about.packagesTitle': 'Paket',
  'about.packagesIntro': 'Versi persis setiap paket yang dipakai untuk membangun image.',
  'about.inputsTitle': 'File masukan',
  'about.inputsIntro': 'Arsip sumber, paket, dan file dari repositori kursus yang dibaca oleh build.',
  'about.outputsTitle': 'File keluaran',
  'about.outputsIntro': 'File yang diunduh browser dari folder /guest/ saat kamu menyalakan mesin.',
  'about.colRegistry': 'Sumber',
  'about.colName': 'Nama',
  'about.colVersion': 'Versi',
  'about.colArch': 'Arsitektur',
  'about.colRole': 'Dipakai untuk',
  'about.colFile': 'File',
  'about.colBytes': 'Ukuran (byte)',
  'about.colFrom': 'Asal',
  'about.colSha': 'sha256',
  'about.fromRepo': 'repositori ini',
  'about.verifyTitle': 'Memeriksa sendiri',
  'about.verifyText':
    'Unduh sebuah file dari tabel keluaran, lalu hitung checksum-nya di komputermu. Hasilnya harus sama persis dengan kolom sha256; kalau berbeda, file itu bukan yang tercatat di sini.',
  'about.manifestLink': 'manifest.json apa adanya',
  'about.seconds': '{n} detik',
  'about.ms': '{n} ms',
  'role.linux-source-6.1': 'sumber kernel Linux yang dikompilasi untuk mesin ini',
  'role.seabios': 'BIOS (bios.bin)',
  'role.busybox-static': 'shell dan perintah-perintah Linux (busybox, i386)',
  'role.gcc-12': 'kompilator untuk kernel dan alat kursus',
  'role.zstd': 'mengompresi state mesin yang disimpan',
  'role.xorriso': 'menulis image ISO 9660 untuk pelajaran 2 (/root/kursus.iso)',
  'role.v86': 'emulator: menyalakan mesin untuk menyimpan state-nya',
} as const;

export type PcPageKey = keyof typeof pageId;

const pageEn = {
  'pc.firstCommand': 'A first command to try:',
  'pc.openPage': 'Open the machine on a page of its own',
  'pc.about': 'What is inside this machine?',
  'pc.teaser': 'Some lessons use a real Linux PC that runs in your browser. You can also start it any time:',
  'page.title': 'A Linux machine in your browser',
  'page.description': 'An x86 PC running Linux, emulated in your browser: press Start, then type commands.',
  'page.intro':
    'This is a complete 32-bit x86 PC (processor, {memory} of memory, BIOS, serial ports) emulated by v86, an emulator written in WebAssembly, in this browser tab. It runs the Linux kernel {kernel} and a busybox shell. Everything runs on your computer; nothing is sent to the internet.',
  'page.modes':
    '"Start" restores a snapshot saved when the machine had reached its prompt, so the shell is ready in about a second (after the first download). "Boot from scratch" powers the machine on from its BIOS, so you watch the Linux kernel boot line by line.',
  'page.limits':
    'The machine has no network and no permanent disk: everything you create is gone when you press "Reset" or reload the page. Once you have started the machine, its files are kept in the browser, so it starts without the internet too.',
  'page.tryTitle': 'Commands to try',
  'page.colCommand': 'Command',
  'page.colWhat': 'What it shows',
  'page.colLesson': 'Covered in',
  'page.noLesson': 'Not used in a lesson',
  'cmd.uname': 'The kernel’s name, its version and the machine’s architecture (i686 means a 32-bit x86 PC).',
  'cmd.cpuinfo': 'The processor as Linux sees it. Look for the word hypervisor in the flags line.',
  'cmd.free': 'This virtual machine’s RAM and swap.',
  'cmd.dmesg': 'Kernel messages from boot: Linux knows it runs inside a virtual machine.',
  'cmd.cpuid':
    'What the CPUID instruction reports: processor vendor, features, the hypervisor bit and the hypervisor’s vendor signature.',
  'cmd.iso': 'Mounts an ISO 9660 image file through a loop device, then reads what is inside.',
  'cmd.vbench':
    'Times four workloads (computation, system calls, page faults, port I/O) on this machine; -s 10 runs 10% of the default repetitions.',
  'page.aboutTitle': 'What this machine is made of',
  'page.aboutText':
    'The machine is built from Debian and npm packages with recorded versions, and every input and output file has a sha256 checksum you can check yourself.',
  'page.aboutLink': 'See the package versions and checksums',
  'about.title': 'About this machine',
  'about.description': 'What the PC in your browser is built from: exact package versions and the sha256 of every file.',
  'about.intro':
    'The PC in your browser runs the files below. All of them are built from Debian and npm packages with the versions recorded here, by this command in the course repository:',
  'about.fromManifest': 'This page is generated from the manifest.json of the same build as the files this site serves.',
  'about.backToPc': 'Back to the machine',
  'about.pcTitle': 'Machine configuration',
  'about.memory': 'Guest memory',
  'about.initramfs': 'Initramfs',
  'about.initramfsInside': 'inside the bzImage (one file boots)',
  'about.initramfsSeparate': 'a separate file (initrd), with Debian’s fallback kernel',
  'about.cmdline': 'Kernel command line',
  'about.kernel': 'Kernel release (uname -r)',
  'about.builtAt': 'Built at',
  'about.coldBoot': 'Boot from scratch to the prompt (v86 in Node.js, when the snapshot was taken)',
  'about.stateRaw': 'Size of the saved state before zstd compression',
  'about.kernelBuild': 'Duration of the last kernel compile',
  'about.packagesTitle': 'Packages',
  'about.packagesIntro': 'The exact version of every package used to build the image.',
  'about.inputsTitle': 'Input files',
  'about.inputsIntro': 'Source archives, packages and files from the course repository that the build reads.',
  'about.outputsTitle': 'Output files',
  'about.outputsIntro': 'The files your browser downloads from the /guest/ folder when you start the machine.',
  'about.colRegistry': 'Source',
  'about.colName': 'Name',
  'about.colVersion': 'Version',
  'about.colArch': 'Architecture',
  'about.colRole': 'Used for',
  'about.colFile': 'File',
  'about.colBytes': 'Size (bytes)',
  'about.colFrom': 'Origin',
  'about.colSha': 'sha256',
  'about.fromRepo': 'this repository',
  'about.verifyTitle': 'Check it yourself',
  'about.verifyText':
    'Download a file from the outputs table and compute its checksum on your computer. It must equal the sha256 column exactly; if it differs, the file is not the one recorded here.',
  'about.manifestLink': 'the raw manifest.json',
  'about.seconds': '{n} s',
  'about.ms': '{n} ms',
  'role.linux-source-6.1': 'Linux kernel source, compiled for this machine',
  'role.seabios': 'BIOS (bios.bin)',
  'role.busybox-static': 'the shell and Linux commands (busybox, i386)',
  'role.gcc-12': 'compiler for the kernel and the course tools',
  'role.zstd': 'compresses the saved machine state',
  'role.xorriso': 'writes the ISO 9660 image for lesson 2 (/root/kursus.iso)',
  'role.v86': 'emulator: boots the machine to save its state',
} as const satisfies Record<PcPageKey, string>;

export const pcPageStrings = { id: pageId, en: pageEn } as const satisfies StringTable<PcPageKey>;

/** Strings of the pages around the machine, in one language. */
export function pcPageText(locale: Locale): Record<PcPageKey, string> {
  return pcPageStrings[locale];
}

/** The translated role of a package the manifest lists, or null for a package this table does not know. */
export function packageRole(locale: Locale, name: string): string | null {
  const key = `role.${name}`;
  return key in pcPageStrings[locale] ? pcPageStrings[locale][key as PcPageKey] : null;
}
