#pragma once
// For tests: running a real program from Debian (logger, logrotate) to its end.
#include <spawn.h>
#include <sys/wait.h>

#include <string>
#include <vector>

extern char** environ;

namespace failsafe::watch::testing {

// Runs `args[0]` (looked up in PATH) with `args`; returns its exit code, -1 when it could not
// start or died by a signal.
inline int RunProgram(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace failsafe::watch::testing
