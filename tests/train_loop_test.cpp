// Trainer loop: data sampling, schedule, a tiny model memorising a string,
// bit-exact resume from a checkpoint, checkpoint damage detection, export.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "common/f16.h"
#include "gguf/gguf.h"
#include "lmzip/model.h"
#include "transformer/transformer_model.h"
#include "train_blas.h"
#include "train_data.h"
#include "train_export.h"
#include "train_run.h"

namespace lmzip::train {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

const std::string kText =
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of "
    "foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of "
    "Light, it was the season of Darkness, it was the spring of hope, it was the winter of despair.";

fs::path temp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("lmzip_train_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TrainOptions tiny_options() {
  TrainOptions o;
  o.model.d = 32;
  o.model.layers = 2;
  o.model.heads = 2;
  o.model.ffn = 64;
  o.model.window = 32;
  o.batch = 4;
  o.ctx = 32;
  o.lr = 1e-2;
  o.warmup = 10;
  o.steps = 300;
  o.eval_every = 0;
  o.quiet = true;
  o.seed = 11;
  return o;
}

TEST(TrainData, WindowsAreBosShiftedSubstrings) {
  DataLoader d;
  ASSERT_TRUE(d.add_bytes("text", bytes_of(kText), 1.0, 16));
  EXPECT_FALSE(d.add_bytes("short", bytes_of("abc"), 1.0, 16));  // shorter than a window
  EXPECT_FALSE(d.add_bytes("neg", bytes_of(kText), -1.0, 16));
  Rng r(3);
  const int B = 5, T = 16;
  std::vector<int> in(B * T), tg(B * T);
  d.sample(r, B, T, in.data(), tg.data());
  for (int b = 0; b < B; ++b) {
    std::string w;
    for (int t = 0; t < T; ++t) {
      w.push_back(char(tg[b * T + t]));
      EXPECT_EQ(in[b * T + t], t == 0 ? kBos : tg[b * T + t - 1]);
    }
    EXPECT_NE(kText.find(w), std::string::npos) << w;
  }
}

// With tags, each input carries the tag of the position it is input to.
TEST(TrainData, TagsGoIntoTheInputIds) {
  DataLoader d;
  std::vector<uint8_t> bytes(250), tags(250);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = uint8_t(i), tags[i] = uint8_t(i * 7 % 3);
  EXPECT_FALSE(d.add_bytes("short tags", bytes, 1.0, 16, std::vector<uint8_t>(10)));
  ASSERT_TRUE(d.add_bytes("ramp", bytes, 1.0, 16, tags));
  EXPECT_EQ(d.max_tag(), 2);
  Rng r(8);
  const int B = 20, T = 16, K = 3;
  std::vector<int> in(B * T), tg(B * T);
  d.sample(r, B, T, in.data(), tg.data(), K);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const int pos = tg[b * T + t];  // a byte tells its offset
      EXPECT_EQ(in[b * T + t], t == 0 ? 256 * K : tg[b * T + t - 1] + 256 * (pos * 7 % 3));
    }
}

TEST(TrainData, SourcesAreDrawnByWeight) {
  DataLoader d;
  ASSERT_TRUE(d.add_bytes("a", std::vector<uint8_t>(64, 'a'), 3.0, 8));
  ASSERT_TRUE(d.add_bytes("b", std::vector<uint8_t>(64, 'b'), 1.0, 8));
  Rng r(5);
  const int B = 4000, T = 8;
  std::vector<int> in(B * T), tg(B * T);
  d.sample(r, B, T, in.data(), tg.data());
  int a = 0;
  for (int b = 0; b < B; ++b) a += tg[b * T] == 'a';
  EXPECT_NEAR(a / double(B), 0.75, 0.03);
}

TEST(TrainData, SpecsAndEvalChunks) {
  auto s = parse_source_spec("/x/y.txt:2.5");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->path, "/x/y.txt");
  EXPECT_EQ(s->weight, 2.5);
  s = parse_source_spec("/x/y.txt");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->weight, 1.0);
  EXPECT_FALSE(parse_source_spec("/x/y.txt:0"));
  EvalSet e;
  e.bytes.resize(5000);
  e.chunk = 2048;
  auto all = eval_chunks(e);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].first, 4096u);
  EXPECT_EQ(all[2].second, 5000 - 4096);
  e.max_chunks = 2;
  auto some = eval_chunks(e);
  ASSERT_EQ(some.size(), 2u);
  EXPECT_EQ(some[1].second, 2048);
}

