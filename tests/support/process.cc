#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <regex>

extern char** environ;

namespace failsafe::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> BuildEnv(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env;
  for (const char* key :
       {"PATH", "HOME", "TMPDIR", "LANG", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* v = std::getenv(key)) env[key] = v;
  }
  for (auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

pid_t Spawn(const std::string& binary, const std::vector<std::string>& args,
            const std::vector<std::string>& env, int in_fd, int out_fd, int err_fd) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    for (int fd = 3; fd < 1024; ++fd) ::close(fd);
    ::execve(binary.c_str(), argv.data(), envp.data());
    std::perror("execve");
    ::_exit(127);
  }
  return pid;
}

void DrainInto(int fd, std::mutex& mu, std::string& sink) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::lock_guard lock(mu);
    sink.append(buf, size_t(n));
  }
  ::close(fd);
}

}  // namespace

std::string FailsafeBinary() {
  return FAILSAFE_BIN;
}

TempDir::TempDir() {
  std::string base = std::filesystem::temp_directory_path() / "failsafe-test-XXXXXX";
  std::vector<char> buf(base.begin(), base.end());
  buf.push_back('\0');
  path_ = ::mkdtemp(buf.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult RunCommand(const std::string& binary, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env,
                         const std::string& stdin_text, int timeout_ms) {
  CommandResult result;
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) return result;
  pid_t pid = Spawn(binary, args, BuildEnv(env), in[0], out[1], err[1]);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (!stdin_text.empty()) {
    ssize_t ignored = ::write(in[1], stdin_text.data(), stdin_text.size());
    (void)ignored;
  }
  ::close(in[1]);
  std::mutex mu;
  std::thread t_out([&] { DrainInto(out[0], mu, result.out); });
  std::thread t_err([&] { DrainInto(err[0], mu, result.err); });
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (Clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.err += "\n[test harness: killed after timeout]";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  t_out.join();
  t_err.join();
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill9();
}

bool ServerProcess::Start(int timeout_ms) {
  {
    std::lock_guard lock(mu_);
    out_.clear();
    err_.clear();
  }
  std::vector<std::string> args = {"serve", "--data", options_.data_dir, "--listen", "127.0.0.1:0"};
  if (!options_.db_url.empty()) {
    args.push_back("--db");
    args.push_back(options_.db_url);
  }
  for (auto& a : options_.extra_args) args.push_back(a);
  auto env = options_.env;
  if (!options_.admin_password.empty()) env["FAILSAFE_ADMIN_PASSWORD"] = options_.admin_password;
  int out[2], err[2];
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) return false;
  pid_ = Spawn(FailsafeBinary(), args, BuildEnv(env), devnull, out[1], err[1]);
  ::close(devnull);
  ::close(out[1]);
  ::close(err[1]);
  out_reader_ = std::thread([this, fd = out[0]] { DrainInto(fd, mu_, out_); });
  err_reader_ = std::thread([this, fd = err[0]] { DrainInto(fd, mu_, err_); });
  static const std::regex kListening(R"(listening on https?://([0-9.]+:[0-9]+))");
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    {
      std::lock_guard lock(mu_);
      std::smatch m;
      if (std::regex_search(out_, m, kListening)) {
        address_ = m[1];
        return true;
      }
    }
    int status;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      out_reader_.join();
      err_reader_.join();
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

void ServerProcess::Reap(int timeout_ms, int* exit_code) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (Clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      status = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (exit_code) *exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  pid_ = -1;
  if (out_reader_.joinable()) out_reader_.join();
  if (err_reader_.joinable()) err_reader_.join();
}

int ServerProcess::Terminate(int timeout_ms) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int code = -1;
  Reap(timeout_ms, &code);
  return code;
}

void ServerProcess::Kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  Reap(10'000, nullptr);
}

std::string ServerProcess::stdout_text() const {
  std::lock_guard lock(mu_);
  return out_;
}

std::string ServerProcess::log() const {
  std::lock_guard lock(mu_);
  return out_ + "\n--- stderr ---\n" + err_;
}

}  // namespace failsafe::testing
