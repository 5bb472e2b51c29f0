#include "backup/archive/walk_pool.h"

#include <algorithm>

namespace failsafe::backup::archive {

WalkPool::WalkPool(int threads, size_t max_queued) : max_queued_(std::max<size_t>(1, max_queued)) {
  threads = std::max(1, threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WalkPool::~WalkPool() {
  Wait();
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  work_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WalkPool::Post(Task task) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() < max_queued_) {
      queue_.push_back(std::move(task));
      ++unfinished_;
      max_seen_ = std::max(max_seen_, queue_.size());
      work_.notify_one();
      return;
    }
  }
  task();  // full: the posting thread does it itself
}

void WalkPool::Wait() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return unfinished_ == 0; });
}

size_t WalkPool::max_queued_seen() const {
  std::lock_guard lock(mu_);
  return max_seen_;
}

void WalkPool::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (queue_.empty()) return;  // closing, and nothing left
    Task task = std::move(queue_.back());
    queue_.pop_back();
    lock.unlock();
    task();
    task = nullptr;  // what it captured goes before the walk can be seen as finished
    lock.lock();
    if (--unfinished_ == 0) idle_.notify_all();
  }
}

}  // namespace failsafe::backup::archive
