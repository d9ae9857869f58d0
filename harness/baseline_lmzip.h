// lmzip itself, through the public API, with any model: "order2" or a GGUF file.
#pragma once

#include <memory>
#include <string>

#include "baseline.h"
#include "lmzip/engine.h"
#include "lmzip/model.h"

namespace lmzip::harness {

// `threads`: worker threads of lmzip's own frame codec (chunks in parallel);
// `dirs`: where a model given by name is installed; `engine`: how it decodes;
// `adaptive`: through the adaptive stage (the model as its network; order2:
// the fast stage alone, as lmzip -0), named "lmzip MODEL +adaptive".
Result<std::unique_ptr<Baseline>> baseline_lmzip(const std::string& model_name_or_path, unsigned threads,
                                                 const ModelDirs& dirs = {}, const EngineOptions& engine = {},
                                                 bool adaptive = false);

}  // namespace lmzip::harness
