/**
 * Every text the bridge can ask a page (or the terminal) to show, in Indonesian first and English.
 * The protocol carries only the key and parameters; the page picks the language. No Node imports:
 * the site panel imports this file too.
 *
 * Placeholders are `{name}` and are filled by {@link formatMessage}.
 */
export const MESSAGES = {
  // ---- errors (the `code` of an `error` server message) ----
  'auth-required': {
    id: 'Bingkai pertama harus `hello` dengan token.',
    en: 'The first frame must be `hello` with the token.',
  },
  'auth-failed': {
    id: 'Token salah. Salin ulang URL yang dicetak oleh `npm run bridge`.',
    en: 'Wrong token. Copy the URL printed by `npm run bridge` again.',
  },
  'auth-timeout': {
    id: 'Tidak ada `hello` dalam {seconds} detik; koneksi ditutup.',
    en: 'No `hello` within {seconds} seconds; connection closed.',
  },
  'protocol-version': {
    id: 'Versi protokol {client} tidak didukung; bridge ini memakai versi {server}. Perbarui halaman atau bridge.',
    en: 'Protocol version {client} is not supported; this bridge speaks version {server}. Update the page or the bridge.',
  },
  'bad-message': {
    id: 'Pesan tidak valid: {detail}',
    en: 'Invalid message: {detail}',
  },
  'message-too-large': {
    id: 'Pesan terlalu besar (maksimum {maxBytes} byte).',
    en: 'Message too large (at most {maxBytes} bytes).',
  },
  'message-too-deep': {
    id: 'Pesan bersarang terlalu dalam (maksimum {max} tingkat); pesan diabaikan.',
    en: 'Message nested too deeply (at most {max} levels); it was ignored.',
  },
  'client-not-reading': {
    id: 'Halaman tidak membaca balasan bridge (lebih dari {maxBytes} byte menunggu); koneksi ditutup.',
    en: 'The page did not read the bridge’s replies (more than {maxBytes} bytes waiting); connection closed.',
  },
  'rate-limited': {
    id: 'Terlalu banyak pesan; sebagian diabaikan. Coba lebih pelan.',
    en: 'Too many messages; some were dropped. Slow down.',
  },
  'host-not-allowed': {
    id: 'Header Host harus alamat loopback (127.0.0.1, ::1 atau localhost).',
    en: 'The Host header must be a loopback address (127.0.0.1, ::1 or localhost).',
  },
  'origin-not-allowed': {
    id: 'Origin halaman ini tidak diizinkan. Jalankan bridge dengan `--origin <origin-situs>`.',
    en: 'This page’s origin is not allowed. Start the bridge with `--origin <site-origin>`.',
  },
  'too-many-connections': {
    id: 'Terlalu banyak koneksi ke bridge (maksimum {max}).',
    en: 'Too many connections to the bridge (at most {max}).',
  },
  'unknown-guest': {
    id: 'Tidak ada guest bernama “{guest}”.',
    en: 'There is no guest called “{guest}”.',
  },
  'unknown-variant': {
    id: 'Guest “{guest}” tidak punya varian “{variant}”.',
    en: 'Guest “{guest}” has no variant “{variant}”.',
  },
  'guest-not-found': {
    id: 'Guest {guestId} tidak ada (sudah berhenti?).',
    en: 'Guest {guestId} does not exist (already stopped?).',
  },
  'too-many-guests': {
    id: 'Sudah ada {max} guest berjalan. Hentikan satu dulu.',
    en: '{max} guests are already running. Stop one first.',
  },
  'guest-memory-limit': {
    id: 'Guest meminta {memoryMiB} MiB, batas per guest {maxMiB} MiB.',
    en: 'The guest asks for {memoryMiB} MiB; the limit per guest is {maxMiB} MiB.',
  },
  'invalid-transition': {
    id: 'Tidak bisa “{action}” saat guest dalam keadaan “{phase}”.',
    en: 'Cannot “{action}” while the guest is “{phase}”.',
  },
  'kvm-missing': {
    id: '/dev/kvm tidak ada: modul KVM tidak dimuat atau virtualisasi mati di firmware.',
    en: '/dev/kvm does not exist: the KVM module is not loaded or virtualization is off in firmware.',
  },
  'kvm-permission-denied': {
    id: 'Tidak boleh membuka /dev/kvm. Jalankan `sudo usermod -aG kvm $USER`, lalu keluar dan masuk lagi.',
    en: 'Not allowed to open /dev/kvm. Run `sudo usermod -aG kvm $USER`, then log out and in again.',
  },
  'kvm-not-a-kvm-device': {
    id: '{path} bukan perangkat KVM (ioctl tidak dikenal).',
    en: '{path} is not a KVM device (inappropriate ioctl).',
  },
  'kvm-unusable': {
    id: 'KVM ada tetapi tidak bisa dipakai: {detail}',
    en: 'KVM is present but unusable: {detail}',
  },
  'kvm-ffi-unavailable': {
    id: 'Modul FFI (koffi) tidak bisa dimuat, jadi API KVM tidak bisa dipanggil dari Node: {detail}',
    en: 'The FFI module (koffi) could not be loaded, so the KVM API cannot be called from Node: {detail}',
  },
  'kvm-boot-failed': {
    id: 'Linux tidak berhasil boot dengan KVM di host ini ({cause}). Coba TCG (emulasi penuh).',
    en: 'Linux did not boot under KVM on this host ({cause}). Try TCG (full emulation).',
  },
  'qemu-missing': {
    id: 'QEMU tidak ditemukan ({binary}). Pasang dengan `sudo apt install qemu-system-x86`.',
    en: 'QEMU not found ({binary}). Install it with `sudo apt install qemu-system-x86`.',
  },
  'qemu-failed': {
    id: 'QEMU berhenti dengan error: {detail}',
    en: 'QEMU stopped with an error: {detail}',
  },
  'guest-image-missing': {
    id: 'File image guest {file} tidak ada. Bangun dengan `npm run guest:build`.',
    en: 'Guest image file {file} is missing. Build it with `npm run guest:build`.',
  },
  'guest-input-full': {
    id: 'Guest tidak membaca konsolnya lagi (dimatikan atau macet), jadi input ini dibuang: sudah {maxBytes} byte menunggu.',
    en: 'The guest is no longer reading its console (halted or stuck), so this input was dropped: {maxBytes} bytes are already waiting.',
  },
  'micro-run-too-long': {
    id: 'Uji mikro ini meminta {iterations} putaran loop; batasnya {max} per permintaan. Pakai hitungan lebih kecil atau ulangan lebih sedikit.',
    en: 'This micro-run asks for {iterations} loop iterations; the limit is {max} per request. Use smaller counts or fewer repeats.',
  },
  'boot-timeout': {
    id: 'Guest tidak sampai ke prompt dalam {seconds} detik.',
    en: 'The guest did not reach a prompt within {seconds} seconds.',
  },
  'guest-lifetime-expired': {
    id: 'Guest dihentikan: batas umur {seconds} detik tercapai.',
    en: 'Guest stopped: its lifetime limit of {seconds} seconds was reached.',
  },
  'guest-idle-timeout': {
    id: 'Guest dihentikan: tidak ada input selama {seconds} detik.',
    en: 'Guest stopped: no input for {seconds} seconds.',
  },
  'bridge-shutting-down': {
    id: 'Bridge sedang dimatikan.',
    en: 'The bridge is shutting down.',
  },
  internal: {
    id: 'Error internal bridge: {detail}',
    en: 'Internal bridge error: {detail}',
  },

  // ---- host check: one line per item ----
  'check.cpu.hardware': {
    id: 'CPU {vendor} punya ekstensi virtualisasi ({flag}).',
    en: '{vendor} CPU has virtualization extensions ({flag}).',
  },
  'check.cpu.none': {
    id: 'CPU {vendor} tidak menampilkan vmx/svm{hypervisorNote}.',
    en: '{vendor} CPU shows no vmx/svm{hypervisorNote}.',
  },
  'check.cpu.unreadable': {
    id: '/proc/cpuinfo tidak bisa dibaca: {detail}',
    en: '/proc/cpuinfo is unreadable: {detail}',
  },
  'check.kvm-device.ok': {
    id: '{path} ada dan bisa dibuka (baca/tulis).',
    en: '{path} exists and can be opened read/write.',
  },
  'check.kvm-device.missing': {
    id: '{path} tidak ada.',
    en: '{path} does not exist.',
  },
  'check.kvm-device.denied': {
    id: '{path} ada ({mode}, pemilik {owner}:{group}) tetapi pengguna ini tidak boleh membukanya.',
    en: '{path} exists ({mode}, owner {owner}:{group}) but this user may not open it.',
  },
  'check.kvm-module.hardware': {
    id: 'Modul KVM: {module} (virtualisasi berbantuan perangkat keras).',
    en: 'KVM module: {module} (hardware-assisted virtualization).',
  },
  'check.kvm-module.software': {
    id: 'Modul KVM: {module} — KVM perangkat lunak/paravirtual untuk VM cloud bersarang. Kode user guest berjalan cepat, tetapi kernel Linux penuh mungkin tidak bisa boot dengan -accel kvm.',
    en: 'KVM module: {module} — a software/paravirtual KVM for nested cloud VMs. Guest user code runs fast, but a full Linux kernel may not boot under -accel kvm.',
  },
  'check.kvm-module.none': {
    id: 'Tidak ada modul KVM yang dimuat (dilihat dari {source}).',
    en: 'No KVM module is loaded (looked at {source}).',
  },
  'check.nested.on': {
    id: 'Virtualisasi bersarang aktif ({module}).',
    en: 'Nested virtualization is on ({module}).',
  },
  'check.nested.off': {
    id: 'Virtualisasi bersarang mati ({module}). Tidak perlu untuk kursus ini.',
    en: 'Nested virtualization is off ({module}). Not needed for this course.',
  },
  'check.nested.unknown': {
    id: 'Status virtualisasi bersarang tidak diketahui (tidak ada parameter `nested`).',
    en: 'Nested virtualization state unknown (no `nested` parameter).',
  },
  'check.qemu.ok': {
    id: 'QEMU {version} di {path}.',
    en: 'QEMU {version} at {path}.',
  },
  'check.qemu.missing': {
    id: 'QEMU ({binary}) tidak ditemukan.',
    en: 'QEMU ({binary}) not found.',
  },
  'check.libvirt.present': {
    id: 'libvirt terpasang ({found}).',
    en: 'libvirt is installed ({found}).',
  },
  'check.libvirt.absent': {
    id: 'libvirt tidak terpasang (tidak diperlukan bridge; berguna untuk pelajaran manajemen VM).',
    en: 'libvirt is not installed (the bridge does not need it; useful for the VM management lesson).',
  },
  'check.summary.hardware': {
    id: 'KVM perangkat keras siap: guest Linux bisa memakai -accel kvm.',
    en: 'Hardware KVM is ready: Linux guests can use -accel kvm.',
  },
  'check.summary.software': {
    id: 'KVM perangkat lunak ({module}): guest Linux memakai TCG; KVM dipakai untuk mikro-guest dan penghitung.',
    en: 'Software KVM ({module}): Linux guests use TCG; KVM serves the micro-guest and the counters.',
  },
  'check.summary.none': {
    id: 'KVM tidak bisa dipakai: guest Linux memakai TCG (emulasi penuh, lebih lambat).',
    en: 'KVM is unusable: Linux guests use TCG (full emulation, slower).',
  },

  // ---- what to do about a red item ----
  'fix.enable-virt-firmware': {
    id: 'Nyalakan Intel VT-x / AMD-V (SVM) di pengaturan BIOS/UEFI, lalu nyalakan ulang.',
    en: 'Enable Intel VT-x / AMD-V (SVM) in the BIOS/UEFI settings, then reboot.',
  },
  'fix.load-kvm-module': {
    id: 'Muat modul: `sudo modprobe kvm_intel` (Intel) atau `sudo modprobe kvm_amd` (AMD).',
    en: 'Load the module: `sudo modprobe kvm_intel` (Intel) or `sudo modprobe kvm_amd` (AMD).',
  },
  'fix.kvm-group': {
    id: 'Tambahkan diri ke grup kvm: `sudo usermod -aG kvm $USER`, lalu keluar dan masuk lagi.',
    en: 'Add yourself to the kvm group: `sudo usermod -aG kvm $USER`, then log out and in again.',
  },
  'fix.install-qemu': {
    id: 'Pasang QEMU: `sudo apt install qemu-system-x86`.',
    en: 'Install QEMU: `sudo apt install qemu-system-x86`.',
  },
  'fix.use-tcg': {
    id: 'Pakai TCG untuk guest Linux (pilihan “tcg”); jalankan kursus di PC dengan VT-x/AMD-V untuk KVM penuh.',
    en: 'Use TCG for Linux guests (the “tcg” choice); run the course on a PC with VT-x/AMD-V for full KVM.',
  },
  'fix.nested-cloud': {
    id: 'Di VM cloud: pilih tipe instance yang mendukung virtualisasi bersarang, atau pakai TCG.',
    en: 'On a cloud VM: pick an instance type with nested virtualization, or use TCG.',
  },

  // ---- console notices written by the bridge itself ----
  'bridge.ready': {
    id: 'Bridge KVM siap. Tempel URL ini di panel situs:',
    en: 'KVM bridge ready. Paste this URL into the site panel:',
  },
  'bridge.stopping': {
    id: 'Bridge berhenti; semua guest dimatikan.',
    en: 'Bridge stopping; every guest is being killed.',
  },
} as const satisfies Record<string, { id: string; en: string }>;

export type MessageKey = keyof typeof MESSAGES;
export const MESSAGE_KEYS = Object.keys(MESSAGES) as [MessageKey, ...MessageKey[]];

/** Parameters of a message: short strings or numbers only, so pages can render them safely as text. */
export type MessageParams = Readonly<Record<string, string | number>>;

/**
 * Fills a message in one language. Unknown placeholders stay visible so a missing parameter is noticed.
 * @example formatMessage('too-many-guests', 'en', { max: 2 }) // '2 guests are already running. Stop one first.'
 */
export function formatMessage(key: MessageKey, locale: 'id' | 'en', params: MessageParams = {}): string {
  return MESSAGES[key][locale].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}
