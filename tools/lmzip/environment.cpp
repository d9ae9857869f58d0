// What the program takes from its environment and machine for the engine
// (the library reads neither): LMZIP_KERNELS, LMZIP_LOCKSTEP and the size of
// the last-level cache.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "commands.h"

namespace lmzip::cli {

void kernels_from_environment() {
  const char* env = std::getenv("LMZIP_KERNELS");
  if (!env || !*env) return;
  // An unavailable request falls back to the scalar path rather than to a
  // faster one: a user forcing a path wants that path or the reference.
  if (!kernels_use(env)) kernels_use("scalar");
}

EngineOptions engine_options_from_environment() {
  EngineOptions e;
  if (const char* env = std::getenv("LMZIP_LOCKSTEP"); env && *env) {
    if (std::strcmp(env, "always") == 0) e.lanes = LaneMode::always;
    if (std::strcmp(env, "never") == 0) e.lanes = LaneMode::never;
  }
  long l3 = 0;
#ifdef _SC_LEVEL3_CACHE_SIZE
  l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
#endif
  if (l3 > 0) e.cache_bytes = std::min<uint64_t>(uint64_t(l3), kCacheBytesMax);
  return e;
}

}  // namespace lmzip::cli
