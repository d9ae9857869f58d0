// What the lmzip programs take from their environment and machine and pass
// to the library, which reads neither (its choices are options): where
// installed models are, the kernel path, how the decoder steps chunks.
// None of it changes any output.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "lmzip/engine.h"
#include "lmzip/model.h"

namespace lmzip::cli {

// The models of an installed lmzip: PREFIX/share/lmzip/models beside
// PREFIX/bin/lmzip, found from the running program's own path, so that a
// prefix moved elsewhere still works. Empty for a program that is not
// installed (no PREFIX/share/lmzip: a build tree).
inline std::string installed_model_dir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const std::filesystem::path share = exe.parent_path().parent_path() / "share" / "lmzip";
  return std::filesystem::is_directory(share, ec) ? (share / "models").string() : std::string();
}

// Where models are found by name: the installed ones, then $LMZIP_MODEL_PATH
// (directories separated by ':'), then, for a program that is not installed
// (a build-tree run), the source tree's models/ it was configured with
// (LMZIP_MODEL_DIR, CMakeLists.txt).
inline ModelDirs model_dirs_from_environment() {
  ModelDirs dirs;
  const std::string installed = installed_model_dir();
  if (!installed.empty()) dirs.push_back(installed);
  if (const char* env = std::getenv("LMZIP_MODEL_PATH")) {
    const std::string s = env;
    for (size_t start = 0; start <= s.size();) {
      size_t end = s.find(':', start);
      if (end == std::string::npos) end = s.size();
      if (end > start) dirs.push_back(s.substr(start, end - start));
      start = end + 1;
    }
  }
  if (installed.empty()) dirs.push_back(LMZIP_MODEL_DIR);  // an installed lmzip never looks into the source tree
  return dirs;
}

// LMZIP_KERNELS=scalar|avx2|avx512|neon forces a kernel path. An unavailable
// request falls back to the scalar path rather than to a faster one: a user
// forcing a path wants that path or the reference.
inline void kernels_from_environment() {
  const char* env = std::getenv("LMZIP_KERNELS");
  if (!env || !*env) return;
  if (!kernels_use(env)) kernels_use("scalar");
}

// LMZIP_LOCKSTEP=always|never forces or forbids decoding chunks in lanes;
// otherwise the last-level cache size decides (lanes_pay_off).
inline EngineOptions engine_options_from_environment() {
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
