#include "backup/archive/background_counter.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>

#include "backup/archive/test_util.h"

namespace failsafe::backup::archive {
namespace {

using testing::TempDir;
using testing::WriteFile;

TEST(BackgroundCounter, CountsRegularFilesAndBytes) {
  TempDir d;
  WriteFile(d / "a", std::string(1000, 'a'));
  ASSERT_EQ(::mkdir((d / "sub").c_str(), 0755), 0);
  WriteFile(d / "sub/b", std::string(234, 'b'));
  WriteFile(d / "sub/skip.tmp", std::string(5000, 'c'));
  ASSERT_EQ(::symlink("a", (d / "link").c_str()), 0);
  TempDir other;
  WriteFile(other / "single", std::string(10, 'x'));
  auto set = ExcludeSet::Parse({"*.tmp"});
  WalkOptions options;
  options.excludes = &*set;
  BackgroundCounter counter({d.path(), other / "single"}, options);
  counter.Wait();
  EXPECT_TRUE(counter.done());
  EXPECT_EQ(counter.files(), 3u);  // a, sub/b and the root that is a file
  EXPECT_EQ(counter.bytes(), 1000u + 234 + 10);
  EXPECT_EQ(counter.dirs(), 2u);
}

// A tree of `width` directories under the root, each holding `width` more, each of those a
// file of `file_bytes` bytes.
void MakeWideTree(const std::string& root, int width, size_t file_bytes) {
  for (int i = 0; i < width; ++i) {
    const std::string a = root + "/d" + std::to_string(i);
    ASSERT_EQ(::mkdir(a.c_str(), 0755), 0);
    for (int j = 0; j < width; ++j) {
      const std::string b = a + "/e" + std::to_string(j);
      ASSERT_EQ(::mkdir(b.c_str(), 0755), 0);
      WriteFile(b + "/f", std::string(file_bytes, 'f'));
    }
  }
}

TEST(BackgroundCounter, ManyThreadsCountEveryDirectoryOnce) {
  TempDir d;
  MakeWideTree(d.path(), 12, 7);
  for (int threads : {1, 3, 16}) {
    BackgroundCounter counter({d.path()}, WalkOptions{}, threads);
    counter.Wait();
    EXPECT_TRUE(counter.done());
    EXPECT_EQ(counter.dirs(), 1u + 12 + 144) << threads << " threads";
    EXPECT_EQ(counter.files(), 144u) << threads << " threads";
    EXPECT_EQ(counter.bytes(), 144u * 7) << threads << " threads";
  }
}

TEST(BackgroundCounter, QueueStaysWithinItsBoundOnAWideTree) {
  TempDir d;
  MakeWideTree(d.path(), 20, 1);
  BackgroundCounter counter({d.path()}, WalkOptions{}, 4, /*max_queued=*/5);
  counter.Wait();
  EXPECT_EQ(counter.dirs(), 1u + 20 + 400);  // past the bound, threads go deeper themselves
  EXPECT_EQ(counter.files(), 400u);
  EXPECT_LE(counter.max_queued(), 5u);
  EXPECT_GE(counter.max_queued(), 1u);
}

TEST(BackgroundCounter, OwnsItsExcludesAndSkipsUnreadableRoots) {
  TempDir d;
  MakeWideTree(d.path(), 3, 2);
  WriteFile(d / "d0/e0/g.log", "xx");
  BackgroundCounter counter({d.path(), d / "missing"}, *ExcludeSet::Parse({"*.log", "d2/"}), false);
  counter.Wait();
  EXPECT_EQ(counter.dirs(), 1u + 2 + 6);
  EXPECT_EQ(counter.files(), 6u);
}

TEST(BackgroundCounter, DestroyedEarlyStopsWithoutHanging) {
  TempDir d;
  MakeWideTree(d.path(), 15, 0);
  const auto start = std::chrono::steady_clock::now();
  uint64_t dirs = 0;
  for (int i = 0; i < 20; ++i) {
    BackgroundCounter counter({d.path()}, WalkOptions{}, 8);
    dirs = counter.dirs();
  }  // each destructor stops and joins its threads
  EXPECT_LE(dirs, 1u + 15 + 225);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

}  // namespace
}  // namespace failsafe::backup::archive
