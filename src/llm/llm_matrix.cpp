#include "llm/llm_matrix.h"

#include <cmath>
#include <cstring>

#include "common/f16.h"
#include "gguf/gguf_dequant.h"
#include "kernels/kernels.h"
#include "llm/llm_kernels.h"

namespace lmzip {

namespace {

using gguf::TensorType;

// Up to eight 32-blocks of one weight row, unpacked for block_dots.
struct SuperBlock {
  int nsub = 0;
  alignas(32) int8_t q[256];
  int16_t sc[16];
  float ws[8], wm[8];
};

float f16_at(const uint8_t* p) { return f16_to_f32(uint16_t(p[0] | (p[1] << 8))); }

void scales_one(SuperBlock& u) {
  for (int i = 0; i < 16; ++i) u.sc[i] = 1;
  for (int j = 0; j < 8; ++j) u.wm[j] = 0.f;
}

// Q8_0 (34 bytes: f16 d, 32 int8) and Q4_0 (18 bytes: f16 d, 16 bytes of
// nibbles, element i the low nibble of byte i, i + 16 the high one, minus 8):
// ws = d. Super-block sb = 32-blocks 8 sb .. 8 sb + 7 of the row.
void unpack_q8_0(const uint8_t* row, int sb, int nb, SuperBlock& u) {
  scales_one(u);
  u.nsub = std::min(8, nb - 8 * sb);
  for (int j = 0; j < u.nsub; ++j) {
    const uint8_t* b = row + size_t(8 * sb + j) * 34;
    u.ws[j] = f16_at(b);
    std::memcpy(u.q + 32 * j, b + 2, 32);
  }
}

void unpack_q4_0(const uint8_t* row, int sb, int nb, SuperBlock& u) {
  scales_one(u);
  u.nsub = std::min(8, nb - 8 * sb);
  for (int j = 0; j < u.nsub; ++j) {
    const uint8_t* b = row + size_t(8 * sb + j) * 18;
    u.ws[j] = f16_at(b);
    for (int i = 0; i < 16; ++i) {
      u.q[32 * j + i] = int8_t(int(b[2 + i] & 0xF) - 8);
      u.q[32 * j + i + 16] = int8_t(int(b[2 + i] >> 4) - 8);
    }
  }
}

// Q4_K (144 bytes: f16 d, f16 dmin, 12 bytes of 6-bit scales and mins, 128
// of nibbles): sub-block j's values are d * sc_j * q - dmin * m_j, so
// ws = d * sc_j, wm = dmin * m_j, q the nibble (0 .. 15).
void unpack_q4_k(const uint8_t* row, int sb, SuperBlock& u) {
  const uint8_t* b = row + size_t(sb) * 144;
  const float d = f16_at(b), dmin = f16_at(b + 2);
  const uint8_t* s = b + 4;
  const uint8_t* q = b + 16;
  u.nsub = 8;
  for (int i = 0; i < 16; ++i) u.sc[i] = 1;
  for (int j = 0; j < 8; ++j) {
    int sc, m;
    if (j < 4) {
      sc = s[j] & 63, m = s[j + 4] & 63;
    } else {
      sc = (s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4);
      m = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
    }
    u.ws[j] = d * float(sc);
    u.wm[j] = dmin * float(m);
    const uint8_t* qj = q + 32 * (j / 2);  // 32 bytes per pair of sub-blocks: low nibbles, then high
    for (int i = 0; i < 32; ++i) u.q[32 * j + i] = int8_t(j % 2 == 0 ? qj[i] & 0xF : qj[i] >> 4);
  }
}

// Q6_K (210 bytes: 128 bytes of low nibbles, 64 of high 2-bit pairs, 16 int8
// scales, f16 d): values d * sc * (q - 32), one scale per 16; ws = d.
void unpack_q6_k(const uint8_t* row, int sb, SuperBlock& u) {
  const uint8_t* b = row + size_t(sb) * 210;
  const uint8_t* ql = b;
  const uint8_t* qh = b + 128;
  const int8_t* sc = reinterpret_cast<const int8_t*>(b + 192);
  const float d = f16_at(b + 208);
  u.nsub = 8;
  for (int half = 0; half < 2; ++half) {  // 128 elements each
    int8_t* y = u.q + 128 * half;
    const uint8_t* l = ql + 64 * half;
    const uint8_t* h = qh + 32 * half;
    for (int i = 0; i < 32; ++i) {
      y[i] = int8_t(int((l[i] & 0xF) | (((h[i] >> 0) & 3) << 4)) - 32);
      y[i + 32] = int8_t(int((l[i + 32] & 0xF) | (((h[i] >> 2) & 3) << 4)) - 32);
      y[i + 64] = int8_t(int((l[i] >> 4) | (((h[i] >> 4) & 3) << 4)) - 32);
      y[i + 96] = int8_t(int((l[i + 32] >> 4) | (((h[i] >> 6) & 3) << 4)) - 32);
    }
  }
  for (int i = 0; i < 16; ++i) u.sc[i] = sc[i];
  for (int j = 0; j < 8; ++j) u.ws[j] = d, u.wm[j] = 0.f;
}

void unpack(TensorType t, const uint8_t* row, int sb, int nb32, SuperBlock& u) {
  switch (t) {
    case TensorType::q8_0: unpack_q8_0(row, sb, nb32, u); break;
    case TensorType::q4_0: unpack_q4_0(row, sb, nb32, u); break;
    case TensorType::q4_k: unpack_q4_k(row, sb, u); break;
    default: unpack_q6_k(row, sb, u); break;
  }
}

bool is_block_type(TensorType t) {
  return t == TensorType::q8_0 || t == TensorType::q4_0 || t == TensorType::q4_k || t == TensorType::q6_k;
}

void matmul_blocks(float* y, int ldy, const LlmQ8& xq, int M, const LlmMatrix& w, const float* r) {
  const LlmKernels& k = llm_kernels();
  const int nb32 = w.K / 32, nsb = (nb32 + 7) / 8;
  std::vector<float> acc(static_cast<size_t>(M));
  SuperBlock u;
  int32_t isum[8];
  for (int n = 0; n < w.N; ++n) {
    const uint8_t* row = w.rows + size_t(n) * w.row_bytes;
    std::fill(acc.begin(), acc.end(), 0.f);
    for (int sb = 0; sb < nsb; ++sb) {
      unpack(w.type, row, sb, nb32, u);
      for (int m = 0; m < M; ++m) {
        const size_t b0 = size_t(m) * size_t(nb32) + size_t(8 * sb);
        k.block_dots(u.nsub, u.q, u.sc, xq.q.data() + b0 * 32, isum);
        float a = acc[size_t(m)];
        for (int j = 0; j < u.nsub; ++j) {
          const float t = xq.d[b0 + size_t(j)] * (u.ws[j] * float(isum[j]) - u.wm[j] * float(xq.sum[b0 + size_t(j)]));
          a = a + t;
        }
        acc[size_t(m)] = a;
      }
    }
    for (int m = 0; m < M; ++m) {
      float* out = y + size_t(m) * size_t(ldy) + size_t(n);
      *out = r ? acc[size_t(m)] + r[size_t(m) * size_t(ldy) + size_t(n)] : acc[size_t(m)];
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
  std::vector<float> w(size_t(N) * size_t(K));
  if (Status st = gguf::dequantize(t, w); !st) return st;
  m.wt.resize(w.size());
  for (int n = 0; n < N; ++n)
    for (int k = 0; k < K; ++k) m.wt[size_t(k) * size_t(N) + size_t(n)] = w[size_t(n) * size_t(K) + size_t(k)];
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
  kernels().gemm(M, w.N, w.K, x, ldx, w.wt.data(), w.N, y, ldy, r);
}

}  // namespace lmzip
