// Rotary position angles, bit-identical on every IEEE-754 machine: libm's
// sin/cos/exp/log are not (glibc, macOS and MSVC round differently), so we
// compute them in double precision with nothing but + - * / and exact
// operations (floor, frexp, ldexp). Accuracy ~1e-15 relative, then rounded to
// float: far inside what the trainer's own float cos/sin give.
#include <cmath>

#include "kernels/rope_angles.h"

namespace lmzip {

namespace {

constexpr double kLn2Hi = 6.93147180369123816490e-01;  // fdlibm split of ln 2
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kPio2_1 = 1.57079632673412561417e+00;  // fdlibm split of pi/2
constexpr double kPio2_2 = 6.07710050630396597660e-11;
constexpr double kPio2_3 = 2.02226624871116645580e-21;

double det_exp(double x) {
  const double n = std::floor(x / kLn2Hi + 0.5);
  const double r = (x - n * kLn2Hi) - n * kLn2Lo;  // |r| <= ~0.35
  double p = 1.0;
  for (int k = 24; k >= 1; --k) p = 1.0 + p * r / double(k);  // Horner form of the Taylor series
  return std::ldexp(p, int(n));
}

double det_log(double x) {  // x > 0, finite
  int e;
  double m = std::frexp(x, &e);  // x = m 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    --e;
  }
  const double s = (m - 1.0) / (m + 1.0), s2 = s * s;  // log m = 2 atanh s, |s| < 0.172
  double sum = 0.0;
  for (int k = 41; k >= 1; k -= 2) sum = 1.0 / double(k) + s2 * sum;
  return 2.0 * s * sum + (double(e) * kLn2Hi + double(e) * kLn2Lo);
}

void det_sincos(double a, double* s, double* c) {
  const double k = std::floor(a * 0.63661977236758134308 + 0.5);  // nearest multiple of pi/2
  const double r = ((a - k * kPio2_1) - k * kPio2_2) - k * kPio2_3;  // |r| <= ~pi/4
  const double r2 = r * r;
  double sp = 0.0, cp = 0.0;
  // sin r = r (1 - r^2/(2*3) (1 - r^2/(4*5) (...))), cos r likewise.
  for (int n = 22; n >= 2; n -= 2) {
    sp = 1.0 - r2 / double(n * (n + 1)) * sp;
    cp = 1.0 - r2 / double((n - 1) * n) * cp;
  }
  const double sr = r * sp, cr = cp;
  const int q = int(std::fmod(k, 4.0) + 4.0) & 3;  // fmod is exact
  switch (q) {
    case 0: *s = sr; *c = cr; break;
    case 1: *s = cr; *c = -sr; break;
    case 2: *s = -sr; *c = -cr; break;
    default: *s = -cr; *c = sr; break;
  }
}

}  // namespace

std::vector<double> rope_thetas(int hd, float base) {
  const double lb = det_log(double(base));
  std::vector<double> theta(size_t(hd / 2));
  for (int i = 0; i < hd / 2; ++i) theta[size_t(i)] = det_exp(-(2.0 * double(i) / double(hd)) * lb);
  return theta;
}

void rope_angles(const std::vector<double>& theta, int64_t pos, float* cs) {
  const size_t half = theta.size();
  for (size_t i = 0; i < half; ++i) {
    double s, c;
    det_sincos(double(pos) * theta[i], &s, &c);
    cs[i] = float(c);
    cs[half + i] = float(s);
  }
}

}  // namespace lmzip
