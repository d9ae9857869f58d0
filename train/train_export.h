// Writing a trained model as a GGUF file the inference engine runs, through
// the model schema (transformer_schema.h) the loader reads.
#pragma once

#include <string>

#include "lmzip/error.h"
#include "train_model.h"

namespace lmzip::train {

struct ExportOptions {
  ModelLabel label{"lmzip-text", "CC-BY-SA-4.0", ""};  // general.name is the model's name in .lmz frames
  bool f16 = false;                                    // matrices as f16 (norm gains stay f32)
};

// The parameters as the engine sees them after an f16 export (matrices
// rounded to f16, norm gains kept): lets `eval --f16` price the rounding.
std::vector<float> f16_rounded(const ModelConfig& cfg, const std::vector<float>& params);

// Writes the model of shape `cfg` (with the context_length, filter and mixer
// the file declares) holding `params` (ParamLayout order).
Status export_gguf(const ModelConfig& cfg, const std::vector<float>& params, const ExportOptions& opt,
                   const std::string& path);

}  // namespace lmzip::train

namespace lmzip::train {

// A model file read back into the trainer's layout: the inverse of
// export_gguf (f16 matrices widen exactly), so a run can start from a shipped
// model (`train --init`) when its checkpoint is gone.
struct ImportedModel {
  ModelConfig cfg;
  std::vector<float> params;  // ParamLayout order
};
Result<ImportedModel> import_gguf(const std::string& path);

}  // namespace lmzip::train
