#include "watch/logsources/file_tailer.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace failsafe::watch {
namespace {

namespace fs = std::filesystem;

class TailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fs-tail-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  static void Append(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::app | std::ios::binary) << text;
  }
  static std::vector<std::string> Texts(const TailBatch& b) {
    std::vector<std::string> out;
    for (const LogLine& l : b.lines) out.push_back(l.text);
    return out;
  }
  TailOptions Options(const std::string& pattern) const {
    TailOptions o;
    o.pattern = pattern;
    o.state_path = Path("state.json");
    return o;
  }
  std::vector<std::string> PollTexts(FileTailer& t) {
    auto b = t.Poll();
    EXPECT_TRUE(b) << b.error().ToString();
    return b ? Texts(*b) : std::vector<std::string>{};
  }
  // A tailer that reads what is there, commits and stops (the process before a restart).
  void ReadAndCommitOnce(const std::string& pattern) {
    FileTailer t(Options(pattern));
    ASSERT_TRUE(t.Open().ok());
    auto b = t.Poll();
    ASSERT_TRUE(b && t.Commit(*b).ok());
  }
  using V = std::vector<std::string>;
  std::string dir_;
};

TEST_F(TailerTest, FollowsAppendsAndHoldsPartialLines) {
  const std::string log = Path("app.log");
  FileTailer t(Options(log));
  ASSERT_TRUE(t.Open().ok());
  EXPECT_EQ(PollTexts(t), V{});  // not there yet
  Append(log, "one\ntwo\nthr");
  auto b = t.Poll();
  ASSERT_TRUE(b);
  EXPECT_EQ(Texts(*b), (V{"one", "two"}));
  EXPECT_EQ(b->lines[0].source, log);
  ASSERT_EQ(b->checkpoint.files.size(), 1u);
  EXPECT_EQ(b->checkpoint.files[0].offset, 8u);  // the held "thr" is not yet handed on
  Append(log, "ee\n");
  EXPECT_EQ(PollTexts(t), (V{"three"}));
  EXPECT_EQ(PollTexts(t), V{});
}

TEST_F(TailerTest, GlobPicksUpFilesThatAppearLater) {
  FileTailer t(Options(Path("*.log")));
  ASSERT_TRUE(t.Open().ok());
  Append(Path("a.log"), "a1\n");
  EXPECT_EQ(PollTexts(t), (V{"a1"}));
  Append(Path("b.log"), "b1\n");
  Append(Path("b.txt"), "not matched\n");
  Append(Path("a.log"), "a2\n");
  EXPECT_EQ(PollTexts(t), (V{"a2", "b1"}));
}

TEST_F(TailerTest, RotationByRenameFinishesTheOldFileFirst) {
  const std::string log = Path("app.log");
  FileTailer t(Options(log));
  ASSERT_TRUE(t.Open().ok());
  Append(log, "old1\n");
  EXPECT_EQ(PollTexts(t), (V{"old1"}));
  Append(log, "old2\nold-partial");  // written just before the rename, never finished
  fs::rename(log, Path("app.log.1"));
  Append(log, "new1\n");
  auto b = t.Poll();
  ASSERT_TRUE(b);
  EXPECT_EQ(Texts(*b), (V{"old2", "old-partial", "new1"}));
  EXPECT_EQ(b->lines[0].source, log);
  ASSERT_EQ(b->checkpoint.files.size(), 1u);  // the finished old file is forgotten
}

