/*
 * cpuid-info — what the CPU (real or virtual) says about itself through CPUID.
 *
 * The course uses it to show that a guest sees a different CPU from its host: v86 reports
 * a Pentium III with the "hypervisor" bit (leaf 1, ECX bit 31) set and "VMwareVMware" at
 * leaf 0x40000000; QEMU/KVM reports "KVMKVMKVM"; a school PC with VT-x shows `vmx`.
 *
 *   cpuid-info        human-readable lines "key: value"
 *   cpuid-info -j     one JSON object (for tests and scripts)
 */
#include "rt.h"

struct regs { u32 a, b, c, d; };

static struct regs cpuid(u32 leaf, u32 subleaf) {
  struct regs r;
  __asm__ volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(leaf), "c"(subleaf));
  return r;
}

/* Copies 4-byte register values into a string, in the order CPUID defines. */
static void regs_to_str(char *dst, const u32 *words, int n) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < 4; j++) dst[i * 4 + j] = (char)(words[i] >> (j * 8));
  dst[n * 4] = 0;
}

/* Feature flag names, as Linux spells them in /proc/cpuinfo. Null = reserved bit. */
static const char *const edx1[32] = {
  "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", 0, "sep", "mtrr", "pge", "mca", "cmov",
  "pat", "pse36", "pn", "clflush", 0, "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"};
static const char *const ecx1[32] = {
  "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm",
  0, "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", "osxsave", "avx", "f16c", "rdrand", "hypervisor"};
static const char *const edx81[32] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "syscall", 0, 0, 0, 0,
  0, 0, 0, "mp", "nx", 0, "mmxext", 0, 0, "fxsr_opt", "pdpe1gb", "rdtscp", 0, "lm", "3dnowext", "3dnow"};
static const char *const ecx81[32] = {
  "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", 0, "lwp",
  "fma4", "tce", 0, "nodeid_msr", 0, "tbm", "topoext", 0, 0, 0, 0, 0, 0, 0, 0, 0};

static int json;

static void key(const char *k) {
  static int first = 1;
  if (json) {
    out_str(first ? "{\"" : ",\"");
    out_str(k);
    out_str("\":");
  } else {
    out_str(k);
    out_str(": ");
  }
  first = 0;
}
static void end_value(void) {
  if (!json) out_char('\n');
}
static void str_value(const char *s) {
  if (json) out_char('"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (json && (c == '"' || c == '\\')) out_char('\\');
    out_char(c < 32 || c > 126 ? '?' : (char)c); /* a hypervisor may fill leaves with bytes */
  }
  if (json) out_char('"');
  end_value();
}
static void num_value(u64 v) {
  out_u64(v);
  end_value();
}
static void hex_value(u32 v) {
  if (json) out_char('"');
  out_hex(v, 8);
  if (json) out_char('"');
  end_value();
}
static void bool_value(int b) {
  out_str(json ? (b ? "true" : "false") : (b ? "yes" : "no"));
  end_value();
}

static void flags(const char *const names[32], u32 bits, int *first) {
  for (int i = 0; i < 32; i++) {
    if (!(bits >> i & 1) || !names[i]) continue;
    if (!*first) out_char(' ');
    out_str(names[i]);
    *first = 0;
  }
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (str_eq(argv[i], "-j") || str_eq(argv[i], "--json")) json = 1;
    else {
      out_str("usage: cpuid-info [-j]\n");
      return 2;
    }
  }
  char text[49];

  struct regs r0 = cpuid(0, 0);
  u32 vendor_words[3] = {r0.b, r0.d, r0.c}; /* "Genu" "ineI" "ntel" */
  regs_to_str(text, vendor_words, 3);
  key("vendor"), str_value(text);
  key("max_leaf"), hex_value(r0.a);

  struct regs r1 = cpuid(1, 0);
  /* Family and model as Intel's SDM combines them with the extended fields. */
  u32 base_family = (r1.a >> 8) & 15, base_model = (r1.a >> 4) & 15;
  u32 family = base_family == 15 ? base_family + ((r1.a >> 20) & 255) : base_family;
  u32 model = base_family == 6 || base_family == 15 ? base_model + (((r1.a >> 16) & 15) << 4) : base_model;
  key("family"), num_value(family);
  key("model"), num_value(model);
  key("stepping"), num_value(r1.a & 15);

  struct regs e0 = cpuid(0x80000000u, 0);
  int has_ext = e0.a >= 0x80000001u && e0.a <= 0x8000ffffu;
  struct regs e1 = has_ext ? cpuid(0x80000001u, 0) : (struct regs){0, 0, 0, 0};
  if (e0.a >= 0x80000004u && e0.a <= 0x8000ffffu) {
    u32 words[12];
    for (u32 l = 0; l < 3; l++) {
      struct regs b = cpuid(0x80000002u + l, 0);
      words[l * 4] = b.a, words[l * 4 + 1] = b.b, words[l * 4 + 2] = b.c, words[l * 4 + 3] = b.d;
    }
    regs_to_str(text, words, 12);
    char *s = text;
    while (*s == ' ') s++; /* Intel pads the brand string on the left */
    key("brand"), str_value(s);
  }

  key("flags");
  if (json) out_char('"');
  int first = 1;
  flags(edx1, r1.d, &first);
  flags(ecx1, r1.c, &first);
  flags(edx81, e1.d, &first);
  flags(ecx81, e1.c, &first);
  if (json) out_char('"');
  end_value();

  /* The two ways a CPU can offer hardware virtualization to its own software. */
  key("vmx"), bool_value(r1.c >> 5 & 1);
  key("svm"), bool_value(e1.c >> 2 & 1);

  /* Set by hypervisors, never by real hardware; only then is leaf 0x40000000 meaningful
   * (on bare metal it returns whatever the highest basic leaf holds). */
  int hv = r1.c >> 31 & 1;
  key("hypervisor_bit"), bool_value(hv);
  if (hv) {
    struct regs h = cpuid(0x40000000u, 0);
    u32 hv_words[3] = {h.b, h.c, h.d};
    regs_to_str(text, hv_words, 3);
    key("hypervisor_vendor"), str_value(text);
    key("hypervisor_max_leaf"), hex_value(h.a);
  }
  if (json) out_str("}\n");
  return 0;
}
