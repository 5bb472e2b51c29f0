#pragma once
// The samples of one series in the memory store: sealed chunks, the head chunk samples are
// appended to, and decode points into the newest chunks, so that rules reading the last
// minutes of 100,000 series decode about those minutes rather than whole chunks
// (bench/rules/README.md). Not thread-safe: the store guards it with its shard's lock.
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "watch/metrics/xor_chunk.h"

namespace failsafe::watch {

class SeriesChunks {
 public:
  // A decode point every this many samples of a chunk (at 32, 64, 96 of a 120-sample chunk).
  static constexpr int kPointEvery = 32;
  // How many points are kept, the newest overwriting the oldest: with 2, any window of up to
  // 32 samples (8 minutes at 15 s) starts decoding at most 32 samples before its first one,
  // for 64 bytes a series (+2 % RSS for 100,000 series x 6 h, bench/metrics/README.md).
  static constexpr int kPoints = 2;

  // Appends a sample newer than newest_t(): seals the head when it holds samples_per_chunk
  // samples and then drops sealed chunks wholly older than retention_cutoff_ms.
  void Append(Sample sample, int samples_per_chunk, int64_t retention_cutoff_ms);
  // Drops sealed chunks whose newest sample is older than cutoff_ms.
  void DropChunksBefore(int64_t cutoff_ms);

  // Appends the samples with start_ms <= t <= end_ms onto `out`, oldest first; with
  // newest_only just the newest of them.
  void Read(int64_t start_ms, int64_t end_ms, bool newest_only, std::vector<Sample>* out) const;

  // Asks the CPU to fetch what Read will touch first (the newest chunks' bytes), for readers
  // going through many series.
  void Prefetch() const;

  int64_t newest_t() const {
    return head_.count() > 0 ? head_.max_t() : std::numeric_limits<int64_t>::min();
  }
  size_t chunk_count() const { return sealed_.size() + (head_.count() > 0 ? 1 : 0); }
  size_t chunk_bytes() const;

 private:
  // The best point to start reading chunk `seq` (whose first sample is at min_t) for a window
  // starting at start_ms: the newest at or before start_ms, or null (from the chunk's start).
  const DecodePoint* PointFor(uint16_t seq, int64_t min_t, int64_t start_ms) const;
  // The sequence number of sealed_[i]; the head's is head_seq_.
  uint16_t SealedSeq(size_t i) const {
    return static_cast<uint16_t>(head_seq_ - (sealed_.size() - i));
  }

  std::vector<SealedChunk> sealed_;  // oldest first
  XorChunk head_;
  // Points of the newest chunks, each tagged with its chunk's sequence number. The number
  // wraps, harmlessly: a chunk of 33 or more samples makes a point, so a kept point is at most
  // two chunks old, and chunks of 32 or fewer make none.
  std::array<DecodePoint, kPoints> points_{};
  std::array<uint16_t, kPoints> point_seq_{};
  uint16_t head_seq_ = 0;
  uint8_t next_point_ = 0;
};

}  // namespace failsafe::watch
