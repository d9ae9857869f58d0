// Finding models: built-ins by name, model files by path, installed models by
// name in the directories the program gives (the library has no search path of its own).
#include <filesystem>
#include <system_error>
#include <utility>
#include <variant>

#include "gguf/gguf.h"
#include "llm/llm_config.h"
#include "llm/llm_model.h"
#include "lmzip/model.h"
#include "model/order2_model.h"
#include "transformer/transformer_model.h"

namespace lmzip {
namespace fs = std::filesystem;

namespace {

// A model file: a pretrained LLM (llama, qwen2) or an lmzip byte transformer,
// by the architecture it names.
Result<std::shared_ptr<const Model>> model_file_load(const std::string& path) {
  auto file = gguf::gguf_map(path);
  if (file && llm_arch_known(*file)) return llm_model_load(path, std::move(*file));
  if (file) {
    const gguf::Value* v = file->find("general.architecture");
    const std::string* arch = v ? std::get_if<std::string>(v) : nullptr;
    if (arch && *arch != "lmzipbt")
      return Status(ErrorCode::bad_model_file, "'" + path + "': architecture '" + *arch +
                                                   "' is not one lmzip runs (lmzipbt, llama, qwen2)");
  }
  return transformer_model_load(path);
}

bool is_plain_name(const std::string& s) {
  return !s.empty() && s.find('/') == std::string::npos && s != "." && s != "..";
}

// A built-in by name, or NAME.gguf in the first of `dirs` that has it; never
// a path. A frame's model name comes from the input being decoded, so it must
// not make the decoder read files of the attacker's choosing (a 64-character
// path to a huge file, or ./NAME in the current directory).
Result<std::shared_ptr<const Model>> model_find_installed(const std::string& name, const ModelDirs& dirs) {
  if (name == "order2") return order2_model();
  std::error_code ec;
  if (is_plain_name(name)) {
    for (const auto& dir : dirs) {
      fs::path p = fs::path(dir) / (name + ".gguf");
      if (fs::is_regular_file(p, ec)) return model_file_load(p.string());
    }
  }
  return Status(ErrorCode::model_not_found, "no installed model named '" + name + "'");
}

}  // namespace

Result<std::shared_ptr<const Model>> model_open(const std::string& name_or_path, const ModelDirs& dirs) {
  std::error_code ec;
  if (name_or_path != "order2" && fs::is_regular_file(name_or_path, ec)) return model_file_load(name_or_path);
  auto m = model_find_installed(name_or_path, dirs);
  if (m) return m;
  return Status(ErrorCode::model_not_found,
                "no model named '" + name_or_path + "' (built-in: order2; or give a .gguf file)");
}

std::vector<std::string> model_builtin_names() { return {"order2"}; }

std::string model_level_name(int level) {
  // The older models stay installed under their names for the files they wrote
  // (docs/MODELS.md); the levels name today's.
  static const char* const kNames[kModelLevelMax + 1] = {"order2", "lmzip-text-200k-v2", "lmzip-text-800k-v2",
                                                         "lmzip-text-3m-v2"};
  return level >= 0 && level <= kModelLevelMax ? kNames[level] : "";
}

ModelResolver model_resolver_installed(ModelDirs dirs) {
  return [dirs = std::move(dirs)](const std::string& name,
                                  const IdentityPrefix& id) -> Result<std::shared_ptr<const Model>> {
    auto model = model_find_installed(name, dirs);
    if (!model) {
      return Status(ErrorCode::model_not_found,
                    "this file needs model '" + name + "' (sha256 " + id.hex() +
                        "), which is not installed; pass it with --model FILE");
    }
    if (!id.matches((*model)->identity())) {
      return Status(ErrorCode::model_mismatch,
                    "this file needs model '" + name + "' (sha256 " + id.hex() + "), but the installed '" + name +
                        "' has sha256 " + sha256_hex((*model)->identity()));
    }
    return model;
  };
}

ModelResolver model_resolver_fixed(std::shared_ptr<const Model> model) {
  return [model](const std::string& name, const IdentityPrefix& id) -> Result<std::shared_ptr<const Model>> {
    if (!id.matches(model->identity())) {
      return Status(ErrorCode::model_mismatch,
                    "this file needs model '" + name + "' (sha256 " + id.hex() + "), but the given model is '" +
                        model->name() + "' (sha256 " + sha256_hex(model->identity()) + ")");
    }
    return model;
  };
}

}  // namespace lmzip
