// LocalBackend specifics: permissions, the temp files an interrupted save leaves, and kill -9
// in the middle of a large save. The behaviour every backend shares is checked by the
// conformance suite in tests/backup/.
#include "backup/backend/local_backend.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "backup/backend/scratch_dir.h"

namespace failsafe::backup {
namespace {

namespace fs = std::filesystem;

class LocalBackendTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(scratch_.path().empty()); }

  static unsigned ModeOf(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  }

  testing::ScratchDir scratch_;
  std::string root_ = scratch_.path() + "/repo";
};

const std::string kPack = "c3" + std::string(62, '7');

TEST_F(LocalBackendTest, CreateMakesPrivateDirectoriesAndFilesArePrivate) {
  LocalBackend b(root_);
  ASSERT_TRUE(b.Create().ok());
  EXPECT_EQ(ModeOf(root_), 0700u);
  for (const auto& d : LayoutDirectories()) EXPECT_EQ(ModeOf(root_ + "/" + d), 0700u) << d;
  ASSERT_TRUE(b.Save(FileType::kPack, kPack, "data").ok());
  EXPECT_EQ(ModeOf(root_ + "/data/c3/" + kPack), 0600u);
  EXPECT_EQ(b.Location(), root_);
  EXPECT_EQ(b.Media(), MediaKind::kLocalDisk);
}

TEST_F(LocalBackendTest, ListSkipsTempFilesAndStrangers) {
  LocalBackend b(root_);
  ASSERT_TRUE(b.Create().ok());
  std::ofstream(root_ + "/data/c3/." + kPack + ".tmp-0011") << "partial";
  std::ofstream(root_ + "/index/notes.txt") << "x";
  std::ofstream(root_ + "/data/c3/ab" + std::string(62, '1')) << "misplaced";
  fs::create_directory(root_ + "/index/subdir");
  ASSERT_TRUE(b.Save(FileType::kIndex, "ab12", "index").ok());
  auto packs = b.List(FileType::kPack);
  ASSERT_TRUE(packs) << packs.error().ToString();
  EXPECT_TRUE(packs->empty());
  auto index = b.List(FileType::kIndex);
  ASSERT_TRUE(index);
  ASSERT_EQ(index->size(), 1u);
  EXPECT_EQ((*index)[0].name, "ab12");
  EXPECT_EQ((*index)[0].size, 5u);
}

TEST_F(LocalBackendTest, MissingRepositoryIsNotFoundNamingThePath) {
  LocalBackend b(root_);
  auto r = b.Load(FileType::kConfig, "config");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.error().message().find(root_ + "/config"), std::string::npos);
}

// A 5 GiB sparse file (a foreign file, or a damaged size): refused, not read into memory.
TEST_F(LocalBackendTest, LoadRefusesMoreThanTheLimit) {
  LocalBackend b(root_);
  ASSERT_TRUE(b.Create().ok());
  const std::string path = root_ + "/data/c3/" + kPack;
  ASSERT_EQ(::truncate(path.c_str(), 0), -1);  // not there yet
  std::ofstream(path).close();
  ASSERT_EQ(::truncate(path.c_str(), off_t(5) << 30), 0);
  auto all = b.Load(FileType::kPack, kPack);
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().code(), ErrorCode::kFailedPrecondition) << all.error().ToString();
  EXPECT_NE(all.error().message().find(path), std::string::npos);
  auto part = b.Load(FileType::kPack, kPack, uint64_t(5) << 29, 16);
  ASSERT_TRUE(part) << part.error().ToString();
  EXPECT_EQ(*part, std::string(16, '\0'));
}

TEST_F(LocalBackendTest, LoadIntoReadsWholeFilesReusingTheBuffer) {
  LocalBackend b(root_);
  ASSERT_TRUE(b.Create().ok());
  const std::string big(3 << 20, 'b');
  const std::string other = "d4" + std::string(62, '1');
  ASSERT_TRUE(b.Save(FileType::kPack, kPack, big).ok());
  ASSERT_TRUE(b.Save(FileType::kPack, other, "small").ok());
  std::string buffer;
  ASSERT_TRUE(b.LoadInto(FileType::kPack, kPack, &buffer).ok());
  EXPECT_EQ(buffer, big);
  const char* storage = buffer.data();
  ASSERT_TRUE(b.LoadInto(FileType::kPack, other, &buffer).ok());
  EXPECT_EQ(buffer, "small");
  ASSERT_TRUE(b.LoadInto(FileType::kPack, kPack, &buffer).ok());
  EXPECT_EQ(buffer, big);
  EXPECT_EQ(buffer.data(), storage);  // the same allocation all along
  Status missing = b.LoadInto(FileType::kPack, "e5" + std::string(62, '2'), &buffer);
  EXPECT_EQ(missing.code(), ErrorCode::kNotFound) << missing.ToString();
}

// As root (CI, this VM) the check runs in a child that became "nobody": the repository is
// root's and 0700, so nobody may not write there.
TEST_F(LocalBackendTest, UnwritableDirectoryIsPermissionDenied) {
  LocalBackend b(root_);
  ASSERT_TRUE(b.Create().ok());
  if (::geteuid() != 0) {
    ::chmod((root_ + "/locks").c_str(), 0500);
    Status s = b.Save(FileType::kLock, "l1", "x");
    ::chmod((root_ + "/locks").c_str(), 0700);
    EXPECT_EQ(s.code(), ErrorCode::kPermissionDenied) << s.ToString();
    return;
  }
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(100);
    Status s = LocalBackend(root_).Save(FileType::kLock, "l1", "x");
    bool named = s.message().find(root_) != std::string::npos;
    ::_exit(s.code() == ErrorCode::kPermissionDenied && named ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the save as nobody was not PermissionDenied";
  EXPECT_EQ(b.Stat(FileType::kLock, "l1").error().code(), ErrorCode::kNotFound);
}

// A child saves a 256 MiB pack and is killed with SIGKILL while the temp file grows: the pack
// must not be visible, and the name must still be free for a later, whole save.
TEST_F(LocalBackendTest, KilledSaveLeavesNothingVisible) {
  LocalBackend b(root_);
  ASSERT_TRUE(b.Create().ok());
  const std::string dir = root_ + "/data/c3";
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::string big(256u << 20, 'x');
    LocalBackend(root_).Save(FileType::kPack, kPack, big);
    ::_exit(0);
  }
  bool saw_temp = false;
  for (int i = 0; i < 2000 && !saw_temp; ++i) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().filename().string().find(".tmp-") != std::string::npos &&
          fs::file_size(e.path()) > 0) {
        saw_temp = true;
      }
    }
    if (!saw_temp) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(saw_temp) << "the child never started writing";
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child finished before it was killed";

  auto packs = b.List(FileType::kPack);
  ASSERT_TRUE(packs);
  EXPECT_TRUE(packs->empty());
  EXPECT_EQ(b.Stat(FileType::kPack, kPack).error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(b.Save(FileType::kPack, kPack, "whole").ok());
  EXPECT_EQ(*b.Load(FileType::kPack, kPack), "whole");
}

}  // namespace
}  // namespace failsafe::backup