TEST(TrainSchedule, WarmupThenCosine) {
  TrainOptions o;
  o.lr = 1e-3;
  o.min_lr_frac = 0.1;
  o.warmup = 10;
  o.steps = 110;
  EXPECT_NEAR(lr_at(o, 0), 1e-4, 1e-12);
  EXPECT_NEAR(lr_at(o, 9), 1e-3, 1e-12);
  EXPECT_NEAR(lr_at(o, 10), 1e-3, 1e-12);
  EXPECT_NEAR(lr_at(o, 60), 0.55e-3, 1e-12);
  EXPECT_NEAR(lr_at(o, 110), 1e-4, 1e-12);
  EXPECT_NEAR(lr_at(o, 500), 1e-4, 1e-12);
}

TEST(TrainLoop, TinyModelMemorisesAString) {
  set_blas_threads(1);
  DataLoader d;
  ASSERT_TRUE(d.add_bytes("text", bytes_of(kText), 1.0, 32));
  EvalSet e{"text", bytes_of(kText.substr(0, 32)), 32, 0, {}, {}};
  TrainOptions o = tiny_options();
  auto t = Trainer::create(o, std::move(d), {e}, false);
  ASSERT_TRUE(t) << t.status().message();
  const double first = (*t)->step() / std::log(2.0);
  EXPECT_GT(first, 7.0);  // about log2(256) = 8 bits at initialisation
  double last = 0;
  for (int i = 1; i < 300; ++i) last = (*t)->step() / std::log(2.0);
  // Each window starts at a random offset, so its first byte costs up to
  // log2(257 offsets) bits: the floor is about 8/32 = 0.25 bits/byte.
  EXPECT_LT(last, 0.8) << "first " << first;
  // The chunk starting at offset 0 was seen many times: nearly free to code.
  EXPECT_LT((*t)->evaluate()[0], 0.8);
}

TEST(TrainLoop, ResumeContinuesBitExactly) {
  set_blas_threads(1);
  const fs::path dir = temp_dir("resume");
  auto make = [&](int64_t stop_at, const std::string& ckpt, bool resume) {
    DataLoader d;
    EXPECT_TRUE(d.add_bytes("text", bytes_of(kText), 1.0, 32));
    TrainOptions o = tiny_options();
    o.steps = 40;
    o.stop_at = stop_at;
    o.checkpoint = ckpt;
    o.log_csv = (dir / (fs::path(ckpt).stem().string() + ".csv")).string();
    o.log_every = 5;
    auto t = Trainer::create(o, std::move(d), {}, resume);
    EXPECT_TRUE(t) << t.status().message();
    return std::move(*t);
  };
  auto straight = make(24, (dir / "a.ckpt").string(), false);
  ASSERT_TRUE(straight->run());
  auto first = make(11, (dir / "b.ckpt").string(), false);
  ASSERT_TRUE(first->run());
  first.reset();
  auto second = make(24, (dir / "b.ckpt").string(), true);
  ASSERT_TRUE(second->resumed());
  EXPECT_EQ(second->steps_done(), 11);
  ASSERT_TRUE(second->run());
  const TrainState a = straight->snapshot(), b = second->snapshot();
  EXPECT_EQ(a.step, 24);
  EXPECT_EQ(b.step, 24);
  EXPECT_EQ(a.bytes_seen, b.bytes_seen);
  EXPECT_EQ(a.rng, b.rng);
  ASSERT_EQ(a.params.size(), b.params.size());
  EXPECT_EQ(0, std::memcmp(a.params.data(), b.params.data(), a.params.size() * 4));
  EXPECT_EQ(0, std::memcmp(a.m.data(), b.m.data(), a.m.size() * 4));
  EXPECT_EQ(0, std::memcmp(a.v.data(), b.v.data(), a.v.size() * 4));
  // The checkpoint on disk is the final state too.
  auto loaded = load_checkpoint((dir / "b.ckpt").string());
  ASSERT_TRUE(loaded);
  EXPECT_EQ(0, std::memcmp(loaded->params.data(), a.params.data(), a.params.size() * 4));
  // The resumed log has exactly one row per logged step.
  std::ifstream csv(dir / "b.csv");
  std::string line;
  std::vector<long> steps;
  std::getline(csv, line);
  while (std::getline(csv, line)) steps.push_back(std::stol(line));
  EXPECT_EQ(steps, (std::vector<long>{5, 10, 11, 15, 20, 24}));
  fs::remove_all(dir);
}

