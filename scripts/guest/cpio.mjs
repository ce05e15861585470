// @ts-check
/**
 * A writer for the "newc" cpio format, the one the Linux kernel unpacks as an initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst).
 *
 * Why our own and not GNU cpio: the archive needs a device node (/dev/console, which the
 * kernel opens for init before devtmpfs exists) and root-owned files, which GNU cpio can
 * only copy from a real tree made as root; and we want the same bytes from the same
 * inputs (mtime 0, fixed inode numbers, sorted paths), so the manifest's sha256 is stable.
 */

/**
 * @typedef {{ path: string, type: 'dir', mode?: number }
 *   | { path: string, type: 'file', mode?: number, data: Uint8Array | string }
 *   | { path: string, type: 'symlink', target: string }
 *   | { path: string, type: 'char', mode?: number, major: number, minor: number }} CpioEntry
 */

const TYPE_BITS = { dir: 0o040000, file: 0o100000, symlink: 0o120000, char: 0o020000 };
const DEFAULT_MODE = { dir: 0o755, file: 0o644, symlink: 0o777, char: 0o600 };

/** @param {number} n */
const hex8 = (n) => {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`cpio field out of range: ${n}`);
  return n.toString(16).padStart(8, '0');
};
/** @param {number} n */
const pad4 = (n) => (4 - (n % 4)) % 4;

/**
 * One header + name + data record.
 * @param {{ name: string, ino: number, mode: number, nlink: number, data: Uint8Array, rdevMajor?: number, rdevMinor?: number }} r
 */
function record({ name, ino, mode, nlink, data, rdevMajor = 0, rdevMinor = 0 }) {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const fields = [ino, mode, 0, 0, nlink, 0, data.length, 0, 0, rdevMajor, rdevMinor, nameBytes.length, 0];
  const header = Buffer.from(`070701${fields.map(hex8).join('')}`, 'ascii'); // 110 bytes
  return Buffer.concat([
    header,
    nameBytes,
    Buffer.alloc(pad4(header.length + nameBytes.length)),
    data,
    Buffer.alloc(pad4(data.length)),
  ]);
}

/**
 * Builds a newc archive. Paths are relative (`bin/sh`, not `/bin/sh`); missing parent
 * folders are added (0755); entries are written in path order, owned by root, mtime 0.
 * @example cpioNewc([{ path: 'init', type: 'file', mode: 0o755, data: '#!/bin/sh\n' }]).subarray(0, 6).toString() // → '070701'
 * @param {readonly CpioEntry[]} entries
 * @returns {Buffer}
 */
export function cpioNewc(entries) {
  /** @type {Map<string, CpioEntry>} */
  const byPath = new Map();
  for (const entry of entries) {
    const clean = entry.path.replace(/^\/+|\/+$/g, '');
    if (!clean || clean.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`bad cpio path: ${JSON.stringify(entry.path)}`);
    }
    if (byPath.has(clean)) throw new Error(`duplicate cpio path: ${clean}`);
    byPath.set(clean, { ...entry, path: clean });
    for (let i = clean.indexOf('/'); i !== -1; i = clean.indexOf('/', i + 1)) {
      const parent = clean.slice(0, i);
      if (!byPath.has(parent) && !entries.some((e) => e.path.replace(/^\/+|\/+$/g, '') === parent)) {
        byPath.set(parent, { path: parent, type: 'dir' });
      }
    }
  }
  const sorted = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const records = sorted.map((entry, index) => {
    const mode = TYPE_BITS[entry.type] | (entry.type === 'symlink' ? 0o777 : (entry.mode ?? DEFAULT_MODE[entry.type]));
    const base = { name: entry.path, ino: index + 1, mode, nlink: entry.type === 'dir' ? 2 : 1 };
    switch (entry.type) {
      case 'file':
        return record({ ...base, data: typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data });
      case 'symlink':
        return record({ ...base, data: Buffer.from(entry.target, 'utf8') });
      case 'char':
        return record({ ...base, data: new Uint8Array(0), rdevMajor: entry.major, rdevMinor: entry.minor });
      default:
        return record({ ...base, data: new Uint8Array(0) });
    }
  });
  records.push(record({ name: 'TRAILER!!!', ino: 0, mode: 0, nlink: 1, data: new Uint8Array(0) }));
  return Buffer.concat(records);
}
