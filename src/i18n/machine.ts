import type { Locale } from '../schemas/common';

/**
 * Strings of the virtual-machine terminal island (src/components/islands/Machine.svelte).
 * Indonesian is the source; the English table must have exactly the same keys (the
 * `satisfies` makes a missing key a compile error). Pages pass `machineText(locale)` to
 * the island as its `text` prop. `{name}` placeholders are filled by `fillMachineText`.
 */
const id = {
  'machine.label': 'Terminal mesin virtual',
  'machine.start': 'Mulai',
  'machine.startHint': 'Memulihkan mesin dari snapshot: prompt siap dalam sekitar satu detik.',
  'machine.cold': 'Boot dari awal',
  'machine.coldHint': 'Menyalakan mesin dari BIOS: kamu melihat kernel Linux boot (beberapa detik).',
  'machine.reset': 'Ulang',
  'machine.pause': 'Jeda',
  'machine.resume': 'Lanjutkan',
  'machine.copy': 'Salin pilihan',
  'machine.paste': 'Tempel',
  'machine.placeholder':
    'Mesin belum menyala. Tekan "Mulai" untuk mendapatkan shell Linux di peramban ini — tidak ada yang dikirim ke internet.',
  'machine.keysHint': 'Ctrl+Shift+C menyalin, Ctrl+Shift+V menempel. Ctrl+C dikirim ke mesin (menghentikan perintah).',
  'machine.status.idle': 'Mati',
  'machine.status.loading': 'Mengunduh {file}: {loaded}',
  'machine.status.loadingOf': 'Mengunduh {file}: {loaded} dari {total}',
  'machine.status.booting': 'Menyalakan…',
  'machine.status.restoring': 'Memulihkan snapshot…',
  'machine.status.running': 'Berjalan',
  'machine.status.paused': 'Dijeda',
  'machine.status.disposed': 'Dimatikan',
  'machine.speed': '{mips} juta instruksi/detik',
  'machine.speedLabel': 'Kecepatan tamu',
  'machine.error.no-webassembly':
    'Peramban ini tidak mendukung WebAssembly, jadi mesin virtual tidak bisa berjalan. Coba Chrome, Edge, atau Firefox versi terbaru.',
  'machine.error.low-memory':
    'Memori tidak cukup untuk mesin virtual (perlu sekitar 200 MB). Tutup tab atau aplikasi lain, lalu coba lagi.',
  'machine.error.asset-failed': 'Gagal mengunduh berkas mesin ({detail}). Periksa koneksi ke server sekolah, lalu coba lagi.',
  'machine.error.crashed': 'Mesin virtual berhenti karena galat ({detail}). Tekan "Ulang" untuk memulai lagi.',
  'machine.copied': 'Tersalin.',
  'machine.clipboardDenied': 'Peramban menolak akses papan klip; gunakan menu klik kanan.',
} as const;

export type MachineKey = keyof typeof id;

const en = {
  'machine.label': 'Virtual machine terminal',
  'machine.start': 'Start',
  'machine.startHint': 'Restores the machine from a snapshot: a prompt in about a second.',
  'machine.cold': 'Boot from scratch',
  'machine.coldHint': 'Powers the machine on from its BIOS: you watch the Linux kernel boot (a few seconds).',
  'machine.reset': 'Reset',
  'machine.pause': 'Pause',
  'machine.resume': 'Resume',
  'machine.copy': 'Copy selection',
  'machine.paste': 'Paste',
  'machine.placeholder': 'The machine is off. Press "Start" for a Linux shell in this browser — nothing is sent to the internet.',
  'machine.keysHint': 'Ctrl+Shift+C copies, Ctrl+Shift+V pastes. Ctrl+C goes to the machine (stops a command).',
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
  'machine.clipboardDenied': 'The browser refused clipboard access; use the right-click menu.',
} as const satisfies Record<MachineKey, string>;

export const machineStrings = { id, en } as const;

/** All strings of the machine island in one language, as the island's `text` prop. */
export type MachineText = Record<MachineKey, string>;

export function machineText(locale: Locale): MachineText {
  return machineStrings[locale];
}

/**
 * Fills `{name}` placeholders.
 * @example fillMachineText('Downloading {file}', { file: 'bzImage' }) // → 'Downloading bzImage'
 */
export function fillMachineText(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
