#include "backup/archive/background_counter.h"

namespace failsafe::backup::archive {
namespace {

WalkOptions CountingOptions(WalkOptions options) {
  options.statx_mask = STATX_TYPE | STATX_SIZE;
  return options;
}

}  // namespace

BackgroundCounter::BackgroundCounter(std::vector<std::string> roots, WalkOptions options,
                                     int threads, size_t max_queued)
    : options_(CountingOptions(options)), walker_(options_), pool_(threads, max_queued) {
  Start(std::move(roots));
}

BackgroundCounter::BackgroundCounter(std::vector<std::string> roots, ExcludeSet excludes,
                                     bool one_file_system, int threads)
    : own_excludes_(std::move(excludes)),
      options_(CountingOptions(WalkOptions{&own_excludes_, one_file_system, 0})),
      walker_(options_),
      pool_(threads, kMaxQueued) {
  Start(std::move(roots));
}

BackgroundCounter::~BackgroundCounter() {
  stop_.store(true, std::memory_order_relaxed);
  Wait();
}

void BackgroundCounter::Wait() {
  if (waiter_.joinable()) waiter_.join();
}

void BackgroundCounter::Start(std::vector<std::string> roots) {
  for (const std::string& root : roots) {
    Result<Entry> e = walker_.StatRoot(root);
    if (!e) continue;
    if (e->is_regular()) {
      files_.fetch_add(1, std::memory_order_relaxed);
      bytes_.fetch_add(e->st.stx_size, std::memory_order_relaxed);
    } else if (e->is_dir()) {
      pool_.Post([this, root, device = e->device()] { Count(root, device); });
    }
  }
  waiter_ = std::thread([this] {
    pool_.Wait();
    done_.store(true, std::memory_order_release);
  });
}

void BackgroundCounter::Count(const std::string& path, uint64_t root_device) {
  if (stop_.load(std::memory_order_relaxed)) return;
  Result<UniqueFd> fd = walker_.OpenRootDir(path);
  if (!fd) return;  // the archiver reports what it cannot read
  const Listing listing = walker_.List(fd->get(), path);
  fd->Reset();
  dirs_.fetch_add(1, std::memory_order_relaxed);
  uint64_t files = 0, bytes = 0;
  std::vector<std::string> subdirs;
  for (const Entry& e : listing.entries) {
    if (e.is_regular()) {
      ++files;
      bytes += e.st.stx_size;
    } else if (walker_.ShouldDescend(e, root_device)) {
      subdirs.push_back(JoinPath(path, e.name));
    }
  }
  files_.fetch_add(files, std::memory_order_relaxed);
  bytes_.fetch_add(bytes, std::memory_order_relaxed);
  // Last first: the pool's stack then lists them in name order.
  for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it)
    pool_.Post([this, sub = std::move(*it), root_device] { Count(sub, root_device); });
}

}  // namespace failsafe::backup::archive
