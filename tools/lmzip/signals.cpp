// An interrupted run must not leave a partial output behind: the temporary
// file being written is removed from the signal handler (unlink is
// async-signal-safe), then the signal is re-raised with its default action.
#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "commands.h"

namespace lmzip::cli {
namespace {

char g_temp_path[4096];
volatile sig_atomic_t g_temp_set = 0;

void on_signal(int sig) {
  if (g_temp_set) unlink(g_temp_path);
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void temp_file_register(const std::string& path) {
  g_temp_set = 0;
  if (path.empty() || path.size() >= sizeof g_temp_path) return;
  std::memcpy(g_temp_path, path.c_str(), path.size() + 1);
  g_temp_set = 1;
}

void signals_install() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) signal(sig, on_signal);
  // Over a file-size limit, write() should fail with EFBIG and be reported,
  // not kill the process.
  signal(SIGXFSZ, SIG_IGN);
}

}  // namespace lmzip::cli
