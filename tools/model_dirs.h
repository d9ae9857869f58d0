// Where the lmzip programs look for installed models by name: the
// directories of $LMZIP_MODEL_PATH (':'-separated), then the models directory
// this build was configured with (LMZIP_MODEL_DIR, set by CMakeLists.txt).
// Policy of the programs, not of the library: it only searches what it is given.
#pragma once

#include <cstdlib>
#include <string>

#include "lmzip/model.h"

namespace lmzip::cli {

inline ModelDirs model_dirs_from_environment() {
  ModelDirs dirs;
  if (const char* env = std::getenv("LMZIP_MODEL_PATH")) {
    const std::string s = env;
    for (size_t start = 0; start <= s.size();) {
      size_t end = s.find(':', start);
      if (end == std::string::npos) end = s.size();
      if (end > start) dirs.push_back(s.substr(start, end - start));
      start = end + 1;
    }
  }
  dirs.push_back(LMZIP_MODEL_DIR);
  return dirs;
}

}  // namespace lmzip::cli
