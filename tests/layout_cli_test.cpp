// The lmzip program on WAV / PPM / PNG files: the shipped media models by
// name (here tiny random transformers under those names in $LMZIP_MODEL_PATH),
// -v and -l report the layout, --no-layout and --pixels.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "layout/kinds/png_read.h"
#include "layout/kinds/png_write.h"
#include "gguf/gguf.h"
#include "media_test_models.h"
#include "transformer/transformer.h"

namespace lmzip::test {
namespace {

// Writes tiny random media models named as the shipped ones into `dir`.
bool write_media_models(const std::string& dir) {
  std::filesystem::create_directories(dir);
  struct Spec {
    const char* name;
    DataSpec data;
  };
  for (const Spec& s : {Spec{"lmzip-image-gray", image_spec(8, 1)}, Spec{"lmzip-image-rgb", image_spec(8, 3)},
                        Spec{"lmzip-audio16", audio_spec(16)}}) {
    RandomModelOptions o;
    o.d = 16;
    o.layers = 1;
    o.heads = 2;
    o.context_length = 256;
    o.window = 256;
    o.filter = *filter_spec_parse("none", s.data);
    o.name = s.name;
    const std::string path = dir + "/" + s.name + ".gguf";
    write_bytes(path, gguf::gguf_serialize(transformer_random_gguf(o)));
    auto m = model_open(path);
    if (!m || !((*m)->info().data == s.data)) return false;
  }
  return true;
}

class LayoutCli : public ::testing::Test {
 protected:
  void SetUp() override {
    models_ = dir_.root() + "/models";
    if (!write_media_models(models_)) GTEST_SKIP() << "random media models cannot be made";
    L_ = "LMZIP_MODEL_PATH=" + sh_quote(models_) + " " + lmzip_cli();
  }
  // The model and layout columns of -l.
  std::pair<std::string, std::string> listed(const std::string& lmz) {
    RunResult r = shell(dir_, L_ + " -l " + sh_quote(lmz));
    EXPECT_EQ(r.code, 0) << r;
    std::istringstream lines(r.out);
    std::string header, line, word;
    std::getline(lines, header);
    std::getline(lines, line);
    std::istringstream words(line);
    std::vector<std::string> w;
    while (words >> word) w.push_back(word);
    return w.size() == 8 ? std::make_pair(w[5], w[6]) : std::make_pair(std::string(), std::string());
  }

  TempDir dir_;
  std::string models_, L_;
};

TEST_F(LayoutCli, WavUsesTheAudioModelAndRoundTrips) {
  const Bytes wav = make_wav(2, 16, 1500, 4);
  write_bytes(dir_.file("a.wav"), wav);
  RunResult r = shell(dir_, L_ + " -0 -kv -T2 a.wav");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_NE(r.err.find("layout wav, samples modelled by lmzip-audio16, the rest by order2"), std::string::npos) << r;
  EXPECT_EQ(listed("a.wav.lmz"), std::make_pair(std::string("order2+lmzip-audio16"), std::string("wav")));
  r = shell(dir_, L_ + " -d -c a.wav.lmz > back.wav && cmp a.wav back.wav && " + L_ + " -t a.wav.lmz");
  EXPECT_EQ(r.code, 0) << r;
  // Threads do not change the output.
  r = shell(dir_, L_ + " -0 -T1 -c a.wav > t1.lmz && " + L_ + " -0 -T3 -c a.wav > t3.lmz && cmp t1.lmz a.wav.lmz && cmp t3.lmz a.wav.lmz");
  EXPECT_EQ(r.code, 0) << r;
  // Without the model, decompression names it.
  r = shell(dir_, "LMZIP_MODEL_PATH=/nonexistent " + lmzip_cli() + " -d -c a.wav.lmz > /dev/null");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("lmzip-audio16"), std::string::npos) << r;
}

TEST_F(LayoutCli, PpmUsesTheImageModelAndRoundTrips) {
  const Bytes ppm = make_pnm(30, 17, 3, 5);
  write_bytes(dir_.file("a.ppm"), ppm);
  RunResult r = shell(dir_, L_ + " -0 -v a.ppm");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_NE(r.err.find("layout ppm, samples modelled by lmzip-image-rgb"), std::string::npos) << r;
  EXPECT_FALSE(path_exists(dir_.file("a.ppm")));
  EXPECT_EQ(listed("a.ppm.lmz").second, "ppm");
  r = shell(dir_, L_ + " -d a.ppm.lmz");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(read_bytes(dir_.file("a.ppm")), ppm);
  // -m MODEL for the byte parts: the image model still codes the pixels, and
  // decompression with -m finds the image model by name.
  r = shell(dir_, L_ + " -m order2 -c a.ppm > m.lmz && " + L_ + " -m order2 -d -c m.lmz > m.ppm && cmp a.ppm m.ppm");
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(listed("m.lmz").second, "ppm");
}

TEST_F(LayoutCli, NoLayoutCompressesPlainBytes) {
  write_bytes(dir_.file("a.pgm"), make_pnm(20, 20, 1));
  RunResult r = shell(dir_, L_ + " -0 -kv --no-layout a.pgm");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_NE(r.err.find("layout bytes, model order2"), std::string::npos) << r;
  EXPECT_EQ(listed("a.pgm.lmz"), std::make_pair(std::string("order2"), std::string("bytes")));
  // Identical to a file the layout detection does not recognise.
  r = shell(dir_, "cat a.pgm | " + L_ + " -0 --no-layout > stdin.lmz && cmp stdin.lmz a.pgm.lmz");
  EXPECT_EQ(r.code, 0) << r;
}

TEST_F(LayoutCli, PixelsStoresAPngsPixels) {
  Pixels p;
  p.width = 23;
  p.height = 9;
  p.channels = 1;
  p.bytes = image_pixels(23, 9, 1, 6);
  write_bytes(dir_.file("a.png"), *png_write(p));
  RunResult r = shell(dir_, L_ + " -0 -kv --pixels a.png");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_NE(r.err.find("layout png-pixels"), std::string::npos) << r;
  EXPECT_EQ(listed("a.png.lmz").second, "png-pixels");
  r = shell(dir_, L_ + " -d -c a.png.lmz > back.png");
  ASSERT_EQ(r.code, 0) << r;
  auto back = png_read(read_bytes(dir_.file("back.png")));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->bytes, p.bytes);
  EXPECT_EQ(back->width, 23u);
  // Without --pixels: the file itself, byte-exact.
  r = shell(dir_, L_ + " -0 -c a.png > f.lmz && " + L_ + " -d -c f.lmz | cmp - a.png");
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(listed("f.lmz").second, "bytes");
  // A PNG with alpha is refused, saying why.
  Bytes rgba = read_bytes(dir_.file("a.png"));
  rgba[25] = 6;
  write_bytes(dir_.file("alpha.png"), rgba);
  r = shell(dir_, L_ + " -0 -k --pixels alpha.png");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("alpha channel"), std::string::npos) << r;
  EXPECT_FALSE(path_exists(dir_.file("alpha.png.lmz")));
}

TEST(LayoutCliHelp, HelpExplainsPixelsAndLayouts) {
  TempDir dir;
  const RunResult r = shell(dir, lmzip_cli() + " --help");
  ASSERT_EQ(r.code, 0) << r;
  for (const char* s : {"--pixels", "NOT the original file", "--no-layout", "WAV", "lmzip-image-gray"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
}

}  // namespace
}  // namespace lmzip::test
