#pragma once
// CommandSource: a command whose standard output is backed up as a stream (pg_dump,
// mysqldump, an ERP's export tool). Runs without a shell (argv as given), reads stdout through
// a pipe and keeps the last 4 KiB of stderr for the error message. The backup is only good if
// the command exits 0: Finish says whether it did, and the caller saves the snapshot only then.
#include <sys/types.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"

namespace failsafe::backup {

class CommandSource {
 public:
  // Starts `argv` (argv[0] is looked up in PATH) with `env` added to the environment.
  static Result<std::unique_ptr<CommandSource>> Start(
      const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
  ~CommandSource();  // kills a command still running

  int stdout_fd() const { return stdout_fd_; }

  // Waits for the command after its output was read to the end. Error when it exited
  // non-zero or was killed, with the tail of its stderr.
  Status Finish();

  std::string Describe() const;  // "pg_dump -Fc erp" for snapshots and messages

 private:
  CommandSource() = default;
  std::vector<std::string> argv_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string stderr_tail_;
  std::thread stderr_reader_;
};

}  // namespace failsafe::backup
