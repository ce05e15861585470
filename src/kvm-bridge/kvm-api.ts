/**
 * The Linux KVM API called directly from Node through koffi (FFI to libc's open/ioctl/mmap):
 * create a VM and one vCPU, map guest memory, set real-mode registers and loop on KVM_RUN, reading
 * each exit from the shared `struct kvm_run`. This is the "Hello KVM" of the course: what QEMU does
 * underneath, with nothing else in between.
 *
 * KVM_RUN blocks the calling thread, so the bridge runs {@link runMicroGuest} in a worker
 * (kvm-worker.ts); the probe functions are cheap and run anywhere. x86-64 Linux only: the struct
 * offsets below are those of the x86 UAPI headers (linux/kvm.h, asm/kvm.h).
 */
import { createRequire } from 'node:module';
import type { MicroProgramName } from '../protocol/schema.ts';
import { MICRO_CONSOLE_PORT, MICRO_LOAD_ADDRESS, microProgramBytes } from '../protocol/micro-programs.ts';

// ---- ioctl numbers: _IO(KVMIO=0xAE, nr) = 0xAE00|nr; _IOW/_IOR add direction and struct size.
const KVM_GET_API_VERSION = 0xae00;
const KVM_CREATE_VM = 0xae01;
const KVM_GET_VCPU_MMAP_SIZE = 0xae04;
const KVM_CREATE_VCPU = 0xae41;
const KVM_SET_USER_MEMORY_REGION = 0x4020ae46; // _IOW(0xAE, 0x46, 32 bytes)
const KVM_RUN = 0xae80;
const KVM_GET_REGS = 0x8090ae81; // _IOR(0xAE, 0x81, 144 bytes)
const KVM_SET_REGS = 0x4090ae82; // _IOW(0xAE, 0x82, 144 bytes)
const KVM_GET_SREGS = 0x8138ae83; // _IOR(0xAE, 0x83, 312 bytes)
const KVM_SET_SREGS = 0x4138ae84; // _IOW(0xAE, 0x84, 312 bytes)

/** The stable KVM API version since Linux 2.6.22. */
export const KVM_API_VERSION = 12;

const O_RDWR = 2;
const O_CLOEXEC = 0o2000000;
const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_SHARED = 1;
const MAP_PRIVATE = 2;
const MAP_ANONYMOUS = 0x20;
const MAP_NORESERVE = 0x4000;
const ENOENT = 2;
const EACCES = 13;
const EPERM = 1;
const ENOTTY = 25;
const EINTR = 4;
const EAGAIN = 11;

/** Names of KVM_EXIT_* codes (linux/kvm.h), lowercased without the prefix. */
const EXIT_REASON_NAMES: Readonly<Record<number, string>> = {
  0: 'unknown',
  1: 'exception',
  2: 'io',
  3: 'hypercall',
  4: 'debug',
  5: 'hlt',
  6: 'mmio',
  7: 'irq_window_open',
  8: 'shutdown',
  9: 'fail_entry',
  10: 'intr',
  11: 'set_tpr',
  12: 'tpr_access',
  17: 'internal_error',
  24: 'system_event',
};
const EXIT_IO = 2;
const EXIT_INTR = 10;

/** Name of an exit reason code, e.g. `exitReasonName(2) === 'io'`. */
export function exitReasonName(code: number): string {
  return EXIT_REASON_NAMES[code] ?? `reason_${code}`;
}

export type KvmErrorCode =
  'kvm-missing' | 'kvm-permission-denied' | 'kvm-not-a-kvm-device' | 'kvm-unusable' | 'kvm-ffi-unavailable';

/** A typed failure of the KVM API, with the call and errno that caused it. */
export class KvmError extends Error {
  readonly code: KvmErrorCode;
  readonly errno: number;
  constructor(code: KvmErrorCode, detail: string, errno = 0) {
    super(detail);
    this.name = 'KvmError';
    this.code = code;
    this.errno = errno;
  }
}

/** A run stopped on request (`shouldStop`) before its HLT. */
export class MicroGuestAborted extends Error {
  constructor(exits: number) {
    super(`stopped on request after ${exits} exits`);
    this.name = 'MicroGuestAborted';
  }
}

interface Libc {
  open(path: string, flags: number): number;
  close(fd: number): number;
  ioctlValue(fd: number, request: number, arg: number): number;
  ioctlPointer(fd: number, request: number, arg: Buffer): number;
  mmap(addr: null, length: number, prot: number, flags: number, fd: number, offset: number): unknown;
  munmap(addr: unknown, length: number): number;
  view(pointer: unknown, length: number): ArrayBuffer;
  address(pointer: unknown): bigint;
  errno(): number;
}

