#pragma once
// ChunkRing: the memory that holds a backup's chunks between the reader that read them and the
// worker that saves them. One region, allocated once, used as a ring: readers take space at
// the head (waiting while it is full), workers give it back in any order, and space is reused
// once everything taken before it is back. Memory is bounded by the region alone, and the
// allocator never sees the chunks: with an allocation per chunk, jemalloc kept up to 50 MB of
// freed chunk memory resident, a quarter of a backup's peak (bench/RESULTS.md, issue 6).
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace failsafe::backup {

class ChunkRing {
 public:
  // Space taken from the ring; `ticket` gives it back.
  struct Span {
    char* data = nullptr;
    size_t size = 0;
    uint64_t ticket = 0;
  };

  explicit ChunkRing(size_t capacity);
  ChunkRing(const ChunkRing&) = delete;
  ChunkRing& operator=(const ChunkRing&) = delete;

  size_t capacity() const { return capacity_; }

  // `n` contiguous bytes; blocks until they are free. nullopt when the ring was closed, or
  // when `n` is over the capacity (nothing that large can ever fit).
  std::optional<Span> Take(size_t n);
  // Gives back the shorter head of a span (a read that found less than it took room for): the
  // rest is free at once when `span` is the newest taken, else when `span` is given back.
  void Shrink(Span& span, size_t size);
  // Gives a span back. Every span taken is given back exactly once.
  void Give(const Span& span);
  // Wakes and fails every waiting and later Take.
  void Close();

  // Bytes from the oldest span not reclaimed to the end of the newest (with what a wrap left
  // unused at the end), for tests.
  size_t in_use() const;

 private:
  struct Slot {
    size_t offset;
    size_t size;
    bool given;
  };
  // Where `n` bytes fit now, if they do (called with mu_ held).
  std::optional<size_t> FitLocked(size_t n) const;
  size_t in_use_locked() const;

  const size_t capacity_;
  std::unique_ptr<char[]> region_;  // not value-initialised: pages are touched as used
  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::deque<Slot> slots_;     // spans taken and not yet reclaimed, oldest first
  uint64_t first_ticket_ = 0;  // the ticket of slots_.front()
  int waiting_ = 0;
  bool closed_ = false;
};

}  // namespace failsafe::backup
