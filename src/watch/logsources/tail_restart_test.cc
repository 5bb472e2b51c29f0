// A real process tails a file that is written and rotated while the process is killed with
// SIGKILL and restarted over and over: every line arrives exactly once, in order.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

pid_t Spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  return pid;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(TailRestart, KilledMidStreamLosesAndRepeatsNothing) {
  char tmpl[] = "/tmp/fs-tailkill-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string log = dir + "/app.log", state = dir + "/state.json", out = dir + "/out.txt";
  constexpr int kLines = 4000;
  constexpr int kRotateEvery = 900;

  // All lines are made up front so the test thread can read `expected` while the writer runs.
  std::vector<std::string> lines;
  std::string expected;
  std::mt19937 line_rng(7);
  for (int i = 0; i < kLines; ++i) {
    lines.push_back("line " + std::to_string(i) + " " + std::string(line_rng() % 80, 'x'));
    expected += lines.back() + "\n";
  }
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    int rotation = 0;
    for (int i = 0; i < kLines; ++i) {
      if (i > 0 && i % kRotateEvery == 0) {
        fs::rename(log, log + "." + std::to_string(++rotation));  // rotation by rename
      }
      const std::string& line = lines[i];
      std::ofstream f(log, std::ios::app | std::ios::binary);
      // Half a line, then the rest: the reader must hold the partial line.
      f << line.substr(0, line.size() / 2) << std::flush;
      if (i % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      f << line.substr(line.size() / 2) << "\n" << std::flush;
      if (i % 10 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(4));
    }
    writing = false;
  });

  std::mt19937 rng(11);
  int kills = 0;
  int min_life_ms = 5;  // grows while the child makes no progress (slow sanitizer builds)
  size_t last_size = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t pid = Spawn({TAIL_CHILD_BIN, log, state, out});
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(min_life_ms + rng() % 40));
    const size_t size = ReadAll(out).size();
    const bool done = !writing && size >= expected.size();
    min_life_ms = size == last_size ? std::min(min_life_ms * 2, 640) : 5;
    last_size = size;
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited by itself: " << status;
    ++kills;
    if (done) break;
  }
  writer.join();
  EXPECT_GT(kills, 20);
  std::printf("%d kills\n", kills);
  const std::string got = ReadAll(out);
  EXPECT_EQ(got.size(), expected.size());
  const size_t diff = static_cast<size_t>(
      std::mismatch(got.begin(), got.end(), expected.begin(), expected.end()).first - got.begin());
  EXPECT_TRUE(got == expected) << "first difference at byte " << diff
                               << "\ngot:      " << got.substr(diff > 100 ? diff - 100 : 0, 200)
                               << "\nexpected: "
                               << expected.substr(diff > 100 ? diff - 100 : 0, 200);
  if (got != expected) return;  // keep the directory for a look
  fs::remove_all(dir);
}

}  // namespace