TEST(TrainLoop, CheckpointDamageAndMismatchAreReported) {
  const fs::path dir = temp_dir("damage");
  DataLoader d;
  ASSERT_TRUE(d.add_bytes("text", bytes_of(kText), 1.0, 32));
  TrainOptions o = tiny_options();
  o.checkpoint = (dir / "c.ckpt").string();
  auto t = Trainer::create(o, std::move(d), {}, false);
  ASSERT_TRUE(t);
  (*t)->step();
  ASSERT_TRUE((*t)->checkpoint_now());
  ASSERT_TRUE(load_checkpoint(o.checkpoint));

  std::vector<char> raw;
  {
    std::ifstream in(o.checkpoint, std::ios::binary);
    raw.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::vector<char>& v) {
    std::ofstream out(o.checkpoint, std::ios::binary | std::ios::trunc);
    out.write(v.data(), std::streamsize(v.size()));
  };
  auto flipped = raw;
  flipped[raw.size() / 2] ^= 1;
  write(flipped);
  auto r = load_checkpoint(o.checkpoint);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::corrupt);
  write(std::vector<char>(raw.begin(), raw.begin() + long(raw.size() / 3)));
  EXPECT_FALSE(load_checkpoint(o.checkpoint));
  write({});
  EXPECT_FALSE(load_checkpoint(o.checkpoint));
  EXPECT_FALSE(load_checkpoint((dir / "missing.ckpt").string()));

  // Resuming with another model shape is refused with a message, not a crash.
  write(raw);
  DataLoader d2;
  ASSERT_TRUE(d2.add_bytes("text", bytes_of(kText), 1.0, 32));
  TrainOptions o2 = o;
  o2.model.d = 16;
  auto t2 = Trainer::create(o2, std::move(d2), {}, true);
  ASSERT_FALSE(t2);
  EXPECT_NE(t2.status().message().find("different model"), std::string::npos);
  fs::remove_all(dir);
}

// The trainer's parameter array is the schema's tensors (q, k, v merged per
// block): same count, and the elements without weight decay (stored f32 by an
// f16 export) are exactly the schema's gains.
// A small shape for the export tests: two blocks, two heads, a window shorter than the chunks.
ModelConfig export_config() {
  ModelConfig c;
  c.d = 16;
  c.layers = 2;
  c.heads = 2;
  c.ffn = 24;
  c.window = 8;
  return c;
}

TEST(TrainExport, ParamLayoutHoldsTheSchemasTensors) {
  for (uint32_t tags : {1u, 2u, 4u}) {
    ModelConfig c;
    c.d = 16;
    c.layers = 3;
    c.heads = 2;
    c.ffn = 24;
    c.window = 8;
    c.tags = tags;
    EXPECT_EQ(ParamLayout(c).total, c.parameters());
    uint64_t gains = 0;
    for (const TensorSpec& t : transformer_tensors(c))
      if (t.kind == TensorKind::gain) gains += t.elements();
    const std::vector<uint8_t> decay = decay_mask(c);
    EXPECT_EQ(uint64_t(std::count(decay.begin(), decay.end(), 0)), gains);
  }
}

TEST(TrainExport, GgufHasArchitectureTensorsAndMetadata) {
  const fs::path dir = temp_dir("export");
  const ModelConfig c = export_config();
  Model<float> m(c);
  m.init(1);
  ExportOptions eo;
  eo.label.name = "test-model";
  eo.label.training_data = "kText";
  for (bool f16 : {false, true}) {
    eo.f16 = f16;
    const std::string path = (dir / (f16 ? "m16.gguf" : "m32.gguf")).string();
    ASSERT_TRUE(export_gguf(c, m.params(), eo, path));
    auto f = gguf::gguf_read(path);
    ASSERT_TRUE(f) << f.status().message();
    auto u32 = [&](const char* k) {
      const gguf::Value* v = f->find(k);
      return v && std::holds_alternative<uint32_t>(*v) ? std::get<uint32_t>(*v) : 0u;
    };
    EXPECT_EQ(std::get<std::string>(*f->find("general.architecture")), "lmzipbt");
    EXPECT_EQ(std::get<std::string>(*f->find("general.name")), "test-model");
    EXPECT_EQ(u32("lmzipbt.embedding_length"), 16u);
    EXPECT_EQ(u32("lmzipbt.block_count"), 2u);
    EXPECT_EQ(u32("lmzipbt.attention.head_count"), 2u);
    EXPECT_EQ(u32("lmzipbt.feed_forward_length"), 24u);
    EXPECT_EQ(u32("lmzipbt.attention.sliding_window"), 8u);
    EXPECT_EQ(u32("lmzipbt.context_length"), 2048u);
    EXPECT_EQ(u32("lmzipbt.vocab_size"), 256u);
    EXPECT_EQ(std::get<float>(*f->find("lmzipbt.rope.freq_base")), 10000.0f);
    EXPECT_EQ(std::get<float>(*f->find("lmzipbt.attention.layer_norm_rms_epsilon")), 1e-5f);
    EXPECT_EQ(f->tensors.size(), 1u + 2u * 8u + 2u);
    const gguf::Tensor* up = f->find_tensor("blk.1.ffn_up.weight");
    ASSERT_NE(up, nullptr);
    EXPECT_EQ(up->dims, (std::vector<uint64_t>{16, 24}));
    const gguf::Tensor* k = f->find_tensor("blk.1.attn_k.weight");
    ASSERT_NE(k, nullptr);
    EXPECT_EQ(k->type, f16 ? gguf::TensorType::f16 : gguf::TensorType::f32);
    // Row r, column i of blk.1 attn_k is row C + r of the layer's fused qkv.
    const ParamLayout lay(c);
    const float want = m.params()[lay.wqkv + size_t(1) * 3 * 16 * 16 + (16 + 3) * 16 + 5];
    float got;
    if (f16) {
      uint16_t hbits = uint16_t(k->data[2 * (3 * 16 + 5)] | (k->data[2 * (3 * 16 + 5) + 1] << 8));
      got = f16_to_f32(hbits);
      EXPECT_NEAR(got, want, std::fabs(want) * 1e-3 + 1e-7);
    } else {
      std::memcpy(&got, k->data.data() + 4 * (3 * 16 + 5), 4);
      EXPECT_EQ(got, want);
    }
    const gguf::Tensor* norm = f->find_tensor("output_norm.weight");
    ASSERT_NE(norm, nullptr);
    EXPECT_EQ(norm->type, gguf::TensorType::f32);
    EXPECT_EQ(norm->dims, (std::vector<uint64_t>{16}));
  }
  fs::remove_all(dir);
}

