#include "backup/ops/chunk_ring.h"

#include <algorithm>

namespace failsafe::backup {

ChunkRing::ChunkRing(size_t capacity)
    : capacity_(std::max<size_t>(capacity, 1)), region_(new char[capacity_]) {}

std::optional<size_t> ChunkRing::FitLocked(size_t n) const {
  if (slots_.empty()) return size_t{0};
  const size_t front = slots_.front().offset;
  const size_t end = slots_.back().offset + slots_.back().size;
  if (slots_.back().offset >= front) {
    // Not wrapped: in use is [front, end); free are [end, capacity) and [0, front).
    if (capacity_ - end >= n) return end;
    if (front >= n) return size_t{0};
    return std::nullopt;
  }
  // Wrapped: in use are [front, ...) and [0, end); free is [end, front).
  if (front - end >= n) return end;
  return std::nullopt;
}

std::optional<ChunkRing::Span> ChunkRing::Take(size_t n) {
  // An empty span still takes a byte, so that every slot has a size and a full ring is never
  // mistaken for an empty one.
  const size_t need = std::max<size_t>(n, 1);
  if (need > capacity_) return std::nullopt;
  std::unique_lock lock(mu_);
  std::optional<size_t> at;
  ++waiting_;
  freed_.wait(lock, [&] { return closed_ || (at = FitLocked(need)).has_value(); });
  --waiting_;
  if (closed_) return std::nullopt;
  slots_.push_back({*at, need, false});
  return Span{region_.get() + *at, n, first_ticket_ + slots_.size() - 1};
}

void ChunkRing::Shrink(Span& span, size_t size) {
  if (size >= span.size) return;
  span.size = size;
  std::lock_guard lock(mu_);
  slots_[span.ticket - first_ticket_].size = std::max<size_t>(size, 1);
}

void ChunkRing::Give(const Span& span) {
  std::lock_guard lock(mu_);
  slots_[span.ticket - first_ticket_].given = true;
  bool reclaimed = false;
  while (!slots_.empty() && slots_.front().given) {
    slots_.pop_front();
    ++first_ticket_;
    reclaimed = true;
  }
  // Waiting readers are woken only once a quarter of the ring is free (or all of it), not at
  // every chunk given back: waking them for every chunk cost more CPU than the reads.
  if (reclaimed && waiting_ > 0 && (slots_.empty() || in_use_locked() <= capacity_ / 4 * 3))
    freed_.notify_all();
}

void ChunkRing::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  freed_.notify_all();
}

size_t ChunkRing::in_use_locked() const {
  if (slots_.empty()) return 0;
  const size_t front = slots_.front().offset;
  const size_t end = slots_.back().offset + slots_.back().size;
  return slots_.back().offset >= front ? end - front : capacity_ - front + end;
}

size_t ChunkRing::in_use() const {
  std::lock_guard lock(mu_);
  return in_use_locked();
}

}  // namespace failsafe::backup
