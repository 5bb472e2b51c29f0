#pragma once
// Per-address login throttling: more than `limit` failed logins from one address within
// `window` -> refused until the oldest failure leaves the window. Kept in memory (per process):
// it slows guessing from one address; the per-user lockout, stored in the users table, is the
// part that holds across instances. Thread-safe.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/clock.h"

namespace failsafe::auth {

class LoginThrottle {
 public:
  // `clock` must outlive the throttle.
  LoginThrottle(const Clock& clock, int limit, std::chrono::milliseconds window);

  // nullopt when `addr` may try; else how long until it may (for Retry-After).
  std::optional<std::chrono::milliseconds> Blocked(const std::string& addr);
  void RecordFailure(const std::string& addr);

 private:
  static constexpr size_t kMaxAddresses = 50'000;
  void Prune(std::deque<int64_t>& failures, int64_t now) const;

  const Clock& clock_;
  const int limit_;
  const int64_t window_ms_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;
};

}  // namespace failsafe::auth
