#pragma once
// BackgroundCounter: counts what a backup of some roots will read (regular files and their
// bytes, directories), for the progress ETA, in threads of its own started at construction.
// The totals grow as it goes and are final when done(); the destructor stops it early.
//
// It also warms the kernel's dentry and inode caches for the archiver's walk that follows:
// with a cold cache a walk is bound by the latency of one metadata read after another, so
// the counter lists directories with several threads (more than cores: they mostly wait
// on the disk), and the CLI starts it before the repository is opened, so its reads overlap
// the key derivation. The directories waiting to be listed are bounded (`kMaxQueued`, see
// WalkPool), so memory stays bounded however wide the tree is.
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "backup/archive/exclude.h"
#include "backup/archive/walk_pool.h"
#include "backup/archive/walker.h"

namespace failsafe::backup::archive {

class BackgroundCounter {
 public:
  static constexpr int kDefaultThreads = 8;
  static constexpr size_t kMaxQueued = 4096;

  // `options.excludes` must outlive the counter.
  BackgroundCounter(std::vector<std::string> roots, WalkOptions options,
                    int threads = kDefaultThreads, size_t max_queued = kMaxQueued);
  // Owns its exclude set: for a counter started before the backup itself.
  BackgroundCounter(std::vector<std::string> roots, ExcludeSet excludes, bool one_file_system,
                    int threads = kDefaultThreads);
  ~BackgroundCounter();
  BackgroundCounter(const BackgroundCounter&) = delete;
  BackgroundCounter& operator=(const BackgroundCounter&) = delete;

  uint64_t files() const { return files_.load(std::memory_order_relaxed); }
  uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  uint64_t dirs() const { return dirs_.load(std::memory_order_relaxed); }
  bool done() const { return done_.load(std::memory_order_acquire); }
  // The most directories that waited to be listed at once (for tests of the bound).
  size_t max_queued() const { return pool_.max_queued_seen(); }
  void Wait();

 private:
  void Start(std::vector<std::string> roots);
  void Count(const std::string& path, uint64_t root_device);

  ExcludeSet own_excludes_;
  WalkOptions options_;
  Walker walker_;
  std::atomic<uint64_t> files_{0}, bytes_{0}, dirs_{0};
  std::atomic<bool> stop_{false}, done_{false};
  std::thread waiter_;  // sets done_ when the pool is idle
  WalkPool pool_;       // last: destroyed (its threads joined) first
};

}  // namespace failsafe::backup::archive
