#include "notify/rate_limiter.h"

#include <algorithm>

namespace failsafe::notify {
namespace {

constexpr int64_t kSecond = 1000, kMinute = 60 * 1000;

// Sends within (now - window, now].
int CountSince(const std::deque<int64_t>& sends, int64_t from_exclusive) {
  return static_cast<int>(
      std::count_if(sends.begin(), sends.end(), [&](int64_t t) { return t > from_exclusive; }));
}

}  // namespace

void RateLimiter::Configure(int per_second, int per_minute) {
  std::lock_guard lock(mu_);
  per_second_ = std::max(0, per_second);
  per_minute_ = std::max(0, per_minute);
}

void RateLimiter::Prune(int64_t now_ms) {
  while (!sends_.empty() && sends_.front() <= now_ms - kMinute) sends_.pop_front();
}

int RateLimiter::AvailableLocked(int64_t now_ms) {
  Prune(now_ms);
  int avail = kUnlimited;
  if (per_second_ > 0) {
    avail = std::min(avail, std::max(0, per_second_ - CountSince(sends_, now_ms - kSecond)));
  }
  if (per_minute_ > 0) {
    avail = std::min(avail, std::max(0, per_minute_ - CountSince(sends_, now_ms - kMinute)));
  }
  return avail;
}

int RateLimiter::Available(int64_t now_ms) {
  std::lock_guard lock(mu_);
  return AvailableLocked(now_ms);
}

int64_t RateLimiter::NextFreeAt(int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (AvailableLocked(now_ms) > 0) return now_ms;
  int64_t at = now_ms;
  // A window frees a slot when its oldest counted send leaves it.
  auto free_at = [&](int limit, int64_t window) {
    if (limit <= 0) return;
    const int in_window = CountSince(sends_, now_ms - window);
    if (in_window < limit) return;
    // The (in_window - limit + 1)-th oldest send inside the window must leave it.
    const size_t first = sends_.size() - static_cast<size_t>(in_window);
    const int64_t t = sends_[first + static_cast<size_t>(in_window - limit)];
    at = std::max(at, t + window);
  };
  free_at(per_second_, kSecond);
  free_at(per_minute_, kMinute);
  return at;
}

bool RateLimiter::Busy(int64_t now_ms) {
  std::lock_guard lock(mu_);
  Prune(now_ms);
  const int64_t window = per_minute_ > 0 ? kMinute : kSecond;
  return CountSince(sends_, now_ms - window) > 0;
}

void RateLimiter::Record(int64_t at_ms) {
  std::lock_guard lock(mu_);
  auto pos = std::upper_bound(sends_.begin(), sends_.end(), at_ms);
  sends_.insert(pos, at_ms);
  Prune(at_ms);
}

}  // namespace failsafe::notify
