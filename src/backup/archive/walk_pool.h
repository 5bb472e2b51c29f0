#pragma once
// WalkPool: runs tasks that post more tasks (listing a directory posts its subdirectories)
// on a fixed set of threads, for walks bound by the latency of metadata reads: with a cold
// cache, several directories read at once finish many times sooner than one after another.
//
// Bounded: at most `max_queued` tasks wait. Past that, Post runs the task at once in the
// posting thread (depth first, as a sequential walk would), so a wide tree cannot grow the
// queue, or what queued tasks hold (listings, open directories), without bound, and a full
// queue never blocks a thread that the queue's own tasks wait for. The queue is a stack, so
// the walk stays mostly depth first and subtrees are finished (and freed) early.
//
// Tasks must not throw. Wait() returns once every task, including those posted by tasks,
// has finished; the destructor waits too.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace failsafe::backup::archive {

class WalkPool {
 public:
  using Task = std::function<void()>;

  WalkPool(int threads, size_t max_queued);
  ~WalkPool();
  WalkPool(const WalkPool&) = delete;
  WalkPool& operator=(const WalkPool&) = delete;

  void Post(Task task);
  void Wait();

  // The most tasks that waited at once (tests check the bound).
  size_t max_queued_seen() const;

 private:
  void Loop();

  const size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable work_, idle_;
  std::vector<Task> queue_;
  size_t unfinished_ = 0;  // queued or running
  size_t max_seen_ = 0;
  bool closing_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace failsafe::backup::archive
