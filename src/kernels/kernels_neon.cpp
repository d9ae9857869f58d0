// AArch64 Advanced SIMD path: NEON is part of the base ISA there, so no flags
// and no run-time check; elsewhere this file compiles to a null table.
#include "kernels/kernels.h"

#if defined(__aarch64__)
#include "kernels/kernel_ops_neon.h"
#include "kernels/kernels_impl.h"

namespace {

struct ConfigNeon {
  using O = OpsNeon;
  static constexpr int gemm_mr = 6, gemm_nv = 4;   // 24 accumulators of 32 q registers
  static constexpr int att_nv = 4, att_jt = 4, att_ct = 4;
  static constexpr int ls_jt = 8, ls_ct = 8;
};

const lmzip::KernelTable kTable = kernel_table_make<ConfigNeon>("neon");

}  // namespace

namespace lmzip {
const KernelTable* kernels_neon() { return &kTable; }
}  // namespace lmzip

#else

namespace lmzip {
const KernelTable* kernels_neon() { return nullptr; }
}  // namespace lmzip

#endif