let libc: Libc | undefined;

/** Loads koffi and declares the few libc functions used; throws KvmError('kvm-ffi-unavailable'). */
function loadLibc(): Libc {
  if (libc) return libc;
  type Koffi = {
    load(name: string): { func(name: string, result: string, args: string[]): (...args: unknown[]) => unknown };
    view(pointer: unknown, length: number): ArrayBuffer;
    address(pointer: unknown): bigint;
    errno(): number;
  };
  let koffi: Koffi;
  try {
    // koffi is CommonJS with a native addon; createRequire keeps this module loadable by plain Node.
    koffi = createRequire(import.meta.url)('koffi') as Koffi;
  } catch (error) {
    throw new KvmError('kvm-ffi-unavailable', String(error));
  }
  const lib = koffi.load('libc.so.6');
  // ioctl is variadic in C; on x86-64 a fixed prototype with integer/pointer arguments is the same call.
  const ioctlValue = lib.func('ioctl', 'int', ['int', 'unsigned long', 'unsigned long']);
  const ioctlPointer = lib.func('ioctl', 'int', ['int', 'unsigned long', 'void *']);
  const open = lib.func('open', 'int', ['str', 'int']);
  const close = lib.func('close', 'int', ['int']);
  const mmap = lib.func('mmap', 'void *', ['void *', 'size_t', 'int', 'int', 'int', 'long']);
  const munmap = lib.func('munmap', 'int', ['void *', 'size_t']);
  libc = {
    open: (path, flags) => open(path, flags) as number,
    close: (fd) => close(fd) as number,
    ioctlValue: (fd, request, arg) => ioctlValue(fd, request, arg) as number,
    ioctlPointer: (fd, request, arg) => ioctlPointer(fd, request, arg) as number,
    mmap: (addr, length, prot, flags, fd, offset) => mmap(addr, length, prot, flags, fd, offset),
    munmap: (addr, length) => munmap(addr, length) as number,
    view: (pointer, length) => koffi.view(pointer, length),
    address: (pointer) => koffi.address(pointer),
    errno: () => koffi.errno(),
  };
  return libc;
}

/** Opens the KVM device, mapping errno to a typed error. */
function openKvm(c: Libc, devicePath: string): number {
  const fd = c.open(devicePath, O_RDWR | O_CLOEXEC);
  if (fd >= 0) return fd;
  const errno = c.errno();
  if (errno === ENOENT) throw new KvmError('kvm-missing', `${devicePath}: no such file`, errno);
  if (errno === EACCES || errno === EPERM) throw new KvmError('kvm-permission-denied', `${devicePath}: permission denied`, errno);
  throw new KvmError('kvm-unusable', `open ${devicePath} failed, errno ${errno}`, errno);
}

function check(c: Libc, result: number, call: string): number {
  if (result >= 0) return result;
  const errno = c.errno();
  throw new KvmError('kvm-unusable', `${call} failed, errno ${errno}`, errno);
}

function isMapFailed(c: Libc, pointer: unknown): boolean {
  return pointer === null || c.address(pointer) === 0xffffffffffffffffn;
}

/**
 * Opens the device and asks KVM_GET_API_VERSION: resolves to the version or throws a KvmError
 * (`kvm-missing`, `kvm-permission-denied`, `kvm-not-a-kvm-device`, `kvm-unusable`).
 */
export function probeKvm(devicePath = '/dev/kvm'): number {
  const c = loadLibc();
  const fd = openKvm(c, devicePath);
  try {
    const version = c.ioctlValue(fd, KVM_GET_API_VERSION, 0);
    if (version < 0) {
      const errno = c.errno();
      if (errno === ENOTTY) throw new KvmError('kvm-not-a-kvm-device', devicePath, errno);
      throw new KvmError('kvm-unusable', `KVM_GET_API_VERSION failed, errno ${errno}`, errno);
    }
    if (version !== KVM_API_VERSION)
      throw new KvmError('kvm-unusable', `KVM API version ${version}, expected ${KVM_API_VERSION}`);
    return version;
  } finally {
    c.close(fd);
  }
}

/** One exit as read from struct kvm_run (and KVM_GET_REGS for rip). */
export interface KvmExit {
  seq: number;
  reason: string;
  reasonCode: number;
  rip: number;
  io?: { direction: 'in' | 'out'; size: number; port: number; count: number; data: number[] };
  suberror?: number;
}

