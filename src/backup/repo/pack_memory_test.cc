// The repository's pack memory under a slow or failing disk: at most two packs per blob type
// (the open one and one being saved), so a backup waits for the disk rather than growing, and
// a disk that fails ends the backup with the error instead of leaving it waiting forever.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "backup/backend/forwarding_backend.h"
#include "backup/repo/repository.h"
#include "backup/repo/test_util.h"

namespace failsafe::backup {
namespace {

using namespace repo_testing;
using namespace std::chrono_literals;

// Forwards to a MemBackend; saving a pack waits while the gate is shut, and fails once told to.
class GatedBackend final : public ForwardingBackend {
 public:
  explicit GatedBackend(MemBackend& mem) : ForwardingBackend(mem) {}

  Status Save(FileType type, const std::string& name, std::string_view data) override {
    if (type == FileType::kPack) {
      std::unique_lock lock(mu_);
      ++pack_saves_started_;
      changed_.notify_all();
      changed_.wait(lock, [&] { return !shut_; });
      if (fail_) return Unavailable("no space left on device (test)");
    }
    return ForwardingBackend::Save(type, name, data);
  }

  void Shut(bool shut) {
    std::lock_guard lock(mu_);
    shut_ = shut;
    changed_.notify_all();
  }
  void FailPackSaves() {
    std::lock_guard lock(mu_);
    fail_ = true;
  }
  bool WaitForPackSaves(int n) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, 10s, [&] { return pack_saves_started_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool shut_ = false;
  bool fail_ = false;
  int pack_saves_started_ = 0;
};

std::unique_ptr<Repository> InitGated(MemBackend& mem, GatedBackend** gate) {
  auto backend = std::make_unique<GatedBackend>(mem);
  *gate = backend.get();
  // 4 KiB packs: every 5,000-byte random blob fills one.
  auto repo = Repository::Init(std::move(backend), Password("secret"), FastInit(4096));
  EXPECT_TRUE(repo) << repo.error().ToString();
  return repo ? std::move(*repo) : nullptr;
}

TEST(PackMemory, WorkersWaitWhileTwoPacksOfATypeAreOut) {
  MemBackend mem;
  GatedBackend* gate = nullptr;
  auto repo = InitGated(mem, &gate);
  ASSERT_TRUE(repo);
  gate->Shut(true);
  std::vector<std::string> blobs;
  for (int i = 0; i < 3; ++i) blobs.push_back(RandomBlob(5000));
  std::atomic<int> saved{0};
  std::thread worker([&] {
    for (const std::string& b : blobs) {
      auto r = repo->SaveBlob(BlobType::kData, repo->IdOf(b), b);
      EXPECT_TRUE(r) << r.error().ToString();
      ++saved;
    }
  });
  // The first pack is with the (stuck) saver; the second is full and has no buffer to hand
  // over to: its SaveBlob waits, where it used to queue a third pack in memory.
  ASSERT_TRUE(gate->WaitForPackSaves(1));
  for (int i = 0; i < 1000 && saved.load() < 1; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(saved.load(), 1);  // the first SaveBlob returned: its pack went to the saver
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(saved.load(), 1) << "the second SaveBlob did not wait for a pack buffer";
  gate->Shut(false);
  worker.join();
  EXPECT_EQ(saved.load(), 3);
  ASSERT_TRUE(repo->Flush().ok());
  auto again = OpenRepo(mem);
  ASSERT_TRUE(again);
  for (const std::string& b : blobs) {
    auto loaded = again->LoadBlob(BlobType::kData, again->IdOf(b));
    ASSERT_TRUE(loaded) << loaded.error().ToString();
    EXPECT_EQ(*loaded, b);
  }
}

TEST(PackMemory, AFailingDiskEndsTheBackupWithItsError) {
  MemBackend mem;
  GatedBackend* gate = nullptr;
  auto repo = InitGated(mem, &gate);
  ASSERT_TRUE(repo);
  gate->FailPackSaves();
  // Every pack save fails; the buffers must still come back, or the third SaveBlob would
  // wait for one forever.
  auto done = std::async(std::launch::async, [&] {
    for (int i = 0; i < 8; ++i) {
      const std::string b = RandomBlob(5000);
      (void)repo->SaveBlob(BlobType::kData, repo->IdOf(b), b);
    }
    return repo->Flush();
  });
  ASSERT_EQ(done.wait_for(10s), std::future_status::ready) << "the backup hung";
  Status flushed = done.get();
  EXPECT_FALSE(flushed.ok());
  EXPECT_NE(flushed.message().find("no space left on device"), std::string::npos)
      << flushed.ToString();
}

}  // namespace
}  // namespace failsafe::backup
