#pragma once
// "Matches per `per` more than `factor` times their average over the trailing `baseline`":
// matches are counted in buckets of `per` aligned to line time; when the time moves past a
// bucket, that bucket is judged against the mean of the buckets in the baseline before it
// (empty buckets count as zero). The first `baseline` after the first match is a warm-up
// with no verdicts, so a file's first minutes never look like a spike.
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "watch/logs/rule.h"

namespace failsafe::watch::logs {

struct RateSpike {
  int64_t bucket_start_ms = 0;
  int64_t count = 0;
  double baseline_per_bucket = 0;
};

class RateWindow {
 public:
  explicit RateWindow(const RateThreshold& threshold);
  // Counts a match at `t_ms`; returns a verdict when this closes a bucket that spiked.
  std::optional<RateSpike> Add(int64_t t_ms);
  // Judges the open bucket (end of input).
  std::optional<RateSpike> Close();

 private:
  std::optional<RateSpike> Judge();
  int64_t Bucket(int64_t t_ms) const;

  RateThreshold threshold_;
  int64_t baseline_buckets_;
  std::optional<int64_t> first_bucket_;
  int64_t current_ = 0;
  int64_t current_count_ = 0;
  std::deque<std::pair<int64_t, int64_t>> history_;  // (bucket, count), oldest first
};

}  // namespace failsafe::watch::logs