export interface MicroGuestResult {
  program: MicroProgramName;
  totalExits: number;
  streamedExits: number;
  exitCounts: Record<string, number>;
  consoleText: string;
  /** Wall time of the KVM_RUN loop only (not VM setup), in microseconds. */
  elapsedMicroseconds: number;
}

export interface MicroGuestOptions {
  program: MicroProgramName;
  iterations: number;
  devicePath?: string;
  /** Exits reported one by one through `onExit` (the first ones); the rest are only counted. */
  streamLimit?: number;
  /** Stop after this many exits even without HLT (a safety net; the programs always halt). */
  maxExits?: number;
  onExit?: (exit: KvmExit) => void;
  /**
   * Asked after every exit; true ends the run with {@link MicroGuestAborted} (its client went away).
   * The run's fds and mappings are released as on any error.
   */
  shouldStop?: () => boolean;
}

// 640 KiB at guest-physical 0 (real mode's conventional memory): code at 0x1000, stack below 0x10000,
// and the pages `memory` touches above. MAP_NORESERVE: a page costs the host only once touched.
const GUEST_MEMORY_BYTES = 0xa0000;

/**
 * Runs a micro-guest to its HLT and returns the counts and timing. Blocks the calling thread for the
 * whole run: call it from a worker. Every fd and mapping is released, also on error.
 */
