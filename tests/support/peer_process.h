#pragma once
// A real peer (prometheus, prometheus-alertmanager, node_exporter...) run in the background
// by a test: its output goes to a log file, the destructor stops it (SIGTERM, then SIGKILL).
#include <sys/types.h>

#include <string>
#include <vector>

namespace failsafe::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (bound to 0, read, closed).
int FreePort();

class PeerProcess {
 public:
  PeerProcess(std::string binary, std::vector<std::string> args, std::string log_path);
  ~PeerProcess();
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  bool running() const;  // false when it could not start or has exited
  void Stop();           // SIGTERM, up to 10 s, then SIGKILL; safe to call twice
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// Polls GET http://127.0.0.1:port+path until it answers `status` or `timeout_ms` passes.
bool WaitForHttp(int port, const std::string& path, int status, int timeout_ms);

}  // namespace failsafe::testing
