#pragma once
// Clock: the seam through which all code reads the time, so tests control it.
// SystemClock is thread-safe. FakeClock is thread-safe and only moves when told to.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace failsafe {

using TimePoint = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  int64_t NowMillis() const;  // Unix milliseconds, the store's time representation
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  static SystemClock& Instance();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t unix_millis = 1'700'000'000'000) : now_ms_(unix_millis) {}
  TimePoint Now() const override;
  void Advance(Millis by) { now_ms_ += by.count(); }
  void SetMillis(int64_t unix_millis) { now_ms_ = unix_millis; }

 private:
  std::atomic<int64_t> now_ms_;
};

// RFC 3339 UTC with milliseconds: "2026-11-22T08:30:00.123Z".
std::string FormatRfc3339(int64_t unix_millis);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)"; nullopt when malformed.
std::optional<int64_t> ParseRfc3339(std::string_view text);

}  // namespace failsafe
