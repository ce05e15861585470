/*
 * rt.h — the tiny runtime of the course's guest tools: program entry, Linux i386 system
 * calls through `int $0x80`, and buffered output. No libc, so one static i386 binary runs
 * in the v86 guest, under QEMU, and natively on an x86_64 host (through its 32-bit
 * compatibility layer, CONFIG_IA32_EMULATION), and the learner can read every line of it.
 *
 * Build: gcc -m32 -nostdlib -static -fno-pie -no-pie -ffreestanding -fno-stack-protector
 *        -O2 -o TOOL TOOL.c -lgcc   (libgcc only for 64-bit division on i386)
 */
#ifndef RT_H
#define RT_H

/* Helpers a given tool does not use are fine: each tool includes the whole runtime. */
#define RT_FN static __attribute__((unused))

typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long i64;

/* i386 system call numbers (arch/x86/entry/syscalls/syscall_32.tbl). The x86_64 kernel
 * accepts the same numbers from 32-bit programs. */
enum {
  SYS_exit = 1, SYS_write = 4, SYS_getppid = 64, SYS_old_mmap = 90, SYS_munmap = 91,
  SYS_ioperm = 101, SYS_iopl = 110, SYS_exit_group = 252, SYS_clock_gettime = 265,
  SYS_clock_gettime64 = 403,
};

static inline long sys1(long n, long a) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a) : "memory");
  return r;
}
static inline long sys2(long n, long a, long b) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b) : "memory");
  return r;
}
static inline long sys3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
  return r;
}

static inline void sys_exit(int code) {
  sys1(SYS_exit_group, code);
  for (;;) sys1(SYS_exit, code);
}

/* A failed system call returns -errno (between -4095 and -1). */
static inline int is_error(long r) { return r < 0 && r > -4096; }

/* Monotonic time in nanoseconds. clock_gettime64 (Linux 5.1+) is the y2038-safe call of
 * 32-bit programs; kernels built without CONFIG_COMPAT_32BIT_TIME lack the old one. Older
 * kernels lack the new one, so fall back to the 32-bit `struct timespec` (fine for
 * CLOCK_MONOTONIC: seconds since boot fit in 32 bits for 68 years). */
RT_FN u64 now_ns(void) {
  struct { i64 sec; long nsec, pad; } ts64;
  if (!is_error(sys2(SYS_clock_gettime64, 1 /* CLOCK_MONOTONIC */, (long)&ts64)))
    return (u64)ts64.sec * 1000000000ull + (u32)ts64.nsec;
  struct { long sec, nsec; } ts;
  if (is_error(sys2(SYS_clock_gettime, 1, (long)&ts))) return 0;
  return (u64)(u32)ts.sec * 1000000000ull + (u32)ts.nsec;
}

/* Anonymous private memory. i386's old mmap (90) takes its six arguments in memory,
 * which spares us the sixth register (%ebp) that `int $0x80` would otherwise need. */
RT_FN void *map_anon(u32 bytes) {
  u32 args[6] = {0, bytes, 3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, (u32)-1, 0};
  long r = sys1(SYS_old_mmap, (long)args);
  return is_error(r) ? 0 : (void *)r;
}
RT_FN void unmap(void *p, u32 bytes) { sys2(SYS_munmap, (long)p, (long)bytes); }

/* GCC may emit calls to these even in freestanding code (struct copies, zeroing). */
void *memset(void *d, int c, u32 n) {
  unsigned char *p = d;
  while (n--) *p++ = (unsigned char)c;
  return d;
}
void *memcpy(void *d, const void *s, u32 n) {
  unsigned char *p = d;
  const unsigned char *q = s;
  while (n--) *p++ = *q++;
  return d;
}

RT_FN int str_eq(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

/* Parses a non-negative decimal number; returns -1 when `s` is not one. */
RT_FN long parse_uint(const char *s) {
  long v = 0;
  if (!*s) return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > 100000000) return -1;
    v = v * 10 + (*s - '0');
  }
  return v;
}

/* ---- buffered output to stdout ---- */
static char out_buf[4096];
static u32 out_len;

RT_FN void out_flush(void) {
  u32 off = 0;
  while (off < out_len) {
    long r = sys3(SYS_write, 1, (long)(out_buf + off), (long)(out_len - off));
    if (r <= 0) break;
    off += (u32)r;
  }
  out_len = 0;
}
RT_FN void out_char(char c) {
  if (out_len == sizeof out_buf) out_flush();
  out_buf[out_len++] = c;
}
RT_FN void out_str(const char *s) {
  while (*s) out_char(*s++);
}
RT_FN void out_u64(u64 v) {
  char tmp[21];
  int i = 0;
  do tmp[i++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (i) out_char(tmp[--i]);
}
RT_FN void out_i64(i64 v) {
  if (v < 0) out_char('-'), v = -v;
  out_u64((u64)v);
}
RT_FN void out_hex(u32 v, int digits) {
  out_str("0x");
  while (digits--) out_char("0123456789abcdef"[(v >> (digits * 4)) & 15]);
}
/* A fixed-point number `v / 100` with two decimals, e.g. 1234 → 12.34. */
RT_FN void out_centi(u64 v) {
  out_u64(v / 100);
  out_char('.');
  out_char((char)('0' + v / 10 % 10));
  out_char((char)('0' + v % 10));
}

/* ---- entry: the kernel leaves argc, argv[], NULL, envp[] on the stack ---- */
int main(int argc, char **argv);

__attribute__((used)) static void start_c(long *sp) {
  int code = main((int)sp[0], (char **)(sp + 1));
  out_flush();
  sys_exit(code);
}

__asm__(
    ".text\n"
    ".globl _start\n"
    "_start:\n"
    "  xor %ebp, %ebp\n"      /* outermost frame, for debuggers */
    "  mov %esp, %eax\n"      /* the initial stack: argc, argv... */
    "  and $-16, %esp\n"      /* the i386 SysV ABI wants 16-byte alignment at calls */
    "  sub $12, %esp\n"
    "  push %eax\n"
    "  call start_c\n"
    "  hlt\n");

#endif
