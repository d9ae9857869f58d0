#include "llm/llm_matrix.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/f16.h"
#include "gguf/gguf_dequant.h"
#include "kernels/kernels.h"
#include "llm/llm_kernels.h"

namespace lmzip {

namespace {

using gguf::TensorType;

// Every binary16 value as f32 (exact), so that a block's scale costs a load:
// a decoding step converts one per 32 weights.
const float* f16_table() {
  static const std::vector<float> table = [] {
    std::vector<float> t(65536);
    for (uint32_t h = 0; h < 65536; ++h) t[h] = f16_to_f32(uint16_t(h));
    return t;
  }();
  return table.data();
}

inline float f16_at(const float* table, const uint8_t* p) { return table[p[0] | (p[1] << 8)]; }

// Row r of g from one weight row's super-block sb: the 32-blocks 8 sb ..
// 8 sb + nsub - 1 of the row (Q8_0, Q4_0), or its super-block sb (Q4_K, Q6_K).
// Q8_0 (34 bytes: f16 d, 32 int8): ws = d.
// Q4_0 (18 bytes: f16 d, 16 bytes of nibbles; element i the low nibble of
// byte i, i + 16 its high one, minus 8): ws = d.
void unpack_q8_0(const uint8_t* row, int sb, LlmRowGroup& g, int r) {
  const float* kF16 = f16_table();
  for (int j = 0; j < g.nsub; ++j) {
    const uint8_t* b = row + size_t(8 * sb + j) * 34;
    g.ws[j][r] = f16_at(kF16, b);
    std::memcpy(g.q[r] + 32 * j, b + 2, 32);
  }
}

void unpack_q4_0(const uint8_t* row, int sb, LlmRowGroup& g, int r) {
  const float* kF16 = f16_table();
  for (int j = 0; j < g.nsub; ++j) {
    const uint8_t* b = row + size_t(8 * sb + j) * 18;
    g.ws[j][r] = f16_at(kF16, b);
    for (int i = 0; i < 16; ++i) {
      g.q[r][32 * j + i] = int8_t(int(b[2 + i] & 0xF) - 8);
      g.q[r][32 * j + i + 16] = int8_t(int(b[2 + i] >> 4) - 8);
    }
  }
}

// Q4_K (144 bytes: f16 d, f16 dmin, 12 bytes of 6-bit scales and mins, 128
// of nibbles, 32 bytes per pair of sub-blocks: low nibbles, then high):
// sub-block j's values are d * sc_j * q - dmin * m_j, so ws = d * sc_j,
// wm = dmin * m_j, q the nibble (0 .. 15).
void unpack_q4_k(const uint8_t* row, int sb, LlmRowGroup& g, int r) {
  const float* kF16 = f16_table();
  const uint8_t* b = row + size_t(sb) * 144;
  const float d = f16_at(kF16, b), dmin = f16_at(kF16, b + 2);
  const uint8_t* s = b + 4;
  const uint8_t* q = b + 16;
  for (int j = 0; j < 8; ++j) {
    int sc, m;
    if (j < 4) {
      sc = s[j] & 63, m = s[j + 4] & 63;
    } else {
      sc = (s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4);
      m = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
    }
    g.ws[j][r] = d * float(sc);
    g.wm[j][r] = dmin * float(m);
    const uint8_t* qj = q + 32 * (j / 2);
    for (int i = 0; i < 32; ++i) g.q[r][32 * j + i] = int8_t(j % 2 == 0 ? qj[i] & 0xF : qj[i] >> 4);
  }
}

// Q6_K (210 bytes: 128 bytes of low nibbles, 64 of high 2-bit pairs, 16 int8
// scales, f16 d): values d * sc * (q - 32), one scale per 16; ws = d.
void unpack_q6_k(const uint8_t* row, int sb, LlmRowGroup& g, int r) {
  const float* kF16 = f16_table();
  const uint8_t* b = row + size_t(sb) * 210;
  const int8_t* sc = reinterpret_cast<const int8_t*>(b + 192);
  const float d = f16_at(kF16, b + 208);
  for (int half = 0; half < 2; ++half) {  // 128 elements each
    int8_t* y = g.q[r] + 128 * half;
    const uint8_t* l = b + 64 * half;
    const uint8_t* h = b + 128 + 32 * half;
    for (int i = 0; i < 32; ++i) {
      y[i] = int8_t(int((l[i] & 0xF) | (((h[i] >> 0) & 3) << 4)) - 32);
      y[i + 32] = int8_t(int((l[i + 32] & 0xF) | (((h[i] >> 2) & 3) << 4)) - 32);
      y[i + 64] = int8_t(int((l[i] >> 4) | (((h[i] >> 4) & 3) << 4)) - 32);
      y[i + 96] = int8_t(int((l[i + 32] >> 4) | (((h[i] >> 6) & 3) << 4)) - 32);
    }
  }
  for (int i = 0; i < 16; ++i) g.sc[r][i] = sc[i];
  for (int j = 0; j < 8; ++j) g.ws[j][r] = d;
}

// Sets g up for nrows rows: rows past nrows zero, the integer scales 1 for
// types without them (Q6_K writes its own), no offsets (Q4_K writes its own).
void group_start(int nrows, LlmRowGroup& g) {
  g.nrows = nrows;
  for (int r = 0; r < 8; ++r)
    for (int i = 0; i < 16; ++i) g.sc[r][i] = r < nrows ? 1 : 0;
  std::memset(g.wm, 0, sizeof g.wm);  // only Q4_K has offsets
  if (nrows == 8) return;
  std::memset(g.q, 0, sizeof g.q);
  std::memset(g.ws, 0, sizeof g.ws);
}

// Super-block sb of the group's rows (from n0) into g; where prefetch_bytes
// (a super-block's bytes) is not 0, the rows' bytes two super-blocks on are
// fetched meanwhile.
void group_unpack(const LlmMatrix& w, int n0, int sb, size_t prefetch_bytes, LlmRowGroup& g) {
  const int nb32 = w.K / 32;
  g.nsub = w.type == TensorType::q8_0 || w.type == TensorType::q4_0 ? std::min(8, nb32 - 8 * sb) : 8;
  const size_t ahead = size_t(sb + 2) * prefetch_bytes;
  for (int r = 0; r < g.nrows; ++r) {
    const uint8_t* row = w.rows + size_t(n0 + r) * w.row_bytes;
    for (size_t at = ahead; at < ahead + prefetch_bytes && at < w.row_bytes; at += 64) __builtin_prefetch(row + at);
    switch (w.type) {
      case TensorType::q8_0: unpack_q8_0(row, sb, g, r); break;
      case TensorType::q4_0: unpack_q4_0(row, sb, g, r); break;
      case TensorType::q4_k: unpack_q4_k(row, sb, g, r); break;
      default: unpack_q6_k(row, sb, g, r); break;
    }
  }
}

// The (N, K) row-major matrix whose element i is at(i), as (K, N): the
// layout the gemms read.
template <class T, class At>
std::vector<T> transposed(int N, int K, At at) {
  std::vector<T> out(size_t(N) * size_t(K));
  for (int n = 0; n < N; ++n)
    for (int k = 0; k < K; ++k) out[size_t(k) * size_t(N) + size_t(n)] = at(size_t(n) * size_t(K) + size_t(k));
  return out;
}

bool is_block_type(TensorType t) {
  return t == TensorType::q8_0 || t == TensorType::q4_0 || t == TensorType::q4_k || t == TensorType::q6_k;
}

// Eight outputs at a time: a group's super-block is unpacked once for every
// activation row.
void matmul_blocks(float* y, int ldy, const LlmQ8& xq, int M, const LlmMatrix& w, const float* r) {
  const LlmKernels& k = llm_kernels();
  const int nb32 = w.K / 32, nsb = (nb32 + 7) / 8;
  std::vector<float> acc(static_cast<size_t>(M) * 8);
  LlmRowGroup g;
  // A step of a few rows reads every weight once and would wait on memory for
  // each (prefetching: 10 to 15% more tokens/s decoding Q8_0); with many rows
  // a super-block is used long enough for the fetch not to matter, and
  // prefetching slows it.
  const gguf::TypeLayout l = gguf::type_layout(w.type);
  const size_t prefetch_bytes = M <= 16 ? size_t(256 / l.block) * l.bytes : 0;
  for (int n0 = 0; n0 < w.N; n0 += 8) {
    group_start(std::min(8, w.N - n0), g);
    std::fill(acc.begin(), acc.end(), 0.f);
    for (int sb = 0; sb < nsb; ++sb) {
      group_unpack(w, n0, sb, prefetch_bytes, g);
      for (int m = 0; m < M; ++m) {
        const size_t b0 = size_t(m) * size_t(nb32) + size_t(8 * sb);
        k.row_group(g, xq.q.data() + b0 * 32, xq.d.data() + b0, xq.sum.data() + b0, acc.data() + size_t(m) * 8);
      }
    }
    for (int m = 0; m < M; ++m)
      for (int i = 0; i < g.nrows; ++i) {
        const size_t at = size_t(m) * size_t(ldy) + size_t(n0 + i);
        y[at] = r ? acc[size_t(m) * 8 + size_t(i)] + r[at] : acc[size_t(m) * 8 + size_t(i)];
      }
  }
}

}  // namespace

Result<LlmMatrix> llm_matrix_make(const gguf::Tensor& t, int N, int K) {
  if (t.dims.size() != 2 || t.dims[0] != uint64_t(K) || t.dims[1] != uint64_t(N))
    return Status(ErrorCode::bad_model_file, "tensor '" + t.name + "' has not the shape {" + std::to_string(K) +
                                                 ", " + std::to_string(N) + "}");
  LlmMatrix m;
  m.type = t.type, m.N = N, m.K = K;
  if (is_block_type(t.type)) {
    const gguf::TypeLayout l = gguf::type_layout(t.type);
    m.rows = t.bytes().data();
    m.row_bytes = size_t(K) / l.block * l.bytes;
    return m;
  }
  const size_t count = size_t(N) * size_t(K);
  if (t.type == TensorType::f16 || t.type == TensorType::bf16) {
    if (t.bytes().size() != 2 * count)
      return Status(ErrorCode::bad_model_file, "tensor '" + t.name + "' has not the size of its shape");
    const uint8_t* b = t.bytes().data();
    auto bits = [b](size_t i) { return uint16_t(b[2 * i] | (b[2 * i + 1] << 8)); };
    if (t.type == TensorType::f16)
      m.wh = transposed<uint16_t>(N, K, bits);
    else
      m.wb = transposed<BFloat16>(N, K, [&](size_t i) { return BFloat16{bits(i)}; });
    return m;
  }
  std::vector<float> w(count);
  if (Status st = gguf::dequantize(t, w); !st) return st;  // checks the type and size
  m.wt = transposed<float>(N, K, [&](size_t i) { return w[i]; });
  return m;
}

void llm_q8_quantize(LlmQ8& out, const float* x, int M, int K, int ldx) {
  const int nb = K / 32;
  out.K = K;
  out.q.resize(size_t(M) * size_t(K));
  out.d.resize(size_t(M) * size_t(nb));
  out.sum.resize(out.d.size());
  for (int m = 0; m < M; ++m) {
    for (int b = 0; b < nb; ++b) {
      const float* xb = x + size_t(m) * size_t(ldx) + size_t(32 * b);
      float amax = 0.f;
      for (int i = 0; i < 32; ++i) {
        const float a = std::fabs(xb[i]);
        amax = a > amax ? a : amax;  // NaN never wins
      }
      const float d = amax / 127.f;
      const float id = d > 0.f ? 1.f / d : 0.f;  // an infinite amax gives d inf, id 0
      int8_t* q = out.q.data() + size_t(m) * size_t(K) + size_t(32 * b);
      int32_t s = 0;
      for (int i = 0; i < 32; ++i) {
        float v = xb[i] * id;
        v = v > 127.f ? 127.f : v < -127.f ? -127.f : v;
        if (v != v) v = 0.f;
        q[i] = int8_t(std::nearbyint(v));
        s += q[i];
      }
      out.d[size_t(m) * size_t(nb) + size_t(b)] = d;
      out.sum[size_t(m) * size_t(nb) + size_t(b)] = s;
    }
  }
}

void llm_matmul_forward(float* y, int ldy, const float* x, int ldx, const LlmQ8& xq, int M, const LlmMatrix& w,
                        const float* r) {
  if (w.blocks()) {
    matmul_blocks(y, ldy, xq, M, w, r);
    return;
  }
  const KernelTable& k = kernels();
  if (!w.wh.empty())
    k.gemm_f16(M, w.N, w.K, x, ldx, w.wh.data(), w.N, y, ldy, r);
  else if (!w.wb.empty())
    k.gemm_bf16(M, w.N, w.K, x, ldx, w.wb.data(), w.N, y, ldy, r);
  else
    k.gemm(M, w.N, w.K, x, ldx, w.wt.data(), w.N, y, ldy, r);
}

}  // namespace lmzip
