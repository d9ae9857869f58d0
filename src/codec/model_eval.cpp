#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "layout/chunk_plan.h"
#include "layout/file_kind.h"
#include "lmzip/eval.h"

namespace lmzip {

namespace {

// -log2(f / total) of each of one chunk's symbols, predicted in one batch.
std::vector<double> chunk_bits(Predictor& p, std::span<const Symbol> symbols) {
  const size_t a = size_t(p.alphabet_size());
  constexpr size_t kSegment = 64;
  std::vector<uint32_t> freqs(std::min(kSegment, symbols.size()) * a), totals(kSegment);
  p.reset();
  std::vector<double> bits(symbols.size());
  for (size_t base = 0; base < symbols.size(); base += kSegment) {
    const size_t n = std::min(kSegment, symbols.size() - base);
    p.predict_batch(symbols.subspan(base, n), freqs.data(), totals.data());
    for (size_t i = 0; i < n; ++i) bits[base + i] = -std::log2(double(freqs[i * a + symbols[base + i]]) / double(totals[i]));
  }
  return bits;
}

// The chunks a media model codes for `file`, cut as the codec cuts them
// (docs/FORMAT.md, "Chunks of a frame with a layout": image tiles of the
// model's width, one audio channel per chunk), each passed to `take`.
// *samples: the file's sample bytes, without tile padding.
Status media_chunks(const Model& model, std::span<const uint8_t> file, uint32_t c, uint64_t* samples,
                    const std::function<void(std::span<const uint8_t>)>& take) {
  const DataSpec& d = model.info().data;
  const std::string what = d.kind == Media::image ? "an image lmzip reads (PNG, PNM, BMP)" : "a WAV recording";
  std::vector<const FileKind*> kinds;
  for (const FileKind* k : file_kinds())
    if (k->media == d.kind) kinds.push_back(k);
  auto split = layout_split(file, kinds);
  if (!split) return split.status();
  if (!*split) return Status(ErrorCode::invalid_argument, "not " + what + ", which model '" + model.name() + "' measures");
  Layout l = (*split)->layout;
  if (d.bits != l.bits || (d.kind == Media::image && d.channels != l.channels)) {
    const auto shape = [&](uint32_t channels, uint32_t bits) {
      return std::to_string(bits) + "-bit samples" + (d.kind == Media::image ? ", " + std::to_string(channels) + " channel(s)" : "");
    };
    return Status(ErrorCode::invalid_argument, "model '" + model.name() + "' predicts " + shape(d.channels, d.bits) +
                                                   "; the file has " + shape(l.channels, l.bits));
  }
  l.tile_width = d.width;
  if (std::string problem = layout_problem(l, c); !problem.empty())
    return Status(ErrorCode::invalid_argument, problem);
  const ChunkPlan plan(l, c);
  *samples = plan.samples_bytes();
  std::vector<uint8_t> chunk;
  for (uint64_t j = 0; j < plan.chunks() - plan.verbatim_chunks(); ++j) {
    plan.sample_chunk((*split)->parts.samples, j, chunk);
    take(chunk);
  }
  return {};
}

}  // namespace

Result<EvalResult> model_eval(const Model& model, std::span<const uint8_t> data, uint32_t chunk_size,
                              bool positions) {
  const uint32_t c = chunk_size ? chunk_size : model.default_chunk_size();
  if (c == 0) return Status(ErrorCode::invalid_argument, "chunk size 0");
  auto p = model.make_predictor();
  const TokenText* text = model.token_text();
  EvalResult r;
  std::vector<Symbol> symbols;
  auto measure = [&](std::span<const uint8_t> chunk) {
    ++r.chunks;
    if (text) {
      if (!text->tokens(chunk, symbols)) {
        r.bits += 8.0 * double(chunk.size());
        return;
      }
    } else {
      symbols.assign(chunk.begin(), chunk.end());
    }
    r.symbols += symbols.size();
    const std::vector<double> bits = chunk_bits(*p, symbols);
    size_t offset = 0;  // of each symbol's first byte
    if (positions && r.position_bits.size() < chunk.size()) {
      r.position_bits.resize(chunk.size());
      r.position_chunks.resize(chunk.size());
    }
    for (size_t i = 0; i < bits.size(); ++i) {
      r.bits += bits[i];
      if (!positions) continue;
      r.position_bits[offset] += bits[i];
      offset += text ? text->text(symbols[i], i == 0).size() : 1;
    }
    if (positions)
      for (size_t k = 0; k < chunk.size(); ++k) ++r.position_chunks[k];
  };
  if (model.info().data.kind != Media::bytes) {
    if (Status st = media_chunks(model, data, c, &r.bytes, measure); !st) return st;
    return r;
  }
  for (size_t at = 0; at < data.size(); at += c) {
    const auto chunk = data.subspan(at, std::min<size_t>(c, data.size() - at));
    r.bytes += chunk.size();
    measure(chunk);
  }
  return r;
}

Result<std::vector<uint8_t>> model_sample(const Model& model, std::span<const uint8_t> prompt, size_t bytes,
                                          uint64_t seed) {
  if (model.info().data.kind != Media::bytes && prompt.size() + bytes > model.default_chunk_size())
    return Status(ErrorCode::invalid_argument, "model '" + model.name() + "' draws within one chunk of its geometry: prompt and sample at most " +
                                                   std::to_string(model.default_chunk_size()) + " bytes");
  const TokenText* text = model.token_text();
  std::vector<Symbol> context;
  if (text) {
    if (!prompt.empty() && !text->tokens(prompt, context))
      return Status(ErrorCode::invalid_argument, "the prompt has no tokens in model '" + model.name() + "'");
  } else {
    context.assign(prompt.begin(), prompt.end());
  }
  auto p = model.make_predictor();
  std::vector<uint32_t> freqs(size_t(p->alphabet_size()));
  p->reset();
  for (Symbol s : context) {
    p->predict(freqs.data());  // a predictor steps through predict / update pairs
    p->update(s);
  }
  uint64_t state = seed;
  auto next = [&] {  // splitmix64: the same stream everywhere
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  std::vector<uint8_t> out;
  bool first = context.empty();
  while (out.size() < bytes) {
    const uint32_t total = p->predict(freqs.data());
    uint64_t target = next() % total;
    Symbol s = 0;
    while (target >= freqs[s]) target -= freqs[s++];
    if (text) {
      const std::string_view t = text->text(s, first);
      out.insert(out.end(), t.begin(), t.end());
    } else {
      out.push_back(uint8_t(s));
    }
    first = false;
    p->update(s);
  }
  out.resize(bytes);
  return out;
}

}  // namespace lmzip
