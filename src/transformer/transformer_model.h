// Loading a byte-transformer model (docs/ARCHITECTURE.md) from a GGUF file.
#pragma once

#include <memory>
#include <string>

#include "lmzip/error.h"
#include "lmzip/model.h"

namespace lmzip {

Result<std::shared_ptr<const Model>> transformer_model_load(const std::string& path);

}  // namespace lmzip
