// Models: what predicts the data. A Model is immutable and shared between
// threads; each thread asks it for its own Predictor.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lmzip/error.h"
#include "lmzip/predictor.h"
#include "lmzip/sha256.h"

namespace lmzip {

class ThreadPool;  // common/thread_pool.h: the engine's worker threads

// What a model was trained to predict, so that the codec can lay a chunk out
// the way the model expects it (docs/FORMAT.md, layouts). Byte models take
// any bytes; image and audio models take chunks of their own geometry.
enum class Media : uint8_t { bytes = 0, image = 1, audio = 2 };
struct DataSpec {
  Media kind = Media::bytes;
  uint32_t width = 0;     // image: pixels per row in every chunk (images are cut into tiles this wide)
  uint32_t channels = 0;  // image: 1 (gray) or 3 (R, G, B interleaved); audio: 1 (mono)
  uint32_t bits = 0;      // image: 8; audio: 8 (unsigned, as in WAV) or 16 (signed little-endian)
  bool operator==(const DataSpec&) const = default;
};

struct ModelInfo {
  std::string name;
  Sha256 identity{};            // SHA-256 of the model file (or of the built-in's definition)
  uint64_t parameters = 0;      // number of learned parameters (0 for adaptive models)
  uint64_t file_bytes = 0;      // size of the model file (0 for built-ins)
  std::vector<std::pair<std::string, std::string>> properties;  // hyper-parameters etc.
  DataSpec data;                // what it predicts
  uint32_t alphabet = 256;      // its predictors' alphabet_size(): 256 for byte models, the vocabulary for token models
};

// What a token model (a pretrained LLM, Model::token_text) codes a chunk as:
// token ids whose text is exactly the chunk's bytes (docs/FORMAT.md, "Token
// payload"). The decoder turns ids back into bytes one at a time until the
// chunk is full, and checks that tokens() of what it decoded gives back the
// same ids: each chunk has one coding.
class TokenText {
 public:
  virtual ~TokenText() = default;
  // The ids the encoder codes for `bytes` (the model's own tokenisation, or
  // byte tokens where that does not give back `bytes`); false when no ids of
  // this vocabulary spell `bytes` (the chunk is then stored).
  virtual bool tokens(std::span<const uint8_t> bytes, std::vector<Symbol>& ids) const = 0;
  // The bytes id adds to the chunk, as its first token or after others
  // (empty for ids that spell nothing, which a valid coding holds at most
  // first: SPM's lone space, which it drops there).
  virtual std::string_view text(Symbol id, bool first) const = 0;
  // The ids one run of the model reads, from its start id, before it starts
  // again, when it is the adaptive stage's network (docs/FORMAT.md, "Adaptive
  // payload with a token network"): its context length, 16 ..= 4096.
  virtual uint32_t window() const = 0;
};

// Bytes one decoding step of one chunk reads from memory.
struct StepCost {
  double weights = 0;    // read once per step, however many lanes step together
  double state = 0;      // one chunk's own state (its KV cache) stepped alone, averaged over a chunk
  double state_max = 0;  // the same at its largest
  double lane_state = 0; // one lane's own state when lanes step together, averaged over a chunk
  size_t lane_group = 1; // lanes computed together at the least (fewer are padded)
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const ModelInfo& info() const = 0;
  // Chunk size the encoder uses unless told otherwise.
  virtual uint32_t default_chunk_size() const = 0;
  virtual std::unique_ptr<Predictor> make_predictor() const = 0;
  // A predictor of up to `lanes` chunks stepped together (Predictor::max_lanes()
  // may be fewer: memory caps them, and models that gain nothing from
  // stepping chunks together, the default, give one lane). With a pool, the
  // lanes' work runs on its threads (the pool must outlive the predictor and
  // not be running anything else while it steps).
  virtual std::unique_ptr<Predictor> make_predictor_lanes(size_t lanes, ThreadPool* pool) const {
    (void)lanes;
    (void)pool;
    return make_predictor();
  }
  std::unique_ptr<Predictor> make_predictor_lanes(size_t lanes) const { return make_predictor_lanes(lanes, nullptr); }
  // What one decoding step reads from memory, which decides whether lanes pay
  // off on a machine (lanes_pay_off, lmzip/engine.h). Zero: nothing to gain.
  virtual StepCost step_cost() const { return {}; }
  // Token models: how chunks become their symbols; null for byte models.
  virtual const TokenText* token_text() const { return nullptr; }

  const std::string& name() const { return info().name; }
  const Sha256& identity() const { return info().identity; }
};

// Directories that hold installed models as NAME.gguf, searched in order. The
// library has no search path of its own: the program decides (the lmzip
// program: $LMZIP_MODEL_PATH, then its models directory).
using ModelDirs = std::vector<std::string>;

// A built-in model by name ("order2"), a model file by path, or an installed
// model by name in `dirs`.
Result<std::shared_ptr<const Model>> model_open(const std::string& name_or_path, const ModelDirs& dirs = {});

// A model's identity as a frame gives it: the whole SHA-256, or, for a
// shipped model named by its id (docs/FORMAT.md, version 4), its first
// `bytes` bytes, enough to tell two versions of one model apart.
struct IdentityPrefix {
  Sha256 digest{};   // the bytes past `bytes` are zero
  size_t bytes = 32;

  IdentityPrefix() = default;
  IdentityPrefix(const Sha256& whole) : digest(whole) {}  // NOLINT: a whole identity is a prefix of itself
  IdentityPrefix(const Sha256& whole, size_t prefix_bytes);

  bool whole() const { return bytes == digest.size(); }
  // Whether `identity` starts with this prefix.
  bool matches(const Sha256& identity) const;
  // Lowercase hex of the known bytes, followed by "..." when they are a prefix.
  std::string hex() const;
  bool operator==(const IdentityPrefix&) const = default;
};

// Finds the model a frame names. Gets the name and identity from the frame;
// the model it returns must match the identity (IdentityPrefix::matches).
using ModelResolver =
    std::function<Result<std::shared_ptr<const Model>>(const std::string& name, const IdentityPrefix& id)>;

// Built-in models, and installed model files by name in `dirs` (never a path
// from the frame); refuses a model whose identity differs from the frame's.
ModelResolver model_resolver_installed(ModelDirs dirs);
// Resolver that only accepts `model`, with a message naming the model needed otherwise.
ModelResolver model_resolver_fixed(std::shared_ptr<const Model> model);

// Names of the built-in models (compiled in, no file needed).
std::vector<std::string> model_builtin_names();

// Compression levels: 0 is the built-in order2 (fast, no model file), 1 to
// kModelLevelMax the shipped transformers from fastest to smallest output
// (docs/MODELS.md). Without a level or a model, lmzip compresses at
// kModelLevelDefault, the best ratio for the time it takes.
inline constexpr int kModelLevelMax = 3;
inline constexpr int kModelLevelDefault = 2;
// The model name of a level in [0, kModelLevelMax]; "" for any other number.
std::string model_level_name(int level);

}  // namespace lmzip
