// A model behind a residual filter (residual_filter.h): the inner predictor
// sees tokens, the coder sees bytes. Frequencies are only permuted, so the
// wrapped predictor keeps every guarantee of the inner one (>= 1, total,
// batch == step by step, many lanes == one). One filter (and mixer) per lane.
#pragma once

#include <memory>

#include "lmzip/predictor.h"
#include "model/residual_filter.h"
#include "model/token_mixer.h"

namespace lmzip {

// With inner_takes_tags, the inner predictor is updated with token + 256 *
// tag (the filter's tag of the next byte: a transformer's input id); else
// with the token alone. With a mixer, the inner model's token distribution
// is adapted to the chunk (token_mixer.h) before it is rotated.
std::unique_ptr<Predictor> filtered_predictor_make(std::unique_ptr<Predictor> inner, const FilterSpec& spec,
                                                   bool inner_takes_tags = false,
                                                   MixerKind mixer = MixerKind::none);

}  // namespace lmzip
