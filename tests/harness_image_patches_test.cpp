// The paper's image preparation against hand-made images: gray = channel mean
// truncated, 32 × 64 patches in row-major order, 2048 bytes each.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "baseline.h"
#include "image_patches.h"
#include "layout/kinds/png_read.h"
#include "pnm_read.h"

namespace {

using lmzip::Pixels;
using Bytes = std::vector<uint8_t>;

// A binary PPM with R = x, G = y, B = (x * y) & 0xFF: easy to predict per pixel.
Bytes ppm_make(uint32_t w, uint32_t h) {
  const std::string header = "P6\n# hand-made\n" + std::to_string(w) + " " + std::to_string(h) + "\n255\n";
  Bytes f(header.begin(), header.end());
  for (uint32_t y = 0; y < h; ++y)
    for (uint32_t x = 0; x < w; ++x) {
      f.push_back(static_cast<uint8_t>(x));
      f.push_back(static_cast<uint8_t>(y));
      f.push_back(static_cast<uint8_t>((x * y) & 0xFF));
    }
  return f;
}

uint8_t gray_expected(uint32_t x, uint32_t y) {
  return static_cast<uint8_t>(((x & 0xFF) + (y & 0xFF) + ((x * y) & 0xFF)) / 3);
}

// Expected bytes of the patch at grid (gr, gc), written out from the definition.
Bytes patch_expected(uint32_t gr, uint32_t gc) {
  Bytes p;
  for (uint32_t y = 0; y < 32; ++y)
    for (uint32_t x = 0; x < 64; ++x) p.push_back(gray_expected(gc * 64 + x, gr * 32 + y));
  return p;
}

TEST(HarnessImagePatches, GrayMeanTruncates) {
  Pixels px{3, 1, 3, {1, 1, 2, 2, 2, 1, 255, 255, 254}};
  const Pixels g = lmzip::harness::image_gray_mean(px);
  ASSERT_EQ(g.channels, 1u);
  EXPECT_EQ(g.bytes, (Bytes{1, 1, 254}));  // 4/3, 5/3, 764/3 truncated
}

TEST(HarnessImagePatches, OnePatchImageGivesItsRowsInOrder) {
  auto px = lmzip::harness::image_read(ppm_make(64, 32));
  ASSERT_TRUE(px.ok()) << px.status().message();
  const Bytes patches = lmzip::harness::image_patches_gray(*px);
  ASSERT_EQ(patches.size(), 2048u);
  EXPECT_EQ(patches, patch_expected(0, 0));
  // Spot checks written by hand: pixel (x=5, y=3) → (5 + 3 + 15) / 3 = 7; (63, 31) → (63+31+(1953&255=161))/3 = 85.
  EXPECT_EQ(patches[3 * 64 + 5], 7);
  EXPECT_EQ(patches[31 * 64 + 63], 85);
}

TEST(HarnessImagePatches, TwiceTheSizeGivesFourPatchesRowMajor) {
  auto px = lmzip::harness::image_read(ppm_make(128, 64));
  ASSERT_TRUE(px.ok());
  const Bytes patches = lmzip::harness::image_patches_gray(*px);
  ASSERT_EQ(patches.size(), 4u * 2048);
  const uint32_t order[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(Bytes(patches.begin() + i * 2048, patches.begin() + (i + 1) * 2048),
              patch_expected(order[i][0], order[i][1]))
        << "patch " << i;
}

TEST(HarnessImagePatches, PartialPatchesAtTheEdgesAreDropped) {
  auto px = lmzip::harness::image_read(ppm_make(130, 70));
  ASSERT_TRUE(px.ok());
  const Bytes patches = lmzip::harness::image_patches_gray(*px);
  ASSERT_EQ(patches.size(), 4u * 2048);
  EXPECT_EQ(Bytes(patches.begin() + 3 * 2048, patches.end()), patch_expected(1, 1));
  EXPECT_TRUE(lmzip::harness::image_patches_gray(*lmzip::harness::image_read(ppm_make(63, 200))).empty());
}

TEST(HarnessImagePatches, RgbPatchesKeepInterleavedPixels) {
  const Bytes ppm = ppm_make(64, 32);
  auto px = lmzip::harness::image_read(ppm);
  ASSERT_TRUE(px.ok());
  const Bytes rgb = lmzip::harness::image_patches_rgb(*px);
  ASSERT_EQ(rgb.size(), 6144u);
  EXPECT_EQ(rgb, Bytes(ppm.end() - 6144, ppm.end()));  // one patch = the whole picture, row-major
}

TEST(HarnessImagePatches, PngAndPpmOfTheSamePixelsAgree) {
  // Encode the hand-made RGB picture as a real PNG through the PNG baseline.
  const Bytes ppm = ppm_make(128, 64);
  const Bytes rgb(ppm.end() - 128 * 64 * 3, ppm.end());
  lmzip::harness::DataShape shape{lmzip::harness::Modality::image, 3, 128, 8};
  auto png = lmzip::harness::baseline_png(false)->encode(rgb, shape);
  ASSERT_TRUE(png.ok());
  auto from_png = lmzip::harness::image_read(*png);
  ASSERT_TRUE(from_png.ok()) << from_png.status().message();
  EXPECT_EQ(from_png->channels, 3u);
  EXPECT_EQ(lmzip::harness::image_patches_gray(*from_png),
            lmzip::harness::image_patches_gray(*lmzip::harness::image_read(ppm)));
}

TEST(HarnessImagePatches, SixteenBitPgmKeepsTheHighByte) {
  const std::string header = "P5 2 1 65535\n";
  Bytes f(header.begin(), header.end());
  for (uint8_t b : {0x12, 0x34, 0xFE, 0x01}) f.push_back(b);
  auto px = lmzip::harness::pnm_read(f);
  ASSERT_TRUE(px.ok());
  EXPECT_EQ(px->bytes, (Bytes{0x12, 0xFE}));
}

TEST(HarnessImagePatches, MalformedImagesAreErrorsNotCrashes) {
  EXPECT_FALSE(lmzip::harness::image_read(Bytes{}).ok());
  EXPECT_FALSE(lmzip::harness::image_read(Bytes{0x89, 'P', 'N', 'G'}).ok());
  for (const char* bad : {"P6\n64 32\n", "P6\n64 x\n255\n", "P5\n0 3\n255\n", "P5\n2 2\n70000\n0000000000",
                          "P6\n64 32\n255\nshort", "P5\n4000000000 4000000000\n255\n"}) {
    const std::string s = bad;
    EXPECT_FALSE(lmzip::harness::image_read(Bytes(s.begin(), s.end())).ok()) << s;
  }
  // A real PNG, truncated at every length and with flipped bytes: always an error, never an abort.
  const Bytes gray(64 * 32, 77);
  lmzip::harness::DataShape shape{lmzip::harness::Modality::image, 1, 64, 8};
  auto png = lmzip::harness::baseline_png(false)->encode(gray, shape);
  ASSERT_TRUE(png.ok());
  for (size_t n = 0; n < png->size(); ++n)
    EXPECT_FALSE(lmzip::png_read(std::span<const uint8_t>(png->data(), n)).ok()) << "length " << n;
  for (size_t i = 8; i < png->size(); ++i) {
    Bytes broken = *png;
    broken[i] ^= 0x5A;
    auto r = lmzip::png_read(broken);  // CRCs catch most flips; none may crash
    if (r.ok()) {
      EXPECT_EQ(r->width * r->height * r->channels, r->bytes.size());
    }
  }
}

}  // namespace