// `train --init`: a model file read back gives exactly the parameters the
// export wrote (f16 matrices as f16_rounded sees them), and a damaged or
// foreign file is an error.
TEST(TrainExport, ImportGivesBackWhatExportWrote) {
  const fs::path dir = temp_dir("import");
  const ModelConfig c = export_config();
  Model<float> m(c);
  m.init(3);
  for (bool f16 : {false, true}) {
    ExportOptions eo;
    eo.f16 = f16;
    const std::string path = (dir / "m.gguf").string();
    ASSERT_TRUE(export_gguf(c, m.params(), eo, path));
    auto back = import_gguf(path);
    ASSERT_TRUE(back) << back.status().message();
    EXPECT_EQ(config_describe(back->cfg), config_describe(c));
    EXPECT_EQ(back->params, f16 ? f16_rounded(c, m.params()) : m.params());
  }
  auto f = gguf::gguf_read((dir / "m.gguf").string());
  ASSERT_TRUE(f);
  f->tensors.pop_back();  // no output matrix
  ASSERT_TRUE(gguf::gguf_write(*f, (dir / "cut.gguf").string()));
  auto cut = import_gguf((dir / "cut.gguf").string());
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.status().message().find("output.weight"), std::string::npos) << cut.status().message();
  EXPECT_FALSE(import_gguf((dir / "absent.gguf").string()));
  fs::remove_all(dir);
}

// The point of the exporter: the inference engine, given the exported file,
// predicts what the trainer's own forward pass predicts (f32 and f16), with a
// window shorter than the chunk so the sliding window is compared too.
TEST(TrainExport, EngineRunsTheExportedModelAsTheTrainerDoes) {
  const fs::path dir = temp_dir("engine");
  ModelConfig c;
  c.d = 32;
  c.layers = 2;
  c.heads = 2;
  c.ffn = 64;
  c.window = 8;
  Model<float> m(c);
  m.init(2);
  Rng r(3);
  for (auto& p : m.params()) p += float(0.3 * r.normal());  // peaked, position-dependent outputs
  const int T = 40;
  std::vector<int> in(T), tg(T);
  for (int t = 0; t < T; ++t) {
    tg[t] = uint8_t(kText[t]);
    in[t] = t == 0 ? kBos : tg[t - 1];
  }
  for (bool f16 : {false, true}) {
    SCOPED_TRACE(f16 ? "f16" : "f32");
    std::vector<float> params = f16 ? f16_rounded(c, m.params()) : m.params();
    Model<float> ref(c);
    ref.params() = params;
    const double nats = ref.forward(in.data(), tg.data(), 1, T, false) * T;
    const std::vector<float> probs(ref.probs(), ref.probs() + size_t(T) * kVocabOut);

    ExportOptions eo;
    eo.f16 = f16;
    const std::string path = (dir / "m.gguf").string();
    ASSERT_TRUE(export_gguf(c, m.params(), eo, path));
    auto model = transformer_model_load(path);
    ASSERT_TRUE(model) << model.status().message();
    auto pred = (*model)->make_predictor();
    ASSERT_EQ(pred->alphabet_size(), 256);
    pred->reset();
    std::vector<uint32_t> freq(256);
    double bits = 0, max_diff = 0, max_p = 0;
    for (int t = 0; t < T; ++t) {
      const uint32_t total = pred->predict(freq.data());
      for (int s = 0; s < 256; ++s) {
        max_diff = std::max(max_diff, std::fabs(double(freq[s]) / total - probs[size_t(t) * 256 + s]));
        max_p = std::max(max_p, double(probs[size_t(t) * 256 + s]));
      }
      bits -= std::log2(double(freq[tg[t]]) / total);
      pred->update(Symbol(tg[t]));
    }
    // The engine rounds keys and values to binary16 (docs/ARCHITECTURE.md), the
    // trainer does not: probabilities differ by up to ~2e-4, bits/byte far less.
    EXPECT_LT(max_diff, 1e-3);
    EXPECT_GT(max_p, 0.2);  // the comparison is not between two near-uniform tables
    EXPECT_NEAR(bits / T, nats / std::log(2.0) / T, 1e-3);
  }
  fs::remove_all(dir);
}

