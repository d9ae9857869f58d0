#include "transformer/transformer_model.h"

namespace lmzip {

// Placeholder until the engine lands (issue 3).
Result<std::shared_ptr<const Model>> transformer_model_load(const std::string& path) {
  return Status(ErrorCode::bad_model_file, "'" + path + "': transformer models are not supported yet");
}

}  // namespace lmzip
