#pragma once
// A blocking multi-producer, multi-consumer queue bounded by the total cost of what it holds
// (bytes for chunks, one per file for files): the pipeline's back-pressure, which is what keeps
// a backup's memory bounded however large the files are.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace failsafe::backup {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  // Blocks while the queue is full. An item costing more than the capacity is still taken
  // when the queue is empty, so nothing is too large to pass. False if the queue was closed.
  bool Push(T item, size_t cost = 1) {
    std::unique_lock lock(mu_);
    ++producers_waiting_;
    not_full_.wait(lock, [&] { return closed_ || used_ == 0 || used_ + cost <= capacity_; });
    --producers_waiting_;
    if (closed_) return false;
    used_ += cost;
    items_.emplace_back(std::move(item), cost);
    not_empty_.notify_one();
    return true;
  }

  // Blocks until an item arrives; nullopt once the queue is closed and drained.
  std::optional<T> Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    auto [item, cost] = std::move(items_.front());
    items_.pop_front();
    used_ -= cost;
    // Waiting producers are woken once the queue is half empty, not at every item taken: the
    // backup's eight directory walkers wait here, and waking all of them for every file cost
    // a tenth of a backup's CPU time in futex calls and context switches.
    if (producers_waiting_ > 0 && used_ <= capacity_ / 2) not_full_.notify_all();
    return std::move(item);
  }

  // No more pushes; consumers drain what is left, then get nullopt.
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::pair<T, size_t>> items_;
  size_t capacity_;
  size_t used_ = 0;
  int producers_waiting_ = 0;
  bool closed_ = false;
};

}  // namespace failsafe::backup
