#pragma once
// Running the real failsafe binary from tests: one-shot CLI commands and a server process
// that can be stopped gracefully, killed with SIGKILL and restarted on the same data.
#include <sys/types.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace failsafe::testing {

// Path of the built failsafe binary (compile definition FAILSAFE_BIN).
std::string FailsafeBinary();

// A fresh directory under $TMPDIR, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;  // -1: killed by a signal or failed to start
  std::string out;
  std::string err;
};

// Runs `binary args...` with `env` added to a minimal environment, feeding `stdin_text`.
// Gives up (SIGKILL) after `timeout_ms`.
CommandResult RunCommand(const std::string& binary, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {},
                         const std::string& stdin_text = "", int timeout_ms = 60'000);

struct ServerOptions {
  std::string data_dir;  // required: where the store and keys live
  std::string db_url;    // empty: the default sqlite:<data_dir>/failsafe.db
  std::string admin_password = "Correct-Horse-Battery-42";
  std::vector<std::string> extra_args;
  std::map<std::string, std::string> env;
};

// Options for a server on `data_dir` with the test admin password.
inline ServerOptions OptionsFor(std::string data_dir) {
  ServerOptions o;
  o.data_dir = std::move(data_dir);
  return o;
}

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options);
  ~ServerProcess();  // SIGKILLs a server still running

  // Starts the server on 127.0.0.1:0 and waits until it prints the address it listens on.
  // Returns false (see log()) when it does not come up within `timeout_ms`.
  bool Start(int timeout_ms = 30'000);
  // SIGTERM, then waits for the exit; returns the exit code (-1 on signal death/timeout).
  int Terminate(int timeout_ms = 20'000);
  // SIGKILL, no chance to clean up.
  void Kill9();
  bool running() const { return pid_ > 0; }

  const std::string& address() const { return address_; }  // "127.0.0.1:PORT"
  std::string url() const { return "http://" + address_; }
  const ServerOptions& options() const { return options_; }
  std::string stdout_text() const;
  std::string log() const;  // stdout + stderr of the current/last run

 private:
  void Reap(int timeout_ms, int* exit_code);
  ServerOptions options_;
  pid_t pid_ = -1;
  std::string address_;
  std::thread out_reader_, err_reader_;
  mutable std::mutex mu_;
  std::string out_, err_;
};

}  // namespace failsafe::testing
