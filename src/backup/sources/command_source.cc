#include "backup/sources/command_source.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

extern char** environ;

namespace failsafe::backup {
namespace {

constexpr size_t kStderrTail = 4096;

}  // namespace

Result<std::unique_ptr<CommandSource>> CommandSource::Start(
    const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
  if (argv.empty() || argv[0].empty()) return Err(InvalidArgument("no command given", "command"));
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0)
    return Err(Internal(std::string("pipe: ") + std::strerror(errno)));
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return Err(Internal(std::string("pipe: ") + std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    std::string name = entry.substr(0, entry.find('='));
    if (!env.count(name)) env_strings.push_back(std::move(entry));
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  pid_t pid;
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(out[0]);
    ::close(err[0]);
    return Err(InvalidArgument("cannot run " + argv[0] + ": " + std::strerror(rc), "command"));
  }
  std::unique_ptr<CommandSource> source(new CommandSource());
  source->argv_ = argv;
  source->pid_ = pid;
  source->stdout_fd_ = out[0];
  source->stderr_fd_ = err[0];
  source->stderr_reader_ = std::thread([s = source.get()] {
    char buf[4096];
    while (true) {
      ssize_t n = ::read(s->stderr_fd_, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      s->stderr_tail_.append(buf, static_cast<size_t>(n));
      if (s->stderr_tail_.size() > 2 * kStderrTail)
        s->stderr_tail_.erase(0, s->stderr_tail_.size() - kStderrTail);
    }
  });
  return source;
}

CommandSource::~CommandSource() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  if (stderr_reader_.joinable()) stderr_reader_.join();
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

Status CommandSource::Finish() {
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
    stdout_fd_ = -1;
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) return Internal(std::string("waitpid: ") + std::strerror(errno));
  }
  pid_ = -1;
  if (stderr_reader_.joinable()) stderr_reader_.join();
  std::string tail = stderr_tail_.size() > kStderrTail
                         ? stderr_tail_.substr(stderr_tail_.size() - kStderrTail)
                         : stderr_tail_;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
  std::string how = WIFEXITED(status) ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                      : "was killed by signal " + std::to_string(WTERMSIG(status));
  return Unavailable("command `" + Describe() + "` " + how + (tail.empty() ? "" : ": " + tail) +
                     "; no snapshot was saved");
}

std::string CommandSource::Describe() const {
  std::string out;
  for (const auto& a : argv_) out += (out.empty() ? "" : " ") + a;
  return out;
}

}  // namespace failsafe::backup
