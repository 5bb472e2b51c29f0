#include "watch/logs/rate_window.h"

namespace failsafe::watch::logs {

RateWindow::RateWindow(const RateThreshold& threshold)
    : threshold_(threshold), baseline_buckets_(threshold.baseline_ms / threshold.per_ms) {}

int64_t RateWindow::Bucket(int64_t t_ms) const {
  // Floor division: times before 1970 still fall in the right bucket.
  return t_ms >= 0 ? t_ms / threshold_.per_ms : -((-t_ms - 1) / threshold_.per_ms) - 1;
}

std::optional<RateSpike> RateWindow::Add(int64_t t_ms) {
  const int64_t b = Bucket(t_ms);
  if (!first_bucket_) {
    first_bucket_ = b;
    current_ = b;
  }
  if (b <= current_) {  // the open bucket, or a late line counted with it
    ++current_count_;
    return std::nullopt;
  }
  auto verdict = Judge();
  history_.emplace_back(current_, current_count_);
  current_ = b;
  current_count_ = 1;
  while (!history_.empty() && history_.front().first < current_ - baseline_buckets_) {
    history_.pop_front();
  }
  return verdict;
}

std::optional<RateSpike> RateWindow::Close() {
  if (!first_bucket_) return std::nullopt;
  return Judge();
}

std::optional<RateSpike> RateWindow::Judge() {
  if (current_ - *first_bucket_ < baseline_buckets_) return std::nullopt;  // warming up
  int64_t sum = 0;
  for (const auto& [bucket, count] : history_) {
    if (bucket >= current_ - baseline_buckets_) sum += count;
  }
  const double mean = static_cast<double>(sum) / static_cast<double>(baseline_buckets_);
  if (current_count_ < threshold_.min_count) return std::nullopt;
  if (static_cast<double>(current_count_) <= threshold_.factor * mean) return std::nullopt;
  return RateSpike{current_ * threshold_.per_ms, current_count_, mean};
}

}  // namespace failsafe::watch::logs
