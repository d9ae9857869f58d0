// `lmzip eval` (compression as a measure of a model) and `lmzip sample` (the
// model as a generator), over the public API (lmzip/eval.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "environment.h"
#include "lmzip/codec.h"
#include "lmzip/eval.h"
#include "lmzip/io.h"
#include "lmzip/model.h"
#include "lmzip/printable.h"

namespace {

std::shared_ptr<const lmzip::Model> model_or_default(const std::string& name) {
  const std::string n = name.empty() ? lmzip::model_level_name(lmzip::kModelLevelDefault) : name;
  auto m = lmzip::model_open(n, lmzip::cli::model_dirs_from_environment());
  if (!m) {
    std::fprintf(stderr, "lmzip: %s\n", lmzip::printable(m.status().message()).c_str());
    return nullptr;
  }
  return *m;
}

bool read_file(const std::string& path, std::vector<uint8_t>& out) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) {
    std::fprintf(stderr, "lmzip: cannot open '%s'\n", lmzip::printable(path).c_str());
    return false;
  }
  out.clear();
  uint8_t buf[1 << 16];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.insert(out.end(), buf, buf + n);
  const bool ok = !std::ferror(f);
  if (f != stdin) std::fclose(f);
  if (!ok) std::fprintf(stderr, "lmzip: cannot read '%s'\n", lmzip::printable(path).c_str());
  return ok;
}

}  // namespace

