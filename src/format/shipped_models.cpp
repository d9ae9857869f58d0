#include "format/shipped_models.h"

#include <array>

namespace lmzip::format {
namespace {

// Index + 1 is the id (0 means "named in full"). Append only: a model that
// stops shipping keeps its row, so that its frames still name it.
constexpr std::array<std::string_view, 11> kShipped = {
    "order2",           "lmzip-text-200k", "lmzip-text-800k", "lmzip-text-3m",
    "lmzip-image-gray", "lmzip-image-rgb", "lmzip-audio8",    "lmzip-audio16",
    "lmzip-text-200k-v2", "lmzip-text-800k-v2", "lmzip-text-3m-v2",
};

}  // namespace

uint8_t shipped_model_id(std::string_view name) {
  for (size_t i = 0; i < kShipped.size(); ++i)
    if (kShipped[i] == name) return static_cast<uint8_t>(i + 1);
  return 0;
}

std::string_view shipped_model_name(uint8_t id) {
  return id >= 1 && id <= kShipped.size() ? kShipped[id - 1] : std::string_view{};
}

}  // namespace lmzip::format
