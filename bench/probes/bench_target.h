#pragma once
// The target every benchmark probes: the test HTTP server answering "ok" on one thread, in a
// child process so the prober's getrusage counts the prober alone.
#include <sys/types.h>

#include <cstdint>

namespace failsafe::watch::probes::bench {

struct TargetProcess {
  pid_t pid = -1;
  uint16_t port = 0;
};

// Forks the target; call before starting any thread. Exits the process on failure.
TargetProcess StartTarget();
void StopTarget(const TargetProcess& target);

}  // namespace failsafe::watch::probes::bench
