// AVX-512F path (compiled with -mavx512f ...; used only when the CPU has it).
// Elsewhere than x86 this file compiles to a null table.
#include "kernels/kernels.h"

#if defined(__x86_64__) || defined(__i386__)
// GCC 12 warns falsely inside its own AVX-512 headers (_mm512_undefined_ps).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "kernels/kernel_ops_avx512.h"
#include "kernels/kernels_impl.h"

namespace {

struct ConfigAvx512 {
  using O = OpsAvx512;
  static constexpr int gemm_mr = 8, gemm_nv = 2;   // 16 accumulators of 32 zmm
  static constexpr int att_nv = 2, att_jt = 8, att_ct = 8;
  static constexpr int ls_jt = 8, ls_ct = 16;
};

const lmzip::KernelTable kTable = kernel_table_make<ConfigAvx512>("avx512");

}  // namespace

namespace lmzip {
const KernelTable* kernels_avx512() { return &kTable; }
}  // namespace lmzip

#else

namespace lmzip {
const KernelTable* kernels_avx512() { return nullptr; }
}  // namespace lmzip

#endif
