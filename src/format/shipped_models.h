// The shipped models' ids (docs/FORMAT.md, "Shipped models"): a version 4
// frame names a model that lmzip ships by a one-byte id and a prefix of its
// identity instead of its name and whole SHA-256. The ids are part of the
// format: an id, once given, always means the same name and is never reused.
#pragma once

#include <cstdint>
#include <string_view>

namespace lmzip::format {

// Bytes of the identity a frame keeps for a shipped model.
inline constexpr size_t kShippedIdentityBytes = 4;

// The id of a shipped model's name, 0 when the name is not shipped.
uint8_t shipped_model_id(std::string_view name);
// The name of a shipped model's id, "" when no shipped model has it.
std::string_view shipped_model_name(uint8_t id);

}  // namespace lmzip::format
