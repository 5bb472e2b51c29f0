// One series' chunks and decode points (series_chunks.h).
#include "watch/metrics/series_chunks.h"

#include <algorithm>

namespace failsafe::watch {

void SeriesChunks::Append(Sample sample, int samples_per_chunk, int64_t retention_cutoff_ms) {
  if (head_.count() >= samples_per_chunk) {
    sealed_.push_back(head_.Seal());
    ++head_seq_;  // the head's points now belong to sealed_.back(), by the same number
    DropChunksBefore(retention_cutoff_ms);
  }
  head_.Append(sample);
  const int index = head_.count() - 1;
  if (index > 0 && index % kPointEvery == 0) {
    DecodePoint p;
    if (head_.PointAtNewest(&p)) {
      points_[next_point_] = p;
      point_seq_[next_point_] = head_seq_;
      next_point_ = static_cast<uint8_t>((next_point_ + 1) % kPoints);
    }
  }
}

void SeriesChunks::DropChunksBefore(int64_t cutoff_ms) {
  // Sequence numbers count back from the head, so the remaining chunks keep theirs.
  auto keep = std::find_if(sealed_.begin(), sealed_.end(),
                           [&](const SealedChunk& c) { return c.max_t >= cutoff_ms; });
  sealed_.erase(sealed_.begin(), keep);
}

const DecodePoint* SeriesChunks::PointFor(uint16_t seq, int64_t min_t, int64_t start_ms) const {
  const DecodePoint* best = nullptr;
  for (int i = 0; i < kPoints; ++i) {
    const DecodePoint& p = points_[i];
    if (p.index == 0 || point_seq_[i] != seq || p.t(min_t) > start_ms) continue;
    if (best == nullptr || p.index > best->index) best = &p;
  }
  return best;
}

void SeriesChunks::Read(int64_t start_ms, int64_t end_ms, bool newest_only,
                        std::vector<Sample>* out) const {
  if (start_ms > end_ms || newest_t() < start_ms) return;
  // The head holds the newest samples: when it ends inside the window its newest sample is
  // the answer, known without decoding anything.
  if (newest_only && head_.count() > 0 && head_.max_t() <= end_ms) {
    if (head_.max_t() >= start_ms) out->push_back(head_.Newest());
    return;
  }
  const size_t first = out->size();
  for (size_t i = 0; i < sealed_.size(); ++i) {
    const SealedChunk& c = sealed_[i];
    if (c.max_t < start_ms) continue;
    if (c.min_t > end_ms) break;
    c.Read(start_ms, end_ms, out, PointFor(SealedSeq(i), c.min_t, start_ms));
  }
  head_.Read(start_ms, end_ms, out, PointFor(head_seq_, head_.min_t(), start_ms));
  if (newest_only && out->size() > first + 1) {
    const Sample newest = out->back();
    out->resize(first);
    out->push_back(newest);
  }
}

void SeriesChunks::Prefetch() const {
  head_.Prefetch();
  if (!sealed_.empty()) __builtin_prefetch(&sealed_.back());
}

size_t SeriesChunks::chunk_bytes() const {
  size_t bytes = head_.MemoryBytes();
  for (const SealedChunk& c : sealed_) bytes += c.MemoryBytes();
  return bytes;
}

}  // namespace failsafe::watch
