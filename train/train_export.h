// Writing a trained model as a GGUF file the inference engine runs
// (tensor names and metadata of docs/ARCHITECTURE.md).
#pragma once

#include <string>

#include "lmzip/error.h"
#include "model/residual_filter.h"
#include "model/token_mixer.h"
#include "train_model.h"

namespace lmzip::train {

struct ExportOptions {
  std::string name = "lmzip-text";      // general.name: the model's name in .lmz frames
  std::string license = "CC-BY-SA-4.0";
  std::string training_data;            // lmzip.training.data
  uint32_t context_length = 2048;       // longest chunk the model is meant for
  bool f16 = false;                     // matrices as f16 (norm gains stay f32)
  FilterSpec filter;                    // media models: the filter and what the model predicts
  MixerKind mixer = MixerKind::none;    // media models: the token mixer
};

// The parameters as the engine sees them after an f16 export (matrices
// rounded to f16, norm gains kept): lets `eval --f16` price the rounding.
std::vector<float> f16_rounded(const ModelConfig& cfg, const std::vector<float>& params);

Status export_gguf(const ModelConfig& cfg, const std::vector<float>& params, const ExportOptions& opt,
                   const std::string& path);

}  // namespace lmzip::train