int eval_command(int argc, char** argv) {
  CLI::App app{
      "Measure a model by how well it compresses: bits per byte in the paper's protocol (the model alone on\n"
      "independent chunks, the ideal code length), bits per token for token models, and through the codec\n"
      "(the file's compressed size with lmzip's default settings for that model). An image or audio model\n"
      "measures the samples of images (PNG, PNM, BMP) or WAV recordings, cut into chunks as the codec cuts them."};
  app.name("lmzip eval");
  std::string model;
  uint32_t chunk = 0;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  bool no_codec = false;
  std::string positions;
  std::vector<std::string> files;
  app.add_option("-m,--model", model, "model name or .gguf file (default: the default level's model)");
  app.add_option("-c,--chunk-size", chunk, "bytes per chunk of the protocol (default: the model's context)");
  app.add_option("-T,--threads", threads, "threads for the codec measurement")->capture_default_str();
  app.add_flag("--no-codec", no_codec, "skip the measurement through the codec");
  app.add_option("--positions", positions,
                 "write bits per byte by offset inside a chunk, pooled over the files, to this TSV file "
                 "(offset, chunks, bits_per_byte): the cost of the first bytes of a context against the last");
  app.add_option("FILE", files, "files to measure (- for standard input)")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  auto m = model_or_default(model);
  if (!m) return 1;
  const bool tokens = m->token_text() != nullptr;
  const bool media = m->info().data.kind != lmzip::Media::bytes;
  std::shared_ptr<const lmzip::Model> byte_model;
  if (media && !no_codec && !(byte_model = model_or_default(""))) return 1;
  std::printf("model %s (%s parameters)\n", lmzip::printable(m->name()).c_str(), std::to_string(m->info().parameters).c_str());
  std::printf("%-32s %12s %10s %s%12s %10s\n", "file", "bytes", "bits/byte", tokens ? "   tokens bits/token " : "",
              no_codec ? "" : "codec bytes", no_codec ? "" : "bits/byte");
  lmzip::EvalResult all;
  uint64_t all_codec = 0;
  int status = 0;
  std::vector<uint8_t> data;
  for (const auto& f : files) {
    if (!read_file(f, data)) {
      status = 1;
      continue;
    }
    auto r = lmzip::model_eval(*m, data, chunk, !positions.empty());
    if (!r) {
      std::fprintf(stderr, "lmzip: %s: %s\n", lmzip::printable(f).c_str(), lmzip::printable(r.status().message()).c_str());
      status = 1;
      continue;
    }
    all.bytes += r->bytes, all.symbols += r->symbols, all.chunks += r->chunks, all.bits += r->bits;
    if (all.position_bits.size() < r->position_bits.size()) {
      all.position_bits.resize(r->position_bits.size());
      all.position_chunks.resize(r->position_bits.size());
    }
    for (size_t k = 0; k < r->position_bits.size(); ++k)
      all.position_bits[k] += r->position_bits[k], all.position_chunks[k] += r->position_chunks[k];
    std::printf("%-32s %12llu %10.4f", lmzip::printable(f).c_str(), (unsigned long long)r->bytes, r->bits_per_byte());
    if (tokens) std::printf(" %8llu %10.4f", (unsigned long long)r->symbols, r->bits_per_symbol());
    if (!no_codec) {
      lmzip::CompressOptions o;
      o.model = m;
      o.adaptive = true;  // lmzip's default: the adaptive stage
      o.layouts = false;
      o.threads = threads;
      if (media) {  // the samples through the media model, the rest through the default byte model
        o.model = byte_model;
        o.media_models = {m};
        o.layouts = true;
        o.png_pixels = true;
      }
      auto c = lmzip::compress_buffer(data, o);
      if (!c) {
        std::fprintf(stderr, "\nlmzip: %s: %s\n", lmzip::printable(f).c_str(), lmzip::printable(c.status().message()).c_str());
        status = 1;
        continue;
      }
      all_codec += c->size();
      // Per byte of what the protocol measured: a media file's samples.
      const double measured = media ? double(r->bytes) : double(data.size());
      std::printf(" %12zu %10.4f", c->size(), measured == 0 ? 0.0 : 8.0 * double(c->size()) / measured);
    }
    std::printf("\n");
  }
  if (files.size() > 1) {
    std::printf("%-32s %12llu %10.4f", "total", (unsigned long long)all.bytes, all.bits_per_byte());
    if (tokens) std::printf(" %8llu %10.4f", (unsigned long long)all.symbols, all.bits_per_symbol());
    if (!no_codec) std::printf(" %12llu %10.4f", (unsigned long long)all_codec, all.bytes ? 8.0 * double(all_codec) / double(all.bytes) : 0.0);
    std::printf("\n");
  }
  if (!positions.empty()) {
    std::FILE* f = std::fopen(positions.c_str(), "w");
    if (!f) {
      std::fprintf(stderr, "lmzip: cannot write '%s'\n", lmzip::printable(positions).c_str());
      return 1;
    }
    std::fprintf(f, "offset\tchunks\tbits_per_byte\n");
    for (size_t k = 0; k < all.position_bits.size(); ++k)
      std::fprintf(f, "%zu\t%llu\t%.6f\n", k, (unsigned long long)all.position_chunks[k],
                   all.position_bits[k] / double(all.position_chunks[k]));
    if (std::fclose(f) != 0) {
      std::fprintf(stderr, "lmzip: cannot write '%s'\n", lmzip::printable(positions).c_str());
      return 1;
    }
  }
  return status;
}

int sample_command(int argc, char** argv) {
  CLI::App app{"Draw bytes from a model (every compressor is a generative model): the same seed gives the same\n"
               "bytes on every machine. Image models draw a tile's pixels row by row, audio models samples as WAV\n"
               "stores them."};
  app.name("lmzip sample");
  std::string model, prompt_file;
  size_t n = 256;
  uint64_t seed = 1;
  app.add_option("-m,--model", model, "model name or .gguf file (default: the default level's model)");
  app.add_option("--prompt", prompt_file,
                 "a file whose bytes the sample continues (image and audio models: raw samples in the model's "
                 "chunk order, prompt and sample within one chunk)");
  app.add_option("-n,--bytes", n, "bytes to draw")->capture_default_str();
  app.add_option("--seed", seed, "random seed")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  auto m = model_or_default(model);
  if (!m) return 1;
  std::vector<uint8_t> prompt;
  if (!prompt_file.empty() && !read_file(prompt_file, prompt)) return 1;
  auto s = lmzip::model_sample(*m, prompt, n, seed);
  if (!s) {
    std::fprintf(stderr, "lmzip: %s\n", lmzip::printable(s.status().message()).c_str());
    return 1;
  }
  if (std::fwrite(s->data(), 1, s->size(), stdout) != s->size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "lmzip: cannot write the sample\n");
    return 1;
  }
  return 0;
}
