// The engine end to end on real files in a temp directory and an in-memory repository:
// backup, restore byte for byte with metadata, a no-change backup that reads nothing, a
// changed file, check (structure and --read-data) naming damaged files, forget, ls, diff.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "backup/archive/test_util.h"
#include "backup/backend/mem_backend.h"
#include "backup/ops/backup_run.h"
#include "backup/ops/check.h"
#include "backup/ops/forget.h"
#include "backup/ops/inspect.h"
#include "backup/ops/prune.h"
#include "backup/ops/restore.h"
#include "backup/repo/test_util.h"

namespace failsafe::backup {
namespace {

namespace fs = std::filesystem;
using archive::testing::ReadWhole;
using archive::testing::WriteFile;

std::string RandomText(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, ' ');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = repo_testing::InitRepo(mem_);
    ASSERT_TRUE(repo_);
    src_ = (fs::path(tmp_.path()) / "src").string();
    fs::create_directories(src_ + "/docs/deep");
    WriteFile(src_ + "/docs/a.txt", "hello failsafe\n");
    WriteFile(src_ + "/docs/empty", "");
    WriteFile(src_ + "/docs/deep/big.bin", RandomText(200000, 1));   // many 4 KiB-avg chunks
    WriteFile(src_ + "/docs/deep/copy.bin", RandomText(200000, 1));  // deduplicated
    WriteFile(src_ + std::string("/na\xefve-\xff.txt"), "latin-1 name");
    ::symlink("docs/a.txt", (src_ + "/link").c_str());
    ::link((src_ + "/docs/a.txt").c_str(), (src_ + "/hard").c_str());
    ::chmod((src_ + "/docs/a.txt").c_str(), 0640);
    // Sparse: 1 MiB hole, 4 KiB of data, another hole to 3 MiB.
    int fd = ::open((src_ + "/sparse.img").c_str(), O_CREAT | O_WRONLY, 0600);
    std::string data = RandomText(4096, 2);
    ASSERT_EQ(::pwrite(fd, data.data(), data.size(), 1 << 20), 4096);
    ASSERT_EQ(::ftruncate(fd, 3 << 20), 0);
    ::close(fd);
    xattrs_ = ::setxattr((src_ + "/docs/a.txt").c_str(), "user.owner", "ops", 3, 0) == 0;
  }

  BackupResult Backup(bool full = false) {
    BackupOptions o;
    o.paths = {src_};
    o.full = full;
    o.host = "test-host";
    auto r = RunBackup(*repo_, o);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r ? std::move(*r) : BackupResult{};
  }

  std::string Restore(const Snapshot& s, std::vector<std::string> includes = {}) {
    std::string target =
        (fs::path(tmp_.path()) / ("restore" + std::to_string(++restores_))).string();
    RestoreOptions o;
    o.target = target;
    o.includes = std::move(includes);
    o.verify = true;
    auto r = RunRestore(*repo_, s, o);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    if (r) {
      EXPECT_TRUE(r->errors.empty()) << r->errors.front();
    }
    return target + src_;  // paths are stored absolute
  }

  // The tree of the backed-up directory itself.
  BlobId SubtreeOf(const Snapshot& s) {
    BlobId id;
    Status walked =
        WalkSnapshotTree(*repo_, s.tree, src_, [&](const std::string& p, const Node& n) {
          if (p == src_) id = n.subtree;
        });
    EXPECT_TRUE(walked.ok());
    EXPECT_FALSE(id.IsZero());
    return id;
  }

  archive::testing::TempDir tmp_;
  MemBackend mem_;
  std::unique_ptr<Repository> repo_;
  std::string src_;
  bool xattrs_ = false;
  int restores_ = 0;
};

