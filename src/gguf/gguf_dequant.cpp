#include "gguf/gguf_dequant.h"

#include <cstring>

#include "common/f16.h"

namespace lmzip::gguf {

namespace {

float f16_at(const uint8_t* p) { return f16_to_f32(uint16_t(p[0] | (p[1] << 8))); }

float bf16_at(const uint8_t* p) {
  const uint32_t u = uint32_t(p[0] | (p[1] << 8)) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// Q4_0: f16 d, then 16 bytes; element j is the low nibble of byte j, element
// j + 16 its high nibble, each minus 8, times d.
void q4_0_block(const uint8_t* b, float* y) {
  const float d = f16_at(b);
  for (int j = 0; j < 16; ++j) {
    y[j] = float(int(b[2 + j] & 0xF) - 8) * d;
    y[j + 16] = float(int(b[2 + j] >> 4) - 8) * d;
  }
}

// Q8_0: f16 d, then 32 int8; element j is q_j times d.
void q8_0_block(const uint8_t* b, float* y) {
  const float d = f16_at(b);
  for (int j = 0; j < 32; ++j) y[j] = float(int8_t(b[2 + j])) * d;
}

// Q4_K's 6-bit scale and min of sub-block j (0..7) from its 12 packed bytes:
// sub-blocks 0..3 in the low six bits of bytes j and j + 4; 4..7 split
// between the nibbles of bytes j + 4 and the top two bits of bytes j - 4 / j.
void q4_k_scale_min(int j, const uint8_t* q, int* sc, int* m) {
  if (j < 4) {
    *sc = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *sc = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
  }
}

// Q4_K: f16 d, f16 dmin, 12 bytes of scales, 128 bytes of nibbles. Each 64
// elements use 32 bytes: the low nibbles (sub-block 2i), then the high ones
// (sub-block 2i + 1); element = d*scale * q - dmin*min.
void q4_k_block(const uint8_t* b, float* y) {
  const float d = f16_at(b), dmin = f16_at(b + 2);
  const uint8_t* scales = b + 4;
  const uint8_t* q = b + 16;
  for (int i = 0; i < 4; ++i) {
    int sc, m;
    q4_k_scale_min(2 * i, scales, &sc, &m);
    const float d1 = d * float(sc), m1 = dmin * float(m);
    q4_k_scale_min(2 * i + 1, scales, &sc, &m);
    const float d2 = d * float(sc), m2 = dmin * float(m);
    for (int l = 0; l < 32; ++l) y[l] = d1 * float(q[l] & 0xF) - m1;
    for (int l = 0; l < 32; ++l) y[32 + l] = d2 * float(q[l] >> 4) - m2;
    y += 64;
    q += 32;
  }
}

// Q6_K: 128 bytes of low nibbles, 64 of high bit pairs, 16 int8 scales, f16 d.
// Each half of 128 elements: 64 low-nibble bytes and 32 high-pair bytes; its
// four runs of 32 take the low / high nibbles of ql[l] and ql[l + 32] with bit
// pairs 0-1, 4-5, 2-3, 6-7 of qh[l]; element = d * scale * (q - 32), with one
// scale per 16 elements.
void q6_k_block(const uint8_t* b, float* y) {
  const uint8_t* ql = b;
  const uint8_t* qh = b + 128;
  const int8_t* sc = reinterpret_cast<const int8_t*>(b + 192);
  const float d = f16_at(b + 208);
  for (int half = 0; half < 2; ++half) {
    for (int l = 0; l < 32; ++l) {
      const int is = l / 16;
      const int q1 = int((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
      const int q2 = int((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
      const int q3 = int((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
      const int q4 = int((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
      y[l] = d * float(sc[is]) * float(q1);
      y[l + 32] = d * float(sc[is + 2]) * float(q2);
      y[l + 64] = d * float(sc[is + 4]) * float(q3);
      y[l + 96] = d * float(sc[is + 6]) * float(q4);
    }
    y += 128;
    ql += 64;
    qh += 32;
    sc += 8;
  }
}

}  // namespace

void dequantize_row(TensorType type, const uint8_t* src, float* out, int64_t n) {
  const TypeLayout l = type_layout(type);
  for (int64_t i = 0; i < n / l.block; ++i) {
    const uint8_t* b = src + i * l.bytes;
    float* y = out + i * l.block;
    switch (type) {
      case TensorType::f32: std::memcpy(y, b, 4); break;  // little-endian hosts (x86, arm64)
      case TensorType::f16: *y = f16_at(b); break;
      case TensorType::bf16: *y = bf16_at(b); break;
      case TensorType::q4_0: q4_0_block(b, y); break;
      case TensorType::q8_0: q8_0_block(b, y); break;
      case TensorType::q4_k: q4_k_block(b, y); break;
      case TensorType::q6_k: q6_k_block(b, y); break;
    }
  }
}

Status dequantize(const Tensor& t, std::span<float> out) {
  if (out.size() != t.elements() || t.bytes().size() != t.payload_bytes())
    return Status(ErrorCode::invalid_argument, "GGUF: tensor '" + t.name + "' does not fit the output");
  dequantize_row(t.type, t.bytes().data(), out.data(), int64_t(out.size()));
  return {};
}

}  // namespace lmzip::gguf