export function runMicroGuest(options: MicroGuestOptions): MicroGuestResult {
  const c = loadLibc();
  const streamLimit = options.streamLimit ?? 64;
  const maxExits = options.maxExits ?? 2_000_000;
  const cleanups: (() => void)[] = [];
  try {
    const kvmFd = openKvm(c, options.devicePath ?? '/dev/kvm');
    cleanups.push(() => c.close(kvmFd));
    const version = c.ioctlValue(kvmFd, KVM_GET_API_VERSION, 0);
    if (version < 0 && c.errno() === ENOTTY) throw new KvmError('kvm-not-a-kvm-device', options.devicePath ?? '/dev/kvm', ENOTTY);
    if (version !== KVM_API_VERSION) throw new KvmError('kvm-unusable', `KVM API version ${version}`);

    const vmFd = check(c, c.ioctlValue(kvmFd, KVM_CREATE_VM, 0), 'KVM_CREATE_VM');
    cleanups.push(() => c.close(vmFd));

    // Guest RAM: anonymous, page-aligned memory of this process, handed to KVM as guest-physical 0.
    const memory = c.mmap(null, GUEST_MEMORY_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (isMapFailed(c, memory)) throw new KvmError('kvm-unusable', `mmap guest memory failed, errno ${c.errno()}`);
    cleanups.push(() => c.munmap(memory, GUEST_MEMORY_BYTES));
    const guestRam = new Uint8Array(c.view(memory, GUEST_MEMORY_BYTES));
    guestRam.set(microProgramBytes(options.program, options.iterations), MICRO_LOAD_ADDRESS);

    // struct kvm_userspace_memory_region { u32 slot; u32 flags; u64 guest_phys_addr; u64 memory_size; u64 userspace_addr; }
    const region = Buffer.alloc(32);
    region.writeUInt32LE(0, 0);
    region.writeUInt32LE(0, 4);
    region.writeBigUInt64LE(0n, 8);
    region.writeBigUInt64LE(BigInt(GUEST_MEMORY_BYTES), 16);
    region.writeBigUInt64LE(c.address(memory), 24);
    check(c, c.ioctlPointer(vmFd, KVM_SET_USER_MEMORY_REGION, region), 'KVM_SET_USER_MEMORY_REGION');

    const vcpuFd = check(c, c.ioctlValue(vmFd, KVM_CREATE_VCPU, 0), 'KVM_CREATE_VCPU');
    cleanups.push(() => c.close(vcpuFd));
    const runSize = check(c, c.ioctlValue(kvmFd, KVM_GET_VCPU_MMAP_SIZE, 0), 'KVM_GET_VCPU_MMAP_SIZE');
    const runPointer = c.mmap(null, runSize, PROT_READ | PROT_WRITE, MAP_SHARED, vcpuFd, 0);
    if (isMapFailed(c, runPointer)) throw new KvmError('kvm-unusable', `mmap kvm_run failed, errno ${c.errno()}`);
    cleanups.push(() => c.munmap(runPointer, runSize));
    const run = new DataView(c.view(runPointer, runSize));

    setRealModeSegments(c, vcpuFd);
    // struct kvm_regs: 18 u64 (rax … r15, rip at 128, rflags at 136). Bit 1 of RFLAGS is always set.
    const regs = Buffer.alloc(144);
    regs.writeBigUInt64LE(BigInt(MICRO_LOAD_ADDRESS), 128);
    regs.writeBigUInt64LE(2n, 136);
    regs.writeBigUInt64LE(0xfff0n, 48); // rsp
    check(c, c.ioctlPointer(vcpuFd, KVM_SET_REGS, regs), 'KVM_SET_REGS');

    return runLoop(c, vcpuFd, run, options, streamLimit, maxExits);
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
  }
}

/** KVM_GET_SREGS, then CS base and selector 0 (a vCPU starts at CS base 0xffff0000), then KVM_SET_SREGS. */
function setRealModeSegments(c: Libc, vcpuFd: number): void {
  // struct kvm_sregs starts with cs (24-byte struct kvm_segment: u64 base, u32 limit, u16 selector, …).
  const sregs = Buffer.alloc(312);
  check(c, c.ioctlPointer(vcpuFd, KVM_GET_SREGS, sregs), 'KVM_GET_SREGS');
  sregs.writeBigUInt64LE(0n, 0); // cs.base
  sregs.writeUInt16LE(0, 12); // cs.selector
  check(c, c.ioctlPointer(vcpuFd, KVM_SET_SREGS, sregs), 'KVM_SET_SREGS');
}

function runLoop(
  c: Libc,
  vcpuFd: number,
  run: DataView,
  options: MicroGuestOptions,
  streamLimit: number,
  maxExits: number,
): MicroGuestResult {
  const countsByCode = new Map<number, number>();
  let consoleText = '';
  let total = 0;
  let streamed = 0;
  const regs = Buffer.alloc(144);
  // Wall time of the whole loop: each exit's round trip guest → KVM → this loop → guest, as a VMM sees it.
  const started = process.hrtime.bigint();
  for (;;) {
    const result = c.ioctlValue(vcpuFd, KVM_RUN, 0);
    if (result < 0) {
      const errno = c.errno();
      if (errno === EINTR || errno === EAGAIN) continue;
      throw new KvmError('kvm-unusable', `KVM_RUN failed, errno ${errno}`, errno);
    }
    // struct kvm_run: u32 exit_reason at 8; the exit union starts at 32.
    const code = run.getUint32(8, true);
    if (code === EXIT_INTR) continue; // a host signal interrupted the run; not a guest exit
    total += 1;
    countsByCode.set(code, (countsByCode.get(code) ?? 0) + 1);
    const io = code === EXIT_IO ? readIo(run) : undefined;
    if (io && io.port === MICRO_CONSOLE_PORT && io.direction === 'out') consoleText += String.fromCharCode(...io.data);
    if (streamed < streamLimit && options.onExit) {
      streamed += 1;
      // KVM_GET_REGS only for the streamed exits: it is an extra syscall and would skew the timing.
      check(c, c.ioctlPointer(vcpuFd, KVM_GET_REGS, regs), 'KVM_GET_REGS');
      const exit: KvmExit = {
        seq: total,
        reason: exitReasonName(code),
        reasonCode: code,
        rip: Number(regs.readBigUInt64LE(128)),
      };
      if (io) exit.io = io;
      if (code === 17) exit.suberror = run.getUint32(32, true);
      options.onExit(exit);
    }
    if (code !== EXIT_IO || total >= maxExits) break; // HLT ends the program; anything else is a failure to show
    if (options.shouldStop?.()) throw new MicroGuestAborted(total);
  }
  const loopNanoseconds = process.hrtime.bigint() - started;
  const exitCounts: Record<string, number> = {};
  for (const [code, count] of countsByCode) exitCounts[exitReasonName(code)] = count;
  return {
    program: options.program,
    totalExits: total,
    streamedExits: streamed,
    exitCounts,
    consoleText,
    elapsedMicroseconds: Number(loopNanoseconds) / 1000,
  };
}

/** Reads `run.io` (direction, size, port, count, data_offset) and the bytes it points at in kvm_run. */
function readIo(run: DataView): NonNullable<KvmExit['io']> {
  const direction = run.getUint8(32) === 1 ? 'out' : 'in';
  const size = run.getUint8(33);
  const port = run.getUint16(34, true);
  const count = run.getUint32(36, true);
  const dataOffset = Number(run.getBigUint64(40, true));
  const length = Math.min(size * count, 64);
  const data: number[] = [];
  for (let i = 0; i < length; i += 1) data.push(run.getUint8(dataOffset + i));
  return { direction, size, port, count, data };
}
