import { fill } from '../i18n/fill.ts';
import type { Locale } from '../i18n/locale.ts';
import type { StringTable } from '../i18n/strings.ts';

/**
 * Every text the bridge can ask a page (or the terminal) to show, in Indonesian first and English.
 * The protocol carries only the key and parameters; the page picks the language. No Node imports:
 * the site panel imports this file too.
 *
 * One table per language (the course's one string-table format, src/i18n/strings.ts);
 * placeholders are `{name}` and are filled by {@link formatMessage}.
 */
const id = {
  // ---- errors (the `code` of an `error` server message) ----
  'auth-required': 'Bingkai pertama harus `hello` dengan token.',
  'auth-failed': 'Token salah. Salin ulang URL yang dicetak oleh `npm run bridge`.',
  'auth-timeout': 'Tidak ada `hello` dalam {seconds} detik; koneksi ditutup.',
  'protocol-version': 'Versi protokol {client} tidak didukung; bridge ini memakai versi {server}. Perbarui halaman atau bridge.',
  'bad-message': 'Pesan tidak valid: {detail}',
  'message-too-large': 'Pesan terlalu besar (maksimum {maxBytes} byte).',
  'message-too-deep': 'Pesan bersarang terlalu dalam (maksimum {max} tingkat); pesan diabaikan.',
  'client-not-reading': 'Halaman tidak membaca balasan bridge (lebih dari {maxBytes} byte menunggu); koneksi ditutup.',
  'rate-limited': 'Terlalu banyak pesan; sebagian diabaikan. Coba lebih pelan.',
  'host-not-allowed': 'Header Host harus alamat loopback (127.0.0.1, ::1 atau localhost).',
  'origin-not-allowed': 'Origin halaman ini tidak diizinkan. Jalankan bridge dengan `--origin <origin-situs>`.',
  'too-many-connections': 'Terlalu banyak koneksi ke bridge (maksimum {max}).',
  'unknown-guest': 'Tidak ada guest bernama “{guest}”.',
  'unknown-variant': 'Guest “{guest}” tidak punya varian “{variant}”.',
  'guest-not-found': 'Guest {guestId} tidak ada (sudah berhenti?).',
  'too-many-guests': 'Sudah ada {max} guest berjalan. Hentikan satu dulu.',
  'guest-memory-limit': 'Guest meminta {memoryMiB} MiB, batas per guest {maxMiB} MiB.',
  'invalid-transition': 'Tidak bisa “{action}” saat guest dalam keadaan “{phase}”.',
  'kvm-missing': '/dev/kvm tidak ada: modul KVM tidak dimuat atau virtualisasi mati di firmware.',
  'kvm-permission-denied': 'Tidak boleh membuka /dev/kvm. Jalankan `sudo usermod -aG kvm $USER`, lalu keluar dan masuk lagi.',
  'kvm-not-a-kvm-device': '{path} bukan perangkat KVM (ioctl tidak dikenal).',
  'kvm-unusable': 'KVM ada tetapi tidak bisa dipakai: {detail}',
  'kvm-ffi-unavailable': 'Modul FFI (koffi) tidak bisa dimuat, jadi API KVM tidak bisa dipanggil dari Node: {detail}',
  'kvm-boot-failed': 'Linux tidak berhasil boot dengan KVM di host ini ({cause}). Coba TCG (emulasi penuh).',
  'qemu-missing': 'QEMU tidak ditemukan ({binary}). Pasang dengan `sudo apt install qemu-system-x86`.',
  'qemu-failed': 'QEMU berhenti dengan error: {detail}',
  'guest-image-missing': 'File image guest {file} tidak ada. Bangun dengan `npm run guest:build`.',
  'guest-input-full':
    'Guest tidak membaca konsolnya lagi (dimatikan atau macet), jadi input ini dibuang: sudah {maxBytes} byte menunggu.',
  'micro-run-too-long':
    'Uji mikro ini meminta {iterations} putaran loop; batasnya {max} per permintaan. Pakai hitungan lebih kecil atau ulangan lebih sedikit.',
  'boot-timeout': 'Guest tidak sampai ke prompt dalam {seconds} detik.',
  'guest-lifetime-expired': 'Guest dihentikan: batas umur {seconds} detik tercapai.',
  'guest-idle-timeout': 'Guest dihentikan: tidak ada input selama {seconds} detik.',
  'bridge-shutting-down': 'Bridge sedang dimatikan.',
  internal: 'Error internal bridge: {detail}',

  // ---- host check: one line per item ----
  'check.cpu.hardware': 'CPU {vendor} punya ekstensi virtualisasi ({flag}).',
  'check.cpu.none': 'CPU {vendor} tidak menampilkan vmx/svm{hypervisorNote}.',
  'check.cpu.unreadable': '/proc/cpuinfo tidak bisa dibaca: {detail}',
  'check.kvm-device.ok': '{path} ada dan bisa dibuka (baca/tulis).',
  'check.kvm-device.missing': '{path} tidak ada.',
  'check.kvm-device.denied': '{path} ada ({mode}, pemilik {owner}:{group}) tetapi pengguna ini tidak boleh membukanya.',
  'check.kvm-module.hardware': 'Modul KVM: {module} (virtualisasi berbantuan perangkat keras).',
  'check.kvm-module.software':
    'Modul KVM: {module} — KVM perangkat lunak/paravirtual untuk VM cloud bersarang. Kode user guest berjalan cepat, tetapi kernel Linux penuh mungkin tidak bisa boot dengan -accel kvm.',
  'check.kvm-module.none': 'Tidak ada modul KVM yang dimuat (dilihat dari {source}).',
  'check.nested.on': 'Virtualisasi bersarang aktif ({module}).',
  'check.nested.off': 'Virtualisasi bersarang mati ({module}). Tidak perlu untuk kursus ini.',
  'check.nested.unknown': 'Status virtualisasi bersarang tidak diketahui (tidak ada parameter `nested`).',
  'check.qemu.ok': 'QEMU {version} di {path}.',
  'check.qemu.missing': 'QEMU ({binary}) tidak ditemukan.',
  'check.libvirt.present': 'libvirt terpasang ({found}).',
  'check.libvirt.absent': 'libvirt tidak terpasang (tidak diperlukan bridge; berguna untuk pelajaran manajemen VM).',
  'check.summary.hardware': 'KVM perangkat keras siap: guest Linux bisa memakai -accel kvm.',
  'check.summary.software':
    'KVM perangkat lunak ({module}): guest Linux memakai TCG; KVM dipakai untuk mikro-guest dan penghitung.',
  'check.summary.none': 'KVM tidak bisa dipakai: guest Linux memakai TCG (emulasi penuh, lebih lambat).',

  // ---- what to do about a red item ----
  'fix.enable-virt-firmware': 'Nyalakan Intel VT-x / AMD-V (SVM) di pengaturan BIOS/UEFI, lalu nyalakan ulang.',
  'fix.load-kvm-module': 'Muat modul: `sudo modprobe kvm_intel` (Intel) atau `sudo modprobe kvm_amd` (AMD).',
  'fix.kvm-group': 'Tambahkan diri ke grup kvm: `sudo usermod -aG kvm $USER`, lalu keluar dan masuk lagi.',
  'fix.install-qemu': 'Pasang QEMU: `sudo apt install qemu-system-x86`.',
  'fix.use-tcg': 'Pakai TCG untuk guest Linux (pilihan “tcg”); jalankan kursus di PC dengan VT-x/AMD-V untuk KVM penuh.',
  'fix.nested-cloud': 'Di VM cloud: pilih tipe instance yang mendukung virtualisasi bersarang, atau pakai TCG.',

  // ---- console notices written by the bridge itself ----
  'bridge.ready': 'Bridge KVM siap. Tempel URL ini di panel situs:',
  'bridge.stopping': 'Bridge berhenti; semua guest dimatikan.',
} as const;

