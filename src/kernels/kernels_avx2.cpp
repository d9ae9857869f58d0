// AVX2 + FMA path (compiled with -mavx2 -mfma; used only when the CPU has them).
// Elsewhere than x86 this file compiles to a null table.
#include "kernels/kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include "kernels/kernel_ops_avx2.h"
#include "kernels/kernels_impl.h"

namespace {

struct ConfigAvx2 {
  using O = OpsAvx2;
  static constexpr int gemm_mr = 6, gemm_nv = 2;   // 12 accumulators of 16 ymm
  static constexpr int att_nv = 2, att_jt = 4, att_ct = 4;
  static constexpr int ls_jt = 4, ls_ct = 4;
};

const lmzip::KernelTable kTable = kernel_table_make<ConfigAvx2>("avx2");

}  // namespace

namespace lmzip {
const KernelTable* kernels_avx2() { return &kTable; }
}  // namespace lmzip

#else

namespace lmzip {
const KernelTable* kernels_avx2() { return nullptr; }
}  // namespace lmzip

#endif
