// Finding models: built-ins by name, model files by path, shipped models by
// name in the model directories.
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "lmzip/codec.h"
#include "lmzip/model.h"
#include "model/order2_model.h"
#include "transformer/transformer_model.h"

namespace lmzip {
namespace fs = std::filesystem;

namespace {

// Where shipped models live: $LMZIP_MODEL_PATH (':'-separated), then the
// source tree's models/ directory this build came from.
std::vector<fs::path> model_directories() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("LMZIP_MODEL_PATH")) {
    std::string s = env;
    size_t start = 0;
    while (start <= s.size()) {
      size_t end = s.find(':', start);
      if (end == std::string::npos) end = s.size();
      if (end > start) dirs.emplace_back(s.substr(start, end - start));
      start = end + 1;
    }
  }
  dirs.emplace_back(LMZIP_MODEL_DIR);
  return dirs;
}

bool is_plain_name(const std::string& s) {
  return !s.empty() && s.find('/') == std::string::npos && s != "." && s != "..";
}

}  // namespace

std::vector<std::string> model_builtin_names() { return {"order2"}; }

std::string model_level_name(int level) {
  static const char* const kNames[kModelLevelMax + 1] = {"order2", "lmzip-text-200k", "lmzip-text-800k",
                                                         "lmzip-text-3m"};
  return level >= 0 && level <= kModelLevelMax ? kNames[level] : "";
}

Result<std::shared_ptr<const Model>> model_open(const std::string& name_or_path) {
  if (name_or_path == "order2") return order2_model();
  std::error_code ec;
  if (fs::is_regular_file(name_or_path, ec)) return transformer_model_load(name_or_path);
  if (is_plain_name(name_or_path)) {
    for (const auto& dir : model_directories()) {
      fs::path p = dir / (name_or_path + ".gguf");
      if (fs::is_regular_file(p, ec)) return transformer_model_load(p.string());
    }
  }
  return Status(ErrorCode::model_not_found,
                "no model named '" + name_or_path + "' (built-in: order2; or give a .gguf file)");
}

// A model named by a frame: a built-in or a shipped model file, never a path.
// The name comes from the input being decoded, so it must not make the
// decoder read files of the attacker's choosing (e.g. a 64-character path to
// a huge file, or ./NAME in the current directory).
static Result<std::shared_ptr<const Model>> model_find_installed(const std::string& name) {
  for (const auto& b : model_builtin_names())
    if (name == b) return model_open(name);
  std::error_code ec;
  if (is_plain_name(name)) {
    for (const auto& dir : model_directories()) {
      fs::path p = dir / (name + ".gguf");
      if (fs::is_regular_file(p, ec)) return transformer_model_load(p.string());
    }
  }
  return Status(ErrorCode::model_not_found, "no installed model named '" + name + "'");
}

Result<std::shared_ptr<const Model>> model_resolve_default(const std::string& name,
                                                           const Sha256& id) {
  auto model = model_find_installed(name);
  if (!model) {
    return Status(ErrorCode::model_not_found,
                  "this file needs model '" + name + "' (sha256 " + sha256_hex(id) +
                      "), which is not installed; pass it with --model FILE");
  }
  if ((*model)->identity() != id) {
    return Status(ErrorCode::model_mismatch,
                  "this file needs model '" + name + "' (sha256 " + sha256_hex(id) +
                      "), but the installed '" + name + "' has sha256 " +
                      sha256_hex((*model)->identity()));
  }
  return model;
}

ModelResolver model_resolver_fixed(std::shared_ptr<const Model> model) {
  return [model](const std::string& name,
                 const Sha256& id) -> Result<std::shared_ptr<const Model>> {
    if (model->identity() != id) {
      return Status(ErrorCode::model_mismatch,
                    "this file needs model '" + name + "' (sha256 " + sha256_hex(id) +
                        "), but the given model is '" + model->name() + "' (sha256 " +
                        sha256_hex(model->identity()) + ")");
    }
    return model;
  };
}

}  // namespace lmzip
