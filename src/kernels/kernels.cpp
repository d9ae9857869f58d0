// Choosing the kernel table at run time.
#include "kernels/kernels.h"

#include <atomic>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace lmzip {

namespace {

bool cpu_has(const char* name) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  // F16C from CPUID leaf 1 (ECX bit 29): clang's __builtin_cpu_supports does not know it.
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  const bool f16c = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C);
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && f16c;
  if (std::strcmp(name, "avx2") == 0) return avx2;
  if (std::strcmp(name, "avx512") == 0)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") && avx2;
#endif
#if defined(__aarch64__)
  // Advanced SIMD (with fp16 conversions) is mandatory in AArch64.
  if (std::strcmp(name, "neon") == 0) return true;
#endif
  (void)name;
  return false;
}

const KernelTable* table_by_name(const char* name) {
  if (std::strcmp(name, "scalar") == 0) return &kernels_scalar();
  if (!cpu_has(name)) return nullptr;
  if (std::strcmp(name, "avx2") == 0) return kernels_avx2();
  if (std::strcmp(name, "avx512") == 0) return kernels_avx512();
  if (std::strcmp(name, "neon") == 0) return kernels_neon();
  return nullptr;
}

// The fastest path the CPU has. Forcing another is the program's choice
// (kernels_use, lmzip/engine.h; the lmzip program reads LMZIP_KERNELS).
const KernelTable* table_default() {
  for (const char* n : {"avx512", "avx2", "neon"})
    if (const KernelTable* t = table_by_name(n)) return t;
  return &kernels_scalar();
}

std::atomic<const KernelTable*> g_table{nullptr};

}  // namespace

const KernelTable& kernels() {
  const KernelTable* t = g_table.load(std::memory_order_acquire);
  if (!t) {
    t = table_default();
    g_table.store(t, std::memory_order_release);
  }
  return *t;
}

bool kernels_select(const char* name) {
  const KernelTable* t = table_by_name(name);
  if (!t) return false;
  g_table.store(t, std::memory_order_release);
  return true;
}

bool kernels_available(const char* name) { return table_by_name(name) != nullptr; }

}  // namespace lmzip