TEST_F(EngineTest, RestoresEveryByteAndTheMetadata) {
  auto first = Backup();
  EXPECT_EQ(first.snapshot.summary.files_new, 7u);
  EXPECT_TRUE(first.errors.empty());
  std::string out = Restore(first.snapshot);
  for (std::string f : {"/docs/a.txt", "/docs/empty", "/docs/deep/big.bin", "/docs/deep/copy.bin",
                        "/na\xefve-\xff.txt", "/sparse.img", "/hard"})
    EXPECT_EQ(ReadWhole(out + f), ReadWhole(src_ + f)) << f;
  struct stat st {};
  ASSERT_EQ(::lstat((out + "/docs/a.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  struct stat orig {};
  ::lstat((src_ + "/docs/a.txt").c_str(), &orig);
  EXPECT_EQ(st.st_mtim.tv_nsec, orig.st_mtim.tv_nsec);
  EXPECT_EQ(st.st_nlink, 2u);  // /hard is a hard link again
  char target[64] = {};
  ASSERT_GT(::readlink((out + "/link").c_str(), target, sizeof target), 0);
  EXPECT_STREQ(target, "docs/a.txt");
  struct stat sparse {};
  ::stat((out + "/sparse.img").c_str(), &sparse);
  EXPECT_EQ(sparse.st_size, 3 << 20);
  EXPECT_LT(sparse.st_blocks * 512, 1 << 20) << "holes were written out";
  if (xattrs_) {
    char value[8] = {};
    EXPECT_EQ(::getxattr((out + "/docs/a.txt").c_str(), "user.owner", value, sizeof value), 3);
  }
}

TEST_F(EngineTest, ANoChangeBackupReadsNothingAndAChangeIsSeen) {
  auto first = Backup();
  auto second = Backup();
  EXPECT_EQ(second.snapshot.summary.files_unmodified, 7u);
  EXPECT_EQ(second.snapshot.summary.bytes_read, 0u);
  // Only the trees of the ancestors (the temp dir moves as other tests use it) are new.
  EXPECT_LT(second.snapshot.summary.data_added, 4096u);
  EXPECT_EQ(SubtreeOf(second.snapshot), SubtreeOf(first.snapshot));
  EXPECT_EQ(second.snapshot.parent, first.snapshot_id);

  WriteFile(src_ + "/docs/a.txt", "changed\n");
  auto third = Backup();
  EXPECT_EQ(third.snapshot.summary.files_changed, 2u);  // a.txt and its hard link /hard
  EXPECT_EQ(ReadWhole(Restore(third.snapshot) + "/docs/a.txt"), "changed\n");

  auto full = Backup(/*full=*/true);
  EXPECT_EQ(full.snapshot.summary.files_unmodified, 0u);
  EXPECT_EQ(SubtreeOf(full.snapshot), SubtreeOf(third.snapshot));

  std::vector<std::string> changes;
  auto stats = DiffTrees(*repo_, first.snapshot.tree, third.snapshot.tree, [&](const Change& c) {
    changes.push_back(std::string(1, ChangeSymbol(c.kind)) + " " + c.path);
  });
  ASSERT_TRUE(stats.has_value());
  EXPECT_NE(std::find(changes.begin(), changes.end(), "M " + src_ + "/docs/a.txt"), changes.end());
}

// What `backup run` does: the index without data blob locations (a backup never reads data).
TEST_F(EngineTest, ABackupWithTheIndexLoadedWithoutDataLocations) {
  auto first = Backup();
  auto presence = Repository::Open(mem_.NewView(), repo_testing::Password("secret"));
  ASSERT_TRUE(presence);
  ASSERT_TRUE((*presence)->LoadIndex({}, Repository::IndexDetail::kDataPresence).ok());
  WriteFile(src_ + "/docs/a.txt", "changed again\n");
  BackupOptions o;
  o.paths = {src_};
  o.host = "test-host";
  auto second = RunBackup(**presence, o);
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_EQ(second->snapshot.parent, first.snapshot_id);  // the parent's trees were read
  EXPECT_EQ(second->snapshot.summary.files_changed, 2u);
  EXPECT_EQ(second->snapshot.summary.bytes_read, 2 * std::string("changed again\n").size());
  EXPECT_LT(second->snapshot.summary.data_added, 4096u);  // big.bin and the rest deduplicated
  repo_ = repo_testing::OpenRepo(mem_);
  const std::string out = Restore(second->snapshot);
  for (std::string f : {"/docs/a.txt", "/docs/deep/big.bin", "/sparse.img"})
    EXPECT_EQ(ReadWhole(out + f), ReadWhole(src_ + f)) << f;
}

// Directories are listed by several threads; the trees must not depend on how many, and a
// directory that cannot be read is still reported from whichever thread met it.
TEST_F(EngineTest, TreesAreTheSameWithOneOrManyWalkers) {
  for (int i = 0; i < 40; ++i) {
    const std::string dir = src_ + "/many/d" + std::to_string(i % 7) + "/e" + std::to_string(i);
    fs::create_directories(dir);
    WriteFile(dir + "/f", RandomText(100 + i, 10 + i));
  }
  fs::create_directories(src_ + "/many/locked/inner");
  ::chmod((src_ + "/many/locked").c_str(), 0);
  std::vector<BlobId> trees;
  for (int walkers : {1, 8, 3}) {
    BackupOptions o;
    o.paths = {src_};
    o.full = true;  // read everything each time, so only the walk differs
    o.host = "test-host";
    o.walkers = walkers;
    auto r = RunBackup(*repo_, o);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    trees.push_back(SubtreeOf(r->snapshot));
    EXPECT_EQ(r->snapshot.summary.total_files, 7u + 40) << walkers;
    if (::geteuid() != 0) {  // root reads the directory anyway
      ASSERT_EQ(r->errors.size(), 1u) << walkers;
      EXPECT_NE(r->errors[0].find("/many/locked"), std::string::npos) << r->errors[0];
    }
  }
  ::chmod((src_ + "/many/locked").c_str(), 0755);
  EXPECT_EQ(trees[0], trees[1]);
  EXPECT_EQ(trees[0], trees[2]);
}

TEST_F(EngineTest, IncludeRestoresOnlyThatPath) {
  auto first = Backup();
  std::string out = Restore(first.snapshot, {src_ + "/docs/deep"});
  EXPECT_TRUE(fs::exists(out + "/docs/deep/big.bin"));
  EXPECT_FALSE(fs::exists(out + "/docs/a.txt"));
  std::vector<std::string> listed;
  ASSERT_TRUE(WalkSnapshotTree(*repo_, first.snapshot.tree, src_ + "/docs",
                               [&](const std::string& p, const Node&) { listed.push_back(p); })
                  .ok());
  EXPECT_EQ(listed.size(), 6u);  // docs, a.txt, deep, big.bin, copy.bin, empty
}

TEST_F(EngineTest, CheckPassesThenNamesTheFilesOfADamagedPack) {
  auto first = Backup();
  CheckOptions o;
  o.read_data = true;
  auto clean = RunCheck(*repo_, o);
  ASSERT_TRUE(clean.has_value()) << clean.error().ToString();
  EXPECT_TRUE(clean->ok()) << clean->errors.front();
  EXPECT_GT(clean->blobs_verified, 10u);

  // Flip one byte in every data pack: the first blob of each is damaged.
  auto tree_pack = repo_->Lookup(BlobType::kTree, first.snapshot.tree);
  ASSERT_TRUE(tree_pack.has_value());
  auto packs = mem_.List(FileType::kPack);
  ASSERT_TRUE(packs.has_value());
  for (const FileInfo& f : *packs)
    if (f.name != tree_pack->pack.Hex())
      mem_.Tamper(FileType::kPack, f.name, [](std::string& b) { b[10] ^= 1; });
  auto reopened = repo_testing::OpenRepo(mem_);
  auto damaged = RunCheck(*reopened, o);
  ASSERT_TRUE(damaged.has_value());
  ASSERT_FALSE(damaged->ok());
  bool names_a_file = false;
  for (const auto& e : damaged->errors)
    if (e.find("damaged pack") != std::string::npos && e.find(src_) != std::string::npos)
      names_a_file = true;
  std::string all;
  for (const auto& e : damaged->errors) all += e + "\n";
  EXPECT_TRUE(names_a_file) << all;

  // A damaged tree pack: the snapshot is named, and nothing crashes below it.
  mem_.Tamper(FileType::kPack, tree_pack->pack.Hex(), [](std::string& b) { b[10] ^= 1; });
  auto no_tree = RunCheck(*repo_testing::OpenRepo(mem_), o);
  ASSERT_TRUE(no_tree.has_value());
  bool names_snapshot = false;
  for (const auto& e : no_tree->errors)
    if (e.rfind("snapshot " + first.snapshot_id.Hex().substr(0, 8), 0) == 0) names_snapshot = true;
  EXPECT_TRUE(names_snapshot);
}

// Without --read-data: a missing and a truncated data pack are named, and so are the files
// whose chunks they hold (check then loads blob locations to tell which pack a chunk is in).
TEST_F(EngineTest, StructureCheckNamesMissingAndTruncatedPacksAndTheirFiles) {
  auto first = Backup();
  auto clean = RunCheck(*repo_testing::OpenRepo(mem_), CheckOptions{});
  ASSERT_TRUE(clean.has_value()) << clean.error().ToString();
  EXPECT_TRUE(clean->ok()) << clean->errors.front();
  auto tree_pack = repo_->Lookup(BlobType::kTree, first.snapshot.tree);
  ASSERT_TRUE(tree_pack.has_value());
  std::vector<std::string> data_packs;
  auto listed = mem_.List(FileType::kPack);
  ASSERT_TRUE(listed.has_value());
  for (const FileInfo& f : *listed)
    if (f.name != tree_pack->pack.Hex()) data_packs.push_back(f.name);
  ASSERT_GE(data_packs.size(), 2u);
  ASSERT_TRUE(mem_.Remove(FileType::kPack, data_packs[0]).ok());
  mem_.Tamper(FileType::kPack, data_packs[1], [](std::string& b) { b.pop_back(); });
  auto damaged = RunCheck(*repo_testing::OpenRepo(mem_), CheckOptions{});
  ASSERT_TRUE(damaged.has_value());
  std::string all;
  for (const auto& e : damaged->errors) all += e + "\n";
  EXPECT_NE(all.find("pack " + data_packs[0] + " is missing"), std::string::npos) << all;
  EXPECT_NE(all.find("pack " + data_packs[1] + " has "), std::string::npos) << all;
  EXPECT_NE(all.find("(truncated or changed)"), std::string::npos) << all;
  EXPECT_NE(all.find("chunks are in damaged packs"), std::string::npos) << all;
}

TEST_F(EngineTest, ForgetKeepsTheNewestAndCheckStaysClean) {
  Backup();
  WriteFile(src_ + "/docs/a.txt", "v2");
  Backup();
  ForgetOptions o;
  o.policy.last = 1;
  auto groups = RunForget(*repo_, o);
  ASSERT_TRUE(groups.has_value()) << groups.error().ToString();
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].remove.size(), 1u);
  EXPECT_EQ(repo_->ListSnapshots()->size(), 1u);
  auto check = RunCheck(*repo_, CheckOptions{});
  ASSERT_TRUE(check.has_value());
  EXPECT_TRUE(check->ok());

  // Prune: the forgotten snapshot's own data goes, the kept one still restores and checks.
  size_t packs_before = mem_.List(FileType::kPack)->size();
  auto pruned = RunPrune(*repo_, PruneOptions{});
  ASSERT_TRUE(pruned.has_value()) << pruned.error().ToString();
  EXPECT_GT(pruned->bytes_freed, 0u);
  EXPECT_GT(pruned->blobs_unused, 0u);
  auto reopened = repo_testing::OpenRepo(mem_);
  CheckOptions read_all;
  read_all.read_data = true;
  auto after = RunCheck(*reopened, read_all);
  ASSERT_TRUE(after.has_value());
  EXPECT_TRUE(after->ok()) << after->errors.front();
  EXPECT_TRUE(after->warnings.empty()) << after->warnings.front();
  EXPECT_LE(mem_.List(FileType::kPack)->size(), packs_before);
  repo_ = std::move(reopened);
  ASSERT_TRUE(repo_->LoadIndex().ok());
  auto latest = ResolveSnapshot(*repo_, "latest");
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(ReadWhole(Restore(latest->second) + "/docs/a.txt"), "v2");
}

}  // namespace
}  // namespace failsafe::backup
