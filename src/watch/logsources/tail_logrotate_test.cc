// The file tailer against Debian's real logrotate: rotation by rename ("create"), copytruncate,
// and rotations while the tailer is stopped.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "watch/logsources/file_tailer.h"
#include "watch/logsources/test_programs.h"

namespace failsafe::watch {
namespace {

namespace fs = std::filesystem;
using V = std::vector<std::string>;

class LogrotateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::RunProgram({"logrotate", "--version"}) != 0) {
      GTEST_SKIP() << "logrotate is not installed (apt-get install logrotate)";
    }
    char tmpl[] = "/tmp/fs-logrotate-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    log_ = dir_ + "/app.log";
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  void Write(const std::string& text) { std::ofstream(log_, std::ios::app) << text; }

  // Runs `logrotate -f` with one rule for app.log ("create" or "copytruncate").
  void Rotate(const std::string& mode) {
    // logrotate compares timestamps in whole seconds only for its state; -f rotates anyway.
    std::ofstream(dir_ + "/logrotate.conf")
        << log_ << " {\n  rotate 10\n  " << mode << "\n  nocompress\n  missingok\n}\n";
    ASSERT_EQ(testing::RunProgram(
                  {"logrotate", "-f", "-s", dir_ + "/logrotate.state", dir_ + "/logrotate.conf"}),
              0);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // distinct mtimes
  }

  TailOptions Options() const {
    TailOptions o;
    o.pattern = log_;
    o.state_path = dir_ + "/position.json";
    return o;
  }

  static V Drain(FileTailer& t, bool commit = false) {
    V out;
    for (int i = 0; i < 3; ++i) {
      auto b = t.Poll();
      EXPECT_TRUE(b);
      if (!b) break;
      for (const LogLine& l : b->lines) out.push_back(l.text);
      if (commit) {
        EXPECT_TRUE(t.Commit(*b).ok());
      }
    }
    return out;
  }

  std::string dir_, log_;
};

TEST_F(LogrotateTest, CreateMode) {
  FileTailer t(Options());
  ASSERT_TRUE(t.Open().ok());
  Write("a\nb\n");
  EXPECT_EQ(Drain(t), (V{"a", "b"}));
  Write("c\n");  // not yet read when logrotate renames the file
  Rotate("create");
  ASSERT_TRUE(fs::exists(dir_ + "/app.log.1"));
  Write("d\n");
  EXPECT_EQ(Drain(t), (V{"c", "d"}));
}

TEST_F(LogrotateTest, CopyTruncateMode) {
  FileTailer t(Options());
  ASSERT_TRUE(t.Open().ok());
  Write("a\nb\n");
  EXPECT_EQ(Drain(t), (V{"a", "b"}));
  Rotate("copytruncate");
  ASSERT_EQ(fs::file_size(log_), 0u);
  Write("c\n");
  EXPECT_EQ(Drain(t), (V{"c"}));  // the copy (app.log.1) is not read again
  EXPECT_EQ(t.stats().restarts, 1u);
}

TEST_F(LogrotateTest, RotatedTwiceWhileStopped) {
  {
    FileTailer t(Options());
    ASSERT_TRUE(t.Open().ok());
    Write("1\n");
    EXPECT_EQ(Drain(t, /*commit=*/true), (V{"1"}));
  }
  Write("2\n");
  Rotate("create");  // app.log -> app.log.1
  Write("3\n");
  Rotate("create");  // app.log.1 -> app.log.2, app.log -> app.log.1
  Write("4\n");
  FileTailer t(Options());
  ASSERT_TRUE(t.Open().ok());
  EXPECT_EQ(Drain(t), (V{"2", "3", "4"}));
}

}  // namespace
}  // namespace failsafe::watch