export type MessageKey = keyof typeof id;

const en = {
  // ---- errors (the `code` of an `error` server message) ----
  'auth-required': 'The first frame must be `hello` with the token.',
  'auth-failed': 'Wrong token. Copy the URL printed by `npm run bridge` again.',
  'auth-timeout': 'No `hello` within {seconds} seconds; connection closed.',
  'protocol-version':
    'Protocol version {client} is not supported; this bridge speaks version {server}. Update the page or the bridge.',
  'bad-message': 'Invalid message: {detail}',
  'message-too-large': 'Message too large (at most {maxBytes} bytes).',
  'message-too-deep': 'Message nested too deeply (at most {max} levels); it was ignored.',
  'client-not-reading': 'The page did not read the bridge’s replies (more than {maxBytes} bytes waiting); connection closed.',
  'rate-limited': 'Too many messages; some were dropped. Slow down.',
  'host-not-allowed': 'The Host header must be a loopback address (127.0.0.1, ::1 or localhost).',
  'origin-not-allowed': 'This page’s origin is not allowed. Start the bridge with `--origin <site-origin>`.',
  'too-many-connections': 'Too many connections to the bridge (at most {max}).',
  'unknown-guest': 'There is no guest called “{guest}”.',
  'unknown-variant': 'Guest “{guest}” has no variant “{variant}”.',
  'guest-not-found': 'Guest {guestId} does not exist (already stopped?).',
  'too-many-guests': '{max} guests are already running. Stop one first.',
  'guest-memory-limit': 'The guest asks for {memoryMiB} MiB; the limit per guest is {maxMiB} MiB.',
  'invalid-transition': 'Cannot “{action}” while the guest is “{phase}”.',
  'kvm-missing': '/dev/kvm does not exist: the KVM module is not loaded or virtualization is off in firmware.',
  'kvm-permission-denied': 'Not allowed to open /dev/kvm. Run `sudo usermod -aG kvm $USER`, then log out and in again.',
  'kvm-not-a-kvm-device': '{path} is not a KVM device (inappropriate ioctl).',
  'kvm-unusable': 'KVM is present but unusable: {detail}',
  'kvm-ffi-unavailable': 'The FFI module (koffi) could not be loaded, so the KVM API cannot be called from Node: {detail}',
  'kvm-boot-failed': 'Linux did not boot under KVM on this host ({cause}). Try TCG (full emulation).',
  'qemu-missing': 'QEMU not found ({binary}). Install it with `sudo apt install qemu-system-x86`.',
  'qemu-failed': 'QEMU stopped with an error: {detail}',
  'guest-image-missing': 'Guest image file {file} is missing. Build it with `npm run guest:build`.',
  'guest-input-full':
    'The guest is no longer reading its console (halted or stuck), so this input was dropped: {maxBytes} bytes are already waiting.',
  'micro-run-too-long':
    'This micro-run asks for {iterations} loop iterations; the limit is {max} per request. Use smaller counts or fewer repeats.',
  'boot-timeout': 'The guest did not reach a prompt within {seconds} seconds.',
  'guest-lifetime-expired': 'Guest stopped: its lifetime limit of {seconds} seconds was reached.',
  'guest-idle-timeout': 'Guest stopped: no input for {seconds} seconds.',
  'bridge-shutting-down': 'The bridge is shutting down.',
  internal: 'Internal bridge error: {detail}',

  // ---- host check: one line per item ----
  'check.cpu.hardware': '{vendor} CPU has virtualization extensions ({flag}).',
  'check.cpu.none': '{vendor} CPU shows no vmx/svm{hypervisorNote}.',
  'check.cpu.unreadable': '/proc/cpuinfo is unreadable: {detail}',
  'check.kvm-device.ok': '{path} exists and can be opened read/write.',
  'check.kvm-device.missing': '{path} does not exist.',
  'check.kvm-device.denied': '{path} exists ({mode}, owner {owner}:{group}) but this user may not open it.',
  'check.kvm-module.hardware': 'KVM module: {module} (hardware-assisted virtualization).',
  'check.kvm-module.software':
    'KVM module: {module} — a software/paravirtual KVM for nested cloud VMs. Guest user code runs fast, but a full Linux kernel may not boot under -accel kvm.',
  'check.kvm-module.none': 'No KVM module is loaded (looked at {source}).',
  'check.nested.on': 'Nested virtualization is on ({module}).',
  'check.nested.off': 'Nested virtualization is off ({module}). Not needed for this course.',
  'check.nested.unknown': 'Nested virtualization state unknown (no `nested` parameter).',
  'check.qemu.ok': 'QEMU {version} at {path}.',
  'check.qemu.missing': 'QEMU ({binary}) not found.',
  'check.libvirt.present': 'libvirt is installed ({found}).',
  'check.libvirt.absent': 'libvirt is not installed (the bridge does not need it; useful for the VM management lesson).',
  'check.summary.hardware': 'Hardware KVM is ready: Linux guests can use -accel kvm.',
  'check.summary.software': 'Software KVM ({module}): Linux guests use TCG; KVM serves the micro-guest and the counters.',
  'check.summary.none': 'KVM is unusable: Linux guests use TCG (full emulation, slower).',

  // ---- what to do about a red item ----
  'fix.enable-virt-firmware': 'Enable Intel VT-x / AMD-V (SVM) in the BIOS/UEFI settings, then reboot.',
  'fix.load-kvm-module': 'Load the module: `sudo modprobe kvm_intel` (Intel) or `sudo modprobe kvm_amd` (AMD).',
  'fix.kvm-group': 'Add yourself to the kvm group: `sudo usermod -aG kvm $USER`, then log out and in again.',
  'fix.install-qemu': 'Install QEMU: `sudo apt install qemu-system-x86`.',
  'fix.use-tcg': 'Use TCG for Linux guests (the “tcg” choice); run the course on a PC with VT-x/AMD-V for full KVM.',
  'fix.nested-cloud': 'On a cloud VM: pick an instance type with nested virtualization, or use TCG.',

  // ---- console notices written by the bridge itself ----
  'bridge.ready': 'KVM bridge ready. Paste this URL into the site panel:',
  'bridge.stopping': 'Bridge stopping; every guest is being killed.',
} as const satisfies Record<MessageKey, string>;

export const MESSAGES = { id, en } as const satisfies StringTable<MessageKey>;

export const MESSAGE_KEYS = Object.keys(id) as [MessageKey, ...MessageKey[]];

/** Parameters of a message: short strings or numbers only, so pages can render them safely as text. */
export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * Fills a message in one language. Unknown placeholders stay visible so a missing parameter is noticed.
 * @example formatMessage('too-many-guests', 'en', { max: 2 }) // '2 guests are already running. Stop one first.'
 */
export function formatMessage(key: MessageKey, locale: Locale, params: MessageParams = {}): string {
  return fill(MESSAGES[locale][key], params);
}