TEST_F(TailerTest, LargeRotatedFileIsFinishedOverSeveralPollsAcrossARestart) {
  const std::string log = Path("app.log");
  TailOptions o = Options(log);
  o.max_bytes_per_poll = 10;  // a few lines per poll
  V expected, got;
  {
    FileTailer t(o);
    ASSERT_TRUE(t.Open().ok());
    for (int i = 0; i < 20; ++i) {
      Append(log, "old" + std::to_string(i) + "\n");
      expected.push_back("old" + std::to_string(i));
    }
    for (int i = 0; i < 4; ++i) {
      if (i == 1) {
        fs::rename(log, Path("app.log.1"));
        Append(log, "new\n");
      }
      auto b = t.Poll();
      ASSERT_TRUE(b);
      for (auto& l : Texts(*b)) got.push_back(l);
      ASSERT_TRUE(t.Commit(*b).ok());
    }
    EXPECT_LT(got.size(), 20u);  // still in the old file when the process stops
  }
  expected.push_back("new");
  FileTailer t(o);
  ASSERT_TRUE(t.Open().ok());
  for (int i = 0; i < 40; ++i) {
    for (auto& l : PollTexts(t)) got.push_back(l);
  }
  EXPECT_EQ(got, expected);
}

TEST_F(TailerTest, GlobMatchingRotatedNamesDoesNotReadThemTwice) {
  const std::string log = Path("app.log");
  FileTailer t(Options(Path("app.log*")));
  ASSERT_TRUE(t.Open().ok());
  Append(log, "1\n");
  EXPECT_EQ(PollTexts(t), (V{"1"}));
  fs::rename(log, Path("app.log.1"));
  Append(Path("app.log.1"), "2\n");  // the old writer still had it open
  Append(log, "3\n");
  // Both files match, so this is no rotation to the tailer: each file is followed on its own
  // (lines of different files are in path order within a poll), none read again.
  EXPECT_EQ(PollTexts(t), (V{"3", "2"}));
  EXPECT_EQ(PollTexts(t), V{});
}

TEST_F(TailerTest, CopyTruncateStartsOver) {
  const std::string log = Path("app.log");
  FileTailer t(Options(log));
  ASSERT_TRUE(t.Open().ok());
  Append(log, "before1\nbefore2\n");
  EXPECT_EQ(PollTexts(t), (V{"before1", "before2"}));
  fs::resize_file(log, 0);
  Append(log, "after\n");
  EXPECT_EQ(PollTexts(t), (V{"after"}));
  EXPECT_EQ(t.stats().restarts, 1u);
  // Truncated and refilled past the old offset between two polls: the changed first bytes
  // give it away.
  fs::resize_file(log, 0);
  Append(log, "AFTER-again-and-longer\n");
  EXPECT_EQ(PollTexts(t), (V{"AFTER-again-and-longer"}));
  EXPECT_EQ(t.stats().restarts, 2u);
}

TEST_F(TailerTest, RestartResumesAtTheCommittedLine) {
  const std::string log = Path("app.log");
  Append(log, "a\nb\n");
  {
    FileTailer t(Options(log));
    ASSERT_TRUE(t.Open().ok());
    auto b = t.Poll();
    ASSERT_TRUE(b);
    EXPECT_EQ(Texts(*b), (V{"a", "b"}));
    ASSERT_TRUE(t.Commit(*b, "note-1").ok());
    Append(log, "c\npart");
    EXPECT_EQ(PollTexts(t), (V{"c"}));  // taken but never committed: the process "dies"
  }
  Append(log, "ial\n");
  FileTailer t(Options(log));
  ASSERT_TRUE(t.Open().ok());
  EXPECT_EQ(t.consumer_note(), "note-1");
  EXPECT_EQ(PollTexts(t), (V{"c", "partial"}));
}

TEST_F(TailerTest, RestartAfterRotationWhileDown) {
  const std::string log = Path("app.log");
  Append(log, "1\n2\n");
  ReadAndCommitOnce(log);
  Append(log, "3\n4");  // the rest of the old file, last line unterminated
  fs::rename(log, Path("app.log.1"));
  Append(log, "5\n");
  FileTailer t(Options(log));
  ASSERT_TRUE(t.Open().ok());
  EXPECT_EQ(PollTexts(t), (V{"3", "4", "5"}));
}

