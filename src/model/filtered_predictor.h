// A model behind a residual filter (residual_filter.h): the inner predictor
// sees tokens, the coder sees bytes. Frequencies are only permuted, so the
// wrapped predictor keeps every guarantee of the inner one (>= 1, total,
// batch == step by step, lockstep == one chunk).
#pragma once

#include <memory>

#include "lmzip/predictor.h"
#include "model/residual_filter.h"

namespace lmzip {

// With inner_takes_tags, the inner predictor is updated with token + 256 *
// tag (the filter's tag of the next byte: a transformer's input id); else
// with the token alone.
std::unique_ptr<Predictor> filtered_predictor_make(std::unique_ptr<Predictor> inner, const FilterSpec& spec,
                                                   bool inner_takes_tags = false);
std::unique_ptr<LockstepPredictor> filtered_lockstep_make(std::unique_ptr<LockstepPredictor> inner,
                                                          const FilterSpec& spec, bool inner_takes_tags = false);

}  // namespace lmzip
