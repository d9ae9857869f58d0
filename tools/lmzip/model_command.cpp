// Placeholder until the engine lands (issue 3).
#include <cstdio>

#include "commands.h"

int model_command(int, char**) {
  std::fprintf(stderr, "lmzip: 'model' commands are not available yet\n");
  return 1;
}
