// The adaptive order-2 context model: the fast level and the fallback for data
// the language models do not help. Witten-Bell interpolation of order-2,
// order-1 and order-0 byte counts, in exact integer arithmetic.
#pragma once

#include <memory>

#include "lmzip/model.h"

namespace lmzip {

std::shared_ptr<const Model> order2_model();

}  // namespace lmzip
