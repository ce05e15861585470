/*
 * vbench — four small workloads that a hypervisor slows down in different ways, timed
 * with clock_gettime. The course runs it natively, in v86 and under QEMU/KVM, and
 * compares: pure computation runs near native speed under hardware virtualization, while
 * system calls, page faults and port I/O cost traps, exits or emulation.
 *
 *   vbench [-s PERCENT] [cpu|syscall|pagefault|portio]...
 *
 * -s scales the default iteration counts (100 = defaults; 5 = a quick run). With no
 * workload named, all four run. Output: one JSON object per line and workload:
 *   {"tool":"vbench","workload":"cpu","iterations":N,"elapsed_ns":T,"ns_per_op":X,...}
 * or, when a workload cannot run here, {"tool":"vbench","workload":W,"skipped":"why"}.
 */
#include "rt.h"

/* Which port the I/O workload writes: 0x80, the POST-code port that Linux itself writes
 * for short delays, so writing it is harmless on every PC, real or virtual. */
#define IO_PORT 0x80
#define PAGE 4096u
#define REGION_PAGES 64u

struct result {
  u64 iterations, elapsed_ns;
  u32 checksum;
  int has_checksum;
  const char *skipped;
  long err;
};

/* Integer work only (xorshift32): no memory traffic, no system calls. The checksum lets a
 * test check that a guest computed exactly what the host computes. */
static struct result run_cpu(u64 n) {
  struct result r = {n, 0, 0, 1, 0, 0};
  u32 x = 2463534242u, sum = 0;
  u64 t0 = now_ns();
  for (u64 i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    sum += x;
  }
  r.elapsed_ns = now_ns() - t0;
  r.checksum = x ^ sum;
  return r;
}

/* The cheapest system call there is: each one is a user→kernel→user round trip. */
static struct result run_syscall(u64 n) {
  struct result r = {n, 0, 0, 0, 0, 0};
  u64 t0 = now_ns();
  for (u64 i = 0; i < n; i++) sys1(SYS_getppid, 0);
  r.elapsed_ns = now_ns() - t0;
  return r;
}

/* Fresh anonymous pages: the first write to each one is a page fault in which the kernel
 * finds a free page, zeroes it and maps it. Iterations = pages touched. */
static struct result run_pagefault(u64 n) {
  struct result r = {0, 0, 0, 0, 0, 0};
  u64 t0 = now_ns();
  while (r.iterations < n) {
    volatile char *p = map_anon(REGION_PAGES * PAGE);
    if (!p) {
      r.skipped = "mmap failed";
      return r;
    }
    for (u32 i = 0; i < REGION_PAGES && r.iterations < n; i++, r.iterations++) p[i * PAGE] = 1;
    unmap((void *)p, REGION_PAGES * PAGE);
  }
  r.elapsed_ns = now_ns() - t0;
  return r;
}

/* `out` from user mode: allowed only after the kernel grants the port (ioperm) or all
 * ports (iopl 3), which needs root (CAP_SYS_RAWIO). In a VM every `out` is a trap to the
 * hypervisor. */
static struct result run_portio(u64 n) {
  struct result r = {n, 0, 0, 0, 0, 0};
  long e = sys3(SYS_ioperm, IO_PORT, 1, 1);
  if (is_error(e)) e = sys1(SYS_iopl, 3);
  if (is_error(e)) {
    /* ENOSYS: a kernel built without CONFIG_X86_IOPL_IOPERM (some cloud hosts). */
    r.skipped = e == -38 ? "this kernel has no ioperm/iopl (CONFIG_X86_IOPL_IOPERM is off)"
                         : "port I/O not permitted: ioperm/iopl need root (CAP_SYS_RAWIO)";
    r.err = -e;
    return r;
  }
  u64 t0 = now_ns();
  for (u64 i = 0; i < n; i++) __asm__ volatile("outb %%al, %%dx" : : "a"(0), "d"(IO_PORT));
  r.elapsed_ns = now_ns() - t0;
  return r;
}

static const struct workload {
  const char *name;
  u64 default_iterations;
  struct result (*run)(u64);
} workloads[] = {
    {"cpu", 20000000, run_cpu},
    {"syscall", 100000, run_syscall},
    {"pagefault", 20000, run_pagefault},
    {"portio", 100000, run_portio},
};
#define N_WORKLOADS (sizeof workloads / sizeof workloads[0])

static void report(const char *name, struct result r) {
  out_str("{\"tool\":\"vbench\",\"workload\":\"");
  out_str(name);
  if (r.skipped) {
    out_str("\",\"skipped\":\"");
    out_str(r.skipped);
    out_str("\",\"errno\":");
    out_i64(r.err);
    out_str("}\n");
    return;
  }
  out_str("\",\"iterations\":");
  out_u64(r.iterations);
  out_str(",\"elapsed_ns\":");
  out_u64(r.elapsed_ns);
  out_str(",\"ns_per_op\":");
  out_centi(r.iterations ? r.elapsed_ns * 100 / r.iterations : 0);
  if (r.has_checksum) {
    out_str(",\"checksum\":\"");
    out_hex(r.checksum, 8);
    out_char('"');
  }
  out_str("}\n");
  out_flush(); /* one line per workload as soon as it is done */
}

static int usage(void) {
  out_str("usage: vbench [-s PERCENT] [cpu|syscall|pagefault|portio]...\n");
  return 2;
}

int main(int argc, char **argv) {
  long percent = 100;
  int chosen[N_WORKLOADS] = {0}, any = 0;
  for (int i = 1; i < argc; i++) {
    if (str_eq(argv[i], "-s")) {
      if (i + 1 >= argc || (percent = parse_uint(argv[++i])) <= 0) return usage();
      continue;
    }
    u32 w = 0;
    while (w < N_WORKLOADS && !str_eq(argv[i], workloads[w].name)) w++;
    if (w == N_WORKLOADS) return usage();
    chosen[w] = any = 1;
  }
  for (u32 w = 0; w < N_WORKLOADS; w++) {
    if (any && !chosen[w]) continue;
    u64 n = workloads[w].default_iterations * (u64)percent / 100;
    report(workloads[w].name, workloads[w].run(n ? n : 1));
  }
  return 0;
}