TEST_F(TailerTest, RestartAfterTwoRotationsWhileDown) {
  const std::string log = Path("app.log");
  Append(log, "1\n");
  ReadAndCommitOnce(log);
  // logrotate twice while failsafe is down: app.log -> app.log.1 -> app.log.2.
  const auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(15)); };
  Append(log, "2\n");
  pause();
  fs::rename(log, Path("app.log.1"));
  Append(log, "3\n");
  pause();
  fs::rename(Path("app.log.1"), Path("app.log.2"));
  fs::rename(log, Path("app.log.1"));
  Append(log, "4\n");
  Append(Path("app.log.3.gz"), "compressed, not lines\n");
  FileTailer t(Options(log));
  ASSERT_TRUE(t.Open().ok());
  V got;
  for (int i = 0; i < 3; ++i) {
    for (auto& l : PollTexts(t)) got.push_back(l);
  }
  EXPECT_EQ(got, (V{"2", "3", "4"}));
}

TEST_F(TailerTest, SameInodeOtherContentIsReadFromTheStart) {
  const std::string log = Path("app.log");
  Append(log, "first version of the file\n");
  ReadAndCommitOnce(log);
  {
    std::fstream f(log, std::ios::in | std::ios::out | std::ios::binary);  // same inode
    f << "SECOND version, longer than the first\n";
  }
  FileTailer t(Options(log));
  ASSERT_TRUE(t.Open().ok());
  EXPECT_EQ(PollTexts(t), (V{"SECOND version, longer than the first"}));
}

TEST_F(TailerTest, LongLinesAndBinaryJunkAreCutRepairedAndCounted) {
  const std::string log = Path("app.log");
  TailOptions o = Options(log);
  o.max_line_bytes = 8;
  FileTailer t(o);
  ASSERT_TRUE(t.Open().ok());
  Append(log, std::string(20, 'x'));
  EXPECT_EQ(PollTexts(t), (V{"xxxxxxxx"}));
  auto b = t.Poll();
  ASSERT_TRUE(b && t.Commit(*b).ok());  // committed in the middle of the skipped rest
  Append(log, std::string(5, 'x') + "\n\x01\xFF\xFEok\n");
  FileTailer again(o);  // a restart does not emit the cut line a second time
  ASSERT_TRUE(again.Open().ok());
  EXPECT_EQ(PollTexts(again), (V{"\x01\xEF\xBF\xBD\xEF\xBF\xBDok"}));
  EXPECT_EQ(t.stats().truncated, 1u);
  EXPECT_EQ(again.stats().invalid_utf8, 1u);
}

TEST_F(TailerTest, StartAtEndSkipsExistingContentOnly) {
  const std::string log = Path("app.log");
  Append(log, "history\n");
  TailOptions o = Options(log);
  o.start_at_end = true;
  FileTailer t(o);
  ASSERT_TRUE(t.Open().ok());
  EXPECT_EQ(PollTexts(t), V{});
  Append(log, "fresh\n");
  Append(Path("other.log"), "unrelated\n");
  EXPECT_EQ(PollTexts(t), (V{"fresh"}));
}

TEST_F(TailerTest, DamagedStateIsAnErrorNotAFreshStart) {
  Append(Path("state.json"), R"({"version":1,"files":[{"path":"x","dev":"1","ino":"two"}]})");
  FileTailer t(Options(Path("app.log")));
  Status s = t.Open();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.field(), "files[0].ino") << s.ToString();
}

TEST(TailCheckpoint, RoundTrips) {
  TailCheckpoint cp;
  cp.files.push_back({"/var/log/a b.log", 2049, 1234567890123ULL, 42, true, 1024, UINT64_MAX});
  cp.consumer_note = "out=17";
  auto back = DecodeCheckpoint(EncodeCheckpoint(cp));
  ASSERT_TRUE(back) << back.error().ToString();
  ASSERT_EQ(back->files.size(), 1u);
  EXPECT_EQ(back->files[0].path, "/var/log/a b.log");
  EXPECT_EQ(back->files[0].ino, 1234567890123ULL);
  EXPECT_EQ(back->files[0].offset, 42u);
  EXPECT_TRUE(back->files[0].skipping);
  EXPECT_EQ(back->files[0].head_hash, UINT64_MAX);
  EXPECT_EQ(back->consumer_note, "out=17");
}

}  // namespace
}  // namespace failsafe::watch
