// Runs the built `failsafe` binary (path from the FAILSAFE_BINARY compile definition).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli/api_client.h"

namespace failsafe::cli {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out, err;
};

// Runs the binary with `args` and an extra environment, waits, and captures both streams.
Outcome RunFailsafe(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                    const std::string& stdin_text = "") {
  fs::path dir = fs::temp_directory_path() / ("failsafe_bin_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string out_file = (dir / "out").string(), err_file = (dir / "err").string(),
              in_file = (dir / "in").string();
  std::ofstream(in_file) << stdin_text;
  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open(in_file.c_str(), O_RDONLY);
    int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv = {const_cast<char*>(FAILSAFE_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(FAILSAFE_BINARY, argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  Outcome o;
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream o_in(out_file), e_in(err_file);
  o.out.assign(std::istreambuf_iterator<char>(o_in), {});
  o.err.assign(std::istreambuf_iterator<char>(e_in), {});
  fs::remove_all(dir);
  return o;
}

TEST(BinaryTest, Version) {
  Outcome o = RunFailsafe({"version"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(o.out.starts_with("failsafe 0.")) << o.out;
  EXPECT_NE(o.out.find("(commit "), std::string::npos) << o.out;

  o = RunFailsafe({"version", "--json"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.out.find("\"version\": \""), std::string::npos) << o.out;

  const std::string plain = RunFailsafe({"version"}).out;
  o = RunFailsafe({"--version"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, plain);
}

TEST(BinaryTest, ConfigCheck) {
  fs::path dir = fs::temp_directory_path() / ("failsafe_cfg_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string good = (dir / "good.yaml").string(), bad = (dir / "bad.yaml").string();
  std::ofstream(good) << "listen: 127.0.0.1:9000\nhttp:\n  idle_timeout: 30s\n";
  std::ofstream(bad) << "listen: 127.0.0.1:9000\nhttp:\n  idle_timout: 30s\n";

  Outcome o = RunFailsafe({"config", "check", good});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, good + ": OK\n");

  o = RunFailsafe({"config", "check", bad});
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.err, "failsafe: " + bad +
                       ":3: key 'http.idle_timout' is unknown (did you mean 'idle_timeout'?)\n");

  o = RunFailsafe({"config", "check", (dir / "absent.yaml").string()});
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_TRUE(o.err.starts_with("failsafe: ")) << o.err;
  fs::remove_all(dir);
}

TEST(BinaryTest, UsageErrorsExitTwo) {
  Outcome o = RunFailsafe({"no-such-command"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_TRUE(o.err.starts_with("failsafe: ")) << o.err;

  o = RunFailsafe({"user", "create", "--role", "admin"});  // --username missing
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--username"), std::string::npos) << o.err;

  o = RunFailsafe({});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.out.find("Exit codes:"), std::string::npos);
}

TEST(BinaryTest, HelpDocumentsCommandsAndExitCodes) {
  Outcome o = RunFailsafe({"--help"});
  EXPECT_EQ(o.exit_code, 0);
  for (const char* word : {"serve", "version", "config", "user", "token", "audit", "completion",
                           "Exit codes:", "FAILSAFE_TOKEN"}) {
    EXPECT_NE(o.out.find(word), std::string::npos) << word;
  }
  o = RunFailsafe({"token", "create", "--help"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.out.find("--expires-in"), std::string::npos) << o.out;
}

TEST(BinaryTest, CompletionCoversTheCommandTree) {
  Outcome o = RunFailsafe({"completion", "bash"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  for (const char* word :
       {"complete -F _failsafe failsafe", "\"failsafe user\")", "\"failsafe token create\")",
        "--expires-in", "\"failsafe audit\")", "verify", "--password-stdin"}) {
    EXPECT_NE(o.out.find(word), std::string::npos) << word;
  }
  o = RunFailsafe({"completion", "zsh"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(o.out.starts_with("#compdef failsafe"));
  EXPECT_EQ(RunFailsafe({"completion", "fish"}).exit_code, 2);
}

TEST(BinaryTest, ApiCommandWithoutServerNamesIt) {
  Outcome o = RunFailsafe({"--server", "http://127.0.0.1:1", "user", "list"});
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.err.find("failsafe: cannot connect to the failsafe server at http://127.0.0.1:1"),
            std::string::npos)
      << o.err;
}

TEST(BinaryTest, ServeRejectsBadFlagWithItsName) {
  Outcome o = RunFailsafe({"serve", "--listen", "8080"}, {"FAILSAFE_CONFIG="});
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.err, "failsafe: flag --listen must be HOST:PORT, got \"8080\"\n");
}

// Starts `failsafe serve` on a free port, waits for the listening line, and stops it.
class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("failsafe_serve_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Returns the URL printed by the server; out_ holds its whole stdout so far.
  std::string Start() {
    std::string out_file = (dir_ / "serve.out").string();
    std::string err_file = (dir_ / "serve.err").string();
    // The previous run's output must not be mistaken for this one's.
    fs::remove(out_file);
    fs::remove(err_file);
    pid_ = ::fork();
    if (pid_ == 0) {
      int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(out, 1);
      ::dup2(err, 2);
      ::unsetenv("FAILSAFE_ADMIN_PASSWORD");
      ::unsetenv("FAILSAFE_CONFIG");
      std::string data = (dir_ / "data").string();
      ::execl(FAILSAFE_BINARY, FAILSAFE_BINARY, "serve", "--listen", "127.0.0.1:0", "--data",
              data.c_str(), "--log-level", "warn", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const std::string marker = "failsafe listening on ";
    for (int i = 0; i < 300; ++i) {
      std::ifstream in(out_file);
      out_.assign(std::istreambuf_iterator<char>(in), {});
      size_t at = out_.find(marker);
      size_t eol = at == std::string::npos ? at : out_.find('\n', at);
      if (eol != std::string::npos)
        return out_.substr(at + marker.size(), eol - at - marker.size());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::ifstream err(err_file);
    ADD_FAILURE() << "server did not start: "
                  << std::string(std::istreambuf_iterator<char>(err), {});
    return "";
  }

  int Stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  fs::path dir_;
  pid_t pid_ = -1;
  std::string out_;
};

TEST_F(ServeTest, StartsServesAndStopsGracefully) {
  std::string url = Start();
  ASSERT_TRUE(url.starts_with("http://127.0.0.1:")) << out_;
  EXPECT_NE(url, "http://127.0.0.1:0");
  // First start: the generated admin password is shown once, in both languages.
  EXPECT_NE(out_.find("password / 密码:"), std::string::npos) << out_;

  ApiClientOptions options;
  options.server = url;
  ApiClient client(options);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health) << health.error().ToString();
  EXPECT_EQ(health->at("status").as_string(), "ok");
  auto ready = client.Get("/readyz");
  ASSERT_TRUE(ready) << ready.error().ToString();
  auto users = client.Get("/api/v1/users");
  ASSERT_FALSE(users);
  EXPECT_EQ(users.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(Stop(), 0);

  // Data directory private; keys and database created.
  EXPECT_EQ(fs::status(dir_ / "data").permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_TRUE(fs::exists(dir_ / "data" / "failsafe.db"));

  // Second start: admin exists, no password printed.
  url = Start();
  ASSERT_FALSE(url.empty());
  EXPECT_EQ(out_.find("password"), std::string::npos) << out_;
  EXPECT_EQ(Stop(), 0);

  // With the server stopped, the audit chain verifies straight from the store.
  Outcome o = RunFailsafe({"audit", "verify", "--data", (dir_ / "data").string()});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(o.out.starts_with("audit chain OK: ")) << o.out;
}

TEST_F(ServeTest, AuditVerifyRefusesAMissingDatabase) {
  Outcome o = RunFailsafe({"audit", "verify", "--data", dir_.string()});
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.err.find("no database at"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(dir_ / "failsafe.db"));
}

}  // namespace
}  // namespace failsafe::cli
