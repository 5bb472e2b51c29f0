#include "backup/backend/token_bucket.h"

#include <algorithm>
#include <thread>

namespace failsafe::backup {

TokenBucket::TokenBucket(uint64_t rate, uint64_t burst, NowFn now, SleepFn sleep)
    : rate_(double(rate)),
      burst_(double(burst ? burst : rate)),
      now_(now ? std::move(now) : NowFn([] { return Clock::now(); })),
      sleep_(sleep ? std::move(sleep)
                   : SleepFn([](Clock::duration d) { std::this_thread::sleep_for(d); })),
      tokens_(burst_),
      last_(now_()) {}

void TokenBucket::Refill(Clock::time_point now) {
  const double seconds = std::chrono::duration<double>(now - last_).count();
  if (seconds > 0) tokens_ = std::min(burst_, tokens_ + seconds * rate_);
  last_ = std::max(last_, now);
}

TokenBucket::Clock::duration TokenBucket::WaitFor(uint64_t bytes) {
  if (rate_ == 0) return {};
  std::lock_guard lock(mu_);
  Refill(now_());
  const double after = tokens_ - double(bytes);
  if (after >= 0) return {};
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(-after / rate_));
}

void TokenBucket::Acquire(uint64_t bytes) {
  if (rate_ == 0 || bytes == 0) return;
  Clock::duration wait{};
  {
    std::lock_guard lock(mu_);
    Refill(now_());
    tokens_ -= double(bytes);
    if (tokens_ < 0) {
      wait = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(-tokens_ / rate_));
    }
  }
  // Sleeping outside the lock: the debt is already booked, so the next caller waits for it
  // too and the average holds.
  if (wait > Clock::duration::zero()) sleep_(wait);
}

}  // namespace failsafe::backup
