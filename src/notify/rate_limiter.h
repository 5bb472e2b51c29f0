#pragma once
// Per-channel rate limit: at most N sends in any rolling second and/or minute, the way the
// chat platforms count (DingTalk: 20 a minute per robot, throttled for 10 minutes beyond).
// A classic refilling token bucket would let a 21st message through 3 s into a burst, which
// DingTalk counts against the same minute; a rolling window of the actual send times does not.
// Thread-safe.
#include <cstdint>
#include <deque>
#include <limits>
#include <mutex>

namespace failsafe::notify {

class RateLimiter {
 public:
  static constexpr int kUnlimited = std::numeric_limits<int>::max();

  // 0 = no limit for that window. Keeps the send history.
  void Configure(int per_second, int per_minute);
  // How many sends are allowed at `now_ms` (kUnlimited when neither window is limited).
  int Available(int64_t now_ms);
  // The earliest time at which Available() >= 1 (now_ms when it already is).
  int64_t NextFreeAt(int64_t now_ms);
  // Whether anything was sent within the longest limited window before now_ms.
  bool Busy(int64_t now_ms);
  // Records one send at `at_ms`.
  void Record(int64_t at_ms);

 private:
  void Prune(int64_t now_ms);
  int AvailableLocked(int64_t now_ms);
  std::mutex mu_;
  int per_second_ = 0, per_minute_ = 0;
  std::deque<int64_t> sends_;  // send times, oldest first, within the last minute
};

}  // namespace failsafe::notify
