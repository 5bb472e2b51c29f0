// backup copy between two in-memory repositories: with different keys (ids and trees
// rewritten) and with shared keys (`init --from-repo`), restored byte for byte from the copy,
// incremental (a second copy copies nothing; new data only is read), and checked.
#include "backup/ops/copy.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "backup/archive/test_util.h"
#include "backup/backend/mem_backend.h"
#include "backup/ops/backup_run.h"
#include "backup/ops/check.h"
#include "backup/ops/restore.h"
#include "backup/repo/test_util.h"

namespace failsafe::backup {
namespace {

namespace fs = std::filesystem;
using archive::testing::ReadWhole;
using archive::testing::WriteFile;

class CopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    src_ = repo_testing::InitRepo(src_mem_);
    ASSERT_TRUE(src_);
    dir_ = tmp_.path() + "/data";
    fs::create_directories(dir_ + "/sub");
    WriteFile(dir_ + "/a.bin", repo_testing::RandomBlob(150000));
    WriteFile(dir_ + "/sub/b.txt", repo_testing::TextBlob(90000, 3));
    WriteFile(dir_ + "/sub/empty", "");
  }

  Id Backup() {
    BackupOptions o;
    o.paths = {dir_};
    o.host = "erp-01";
    auto r = RunBackup(*src_, o);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r ? r->snapshot_id : Id{};
  }

  std::unique_ptr<Repository> InitDst(MemBackend& mem, const Repository* from = nullptr) {
    InitOptions o = repo_testing::FastInit();
    o.from = from;
    auto repo = Repository::Init(mem.NewView(), repo_testing::Password("other"), o);
    EXPECT_TRUE(repo) << repo.error().ToString();
    return repo ? std::move(*repo) : nullptr;
  }

  CopyResult Copy(Repository& dst) {
    auto r = CopySnapshots(*src_, dst, CopyOptions{});
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r ? *r : CopyResult{};
  }

  // Restores the copy of `source_id` from `dst` and compares it with the directory.
  void ExpectRestoresFromCopy(Repository& dst, const Id& copy_id) {
    auto json = dst.LoadSnapshotJson(copy_id);
    ASSERT_TRUE(json.has_value());
    auto s = DecodeSnapshot(*json);
    ASSERT_TRUE(s.has_value());
    std::string target = tmp_.path() + "/restore" + std::to_string(++restores_);
    RestoreOptions o;
    o.target = target;
    o.verify = true;
    auto r = RunRestore(dst, *s, o);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ(ReadWhole(target + dir_ + "/a.bin"), ReadWhole(dir_ + "/a.bin"));
    EXPECT_EQ(ReadWhole(target + dir_ + "/sub/b.txt"), ReadWhole(dir_ + "/sub/b.txt"));
    EXPECT_TRUE(fs::exists(target + dir_ + "/sub/empty"));
    auto check = RunCheck(dst, CheckOptions{.read_data = true});
    ASSERT_TRUE(check.has_value());
    EXPECT_TRUE(check->ok()) << check->errors.front();
  }

  archive::testing::TempDir tmp_;
  MemBackend src_mem_;
  std::unique_ptr<Repository> src_;
  std::string dir_;
  int restores_ = 0;
};

TEST_F(CopyTest, DifferentKeysRewriteIdsAndRestoreByteForByte) {
  Id first = Backup();
  MemBackend dst_mem;
  auto dst = InitDst(dst_mem);
  CopyResult r = Copy(*dst);
  EXPECT_FALSE(r.same_keys);
  ASSERT_EQ(r.copied.size(), 1u);
  EXPECT_EQ(r.copied[0].source, first);
  EXPECT_GT(r.blobs_added, 3u);

  auto copy = DecodeSnapshot(*dst->LoadSnapshotJson(r.copied[0].copy));
  auto original = DecodeSnapshot(*src_->LoadSnapshotJson(first));
  ASSERT_TRUE(copy && original);
  ASSERT_TRUE(copy->copied_from.has_value());
  EXPECT_EQ(copy->copied_from->snapshot, first);
  EXPECT_EQ(copy->copied_from->repository, src_->config().id);
  EXPECT_NE(copy->tree, original->tree);  // re-identified under the other key
  EXPECT_EQ(copy->paths, original->paths);
  EXPECT_EQ(copy->host, "erp-01");
  ExpectRestoresFromCopy(*dst, r.copied[0].copy);

  // Again: nothing to copy.
  CopyResult again = Copy(*dst);
  EXPECT_TRUE(again.copied.empty());
  EXPECT_EQ(again.already_there, 1u);
  EXPECT_EQ(again.blobs_added, 0u);

  // A new snapshot with one new file: only the new file's data is read from the source,
  // and the copy's parent is the copy of the source's parent.
  WriteFile(dir_ + "/new.txt", repo_testing::TextBlob(20000, 9));
  Id second = Backup();
  CopyResult third = Copy(*dst);
  ASSERT_EQ(third.copied.size(), 1u);
  EXPECT_EQ(third.copied[0].source, second);
  EXPECT_LE(third.bytes_read, 20000u);
  auto second_copy = DecodeSnapshot(*dst->LoadSnapshotJson(third.copied[0].copy));
  ASSERT_TRUE(second_copy.has_value());
  EXPECT_EQ(second_copy->parent, r.copied[0].copy);
  ExpectRestoresFromCopy(*dst, third.copied[0].copy);
}

TEST_F(CopyTest, SharedKeysKeepIdsAndOnlyReencrypt) {
  Id first = Backup();
  MemBackend dst_mem;
  auto dst = InitDst(dst_mem, src_.get());
  CopyResult r = Copy(*dst);
  EXPECT_TRUE(r.same_keys);
  ASSERT_EQ(r.copied.size(), 1u);
  auto copy = DecodeSnapshot(*dst->LoadSnapshotJson(r.copied[0].copy));
  auto original = DecodeSnapshot(*src_->LoadSnapshotJson(first));
  EXPECT_EQ(copy->tree, original->tree);
  ExpectRestoresFromCopy(*dst, r.copied[0].copy);
}

TEST_F(CopyTest, ChosenSnapshotsOnlyAndNotIntoItself) {
  Id first = Backup();
  WriteFile(dir_ + "/x", "x");
  Backup();
  MemBackend dst_mem;
  auto dst = InitDst(dst_mem);
  CopyOptions only_first;
  only_first.snapshots = {first};
  auto r = CopySnapshots(*src_, *dst, only_first);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  ASSERT_EQ(r->copied.size(), 1u);
  EXPECT_EQ(r->copied[0].source, first);
  EXPECT_EQ(dst->ListSnapshots()->size(), 1u);

  auto self = CopySnapshots(*src_, *src_, CopyOptions{});
  ASSERT_FALSE(self.has_value());
  EXPECT_NE(self.error().ToString().find("same repository"), std::string::npos);
}

}  // namespace
}  // namespace failsafe::backup