// A media model: the trainer learns filter tokens with tagged inputs;
// the engine, given the exported file, applies the filter itself and predicts
// the content bytes with the same distribution, rotated.
TEST(TrainExport, MediaModelAppliesItsFilterAndTags) {
  const fs::path dir = temp_dir("media");
  ModelConfig c;
  c.d = 32;
  c.layers = 2;
  c.heads = 2;
  c.ffn = 64;
  c.window = 8;
  c.tags = 2;
  Model<float> m(c);
  m.init(4);
  Rng r(5);
  for (auto& p : m.params()) p += float(0.3 * r.normal());
  auto spec = filter_spec_parse("poly2", {Media::audio, 0, 1, 16});
  ASSERT_TRUE(spec);
  const int T = 40;
  std::vector<uint8_t> content(T), tokens(T);
  for (int t = 0; t < T; ++t) content[size_t(t)] = uint8_t(kText[t]);
  filter_tokens(*spec, content, tokens.data());
  std::vector<int> in(T), tg(T);
  for (int t = 0; t < T; ++t) {
    tg[t] = tokens[size_t(t)];
    in[t] = t == 0 ? c.bos() : tg[t - 1] + 256 * (t % 2);  // poly on 16 bits: tag = which byte comes next
  }
  m.forward(in.data(), tg.data(), 1, T, false);
  c.filter = *spec;
  const std::string path = (dir / "m.gguf").string();
  ASSERT_TRUE(export_gguf(c, m.params(), ExportOptions{}, path));
  auto model = transformer_model_load(path);
  ASSERT_TRUE(model) << model.status().message();
  EXPECT_EQ((*model)->info().data, spec->data);
  auto pred = (*model)->make_predictor();
  ResidualFilter f(*spec);
  std::vector<uint32_t> freq(256);
  double max_diff = 0;
  for (int t = 0; t < T; ++t) {
    const uint32_t total = pred->predict(freq.data());
    for (int tok = 0; tok < 256; ++tok)
      max_diff = std::max(max_diff, std::fabs(double(freq[uint8_t(tok + f.offset())]) / total -
                                              m.probs()[size_t(t) * 256 + size_t(tok)]));
    pred->update(content[size_t(t)]);
    f.push(content[size_t(t)]);
  }
  EXPECT_LT(max_diff, 1e-3);
  // Tags need the filter that makes them: a text export of this checkpoint is refused.
  c.filter = FilterSpec{};
  EXPECT_FALSE(export_gguf(c, m.params(), ExportOptions{}, path));
  fs::remove_all(dir);
}

TEST(TrainLoop, CheckpointKeepsInputTags) {
  const fs::path dir = temp_dir("tags");
  TrainState s;
  s.model.d = 16;
  s.model.layers = 1;
  s.model.heads = 2;
  s.model.ffn = 32;
  s.model.window = 8;
  s.model.tags = 3;
  s.batch = 2;
  s.ctx = 8;
  const size_t n = s.model.parameters();
  s.params.assign(n, 0.5f);
  s.m.assign(n, 0.0f);
  s.v.assign(n, 0.0f);
  const std::string path = (dir / "c.ckpt").string();
  ASSERT_TRUE(save_checkpoint(s, path));
  auto back = load_checkpoint(path);
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->model.tags, 3);
  EXPECT_EQ(back->params.size(), n);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lmzip::train
