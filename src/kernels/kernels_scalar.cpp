// The scalar reference path: the definition every other path must match bit
// for bit. Compiled with the baseline flags only.
#include "kernels/kernels_impl.h"

namespace {

struct ConfigScalar {
  using O = OpsScalar;
  static constexpr int gemm_mr = 4, gemm_nv = 4;   // 16 independent fma chains
  static constexpr int att_nv = 4, att_jt = 4, att_ct = 4;
  static constexpr int ls_jt = 4, ls_ct = 4;
};

const lmzip::KernelTable kTable = kernel_table_make<ConfigScalar>("scalar");

}  // namespace

namespace lmzip {
const KernelTable& kernels_scalar() { return kTable; }
}  // namespace lmzip
