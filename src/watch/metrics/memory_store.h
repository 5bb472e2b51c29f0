#pragma once
// The in-memory series store: recent samples of every series, compressed (xor_chunk.h), kept
// for a retention window, found through a postings index (label name -> value -> series).
// Thread-safe: series are spread over shards by fingerprint, each shard behind its own
// reader/writer lock, so scrape threads append while the rule evaluator and charts Select.
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "watch/metrics/series.h"

namespace failsafe::watch {

class LabelValueIndex;

struct MemoryStoreOptions {
  // How long samples are kept, measured back from the newest sample of each series; series
  // whose newest sample is older than this at Maintain(now) are dropped.
  int64_t retention_ms = 6 * 3600 * 1000;
  // Samples per compressed chunk: Prometheus's 120 (30 min at 15 s) balances the per-chunk
  // overhead against decoding work for short ranges.
  int samples_per_chunk = 120;
  // Refuses new series beyond this many (0: no cap), counting the refusals; a guard against
  // label explosions that get past the per-target caps.
  size_t max_series = 0;
  int shards = 64;
};

struct MemoryStoreStats {
  uint64_t series = 0;
  uint64_t samples_appended = 0;
  uint64_t out_of_order_dropped = 0;  // older than the series' newest sample
  uint64_t duplicate_dropped = 0;     // same timestamp as the newest sample
  uint64_t series_cap_dropped = 0;    // samples of new series refused by max_series
  uint64_t series_expired = 0;        // series dropped by Maintain
  uint64_t chunks = 0;
  uint64_t chunk_bytes = 0;  // compressed sample bytes, allocation slack included
};

class MemoryStore final : public SampleSink, public SeriesQuerier {
 public:
  explicit MemoryStore(MemoryStoreOptions options = {});
  ~MemoryStore() override;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  void Append(const Labels& labels, Sample sample) override;
  std::vector<SeriesSamples> Select(std::span<const LabelMatcher> matchers, int64_t start_ms,
                                    int64_t end_ms) const override;
  // Runs `visit` under each shard's read lock: appends to that shard wait until it returns.
  void Visit(std::span<const LabelMatcher> matchers, int64_t start_ms, int64_t end_ms,
             const SelectHints& hints, const SeriesVisitor& visit) const override;

  // Drops chunks and whole series older than the retention before `now_ms`. Call it now and
  // then (every minute or so); appends also trim their own series as they go.
  void Maintain(int64_t now_ms);

  // Every label value of `name` present in the store, sorted (for query builders and charts).
  std::vector<std::string> LabelValues(std::string_view name) const;

  MemoryStoreStats Stats() const;  // walks the shards: for /metrics and benchmarks, not loops
  const MemoryStoreOptions& options() const { return options_; }

 private:
  struct Shard;
  Shard& ShardFor(uint64_t fingerprint) const;

  MemoryStoreOptions options_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::unique_ptr<LabelValueIndex> values_;  // store-wide label values, for regex matchers
  std::atomic<uint64_t> series_count_{0};
  std::atomic<uint64_t> series_cap_dropped_{0};
  std::atomic<uint64_t> series_expired_{0};
};

}  // namespace failsafe::watch
