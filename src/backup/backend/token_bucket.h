#pragma once
// TokenBucket: at most `rate` bytes per second on average, with bursts up to `burst` bytes.
// Acquire takes the tokens at once (the balance may go negative for a transfer larger than the
// burst) and sleeps until the balance is back to zero, so a 64 MiB pack at 1 MiB/s takes 64 s
// however it is cut. Thread-safe: concurrent transfers share the rate.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

namespace failsafe::backup {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  using NowFn = std::function<Clock::time_point()>;
  using SleepFn = std::function<void(Clock::duration)>;

  // rate 0: unlimited. burst 0: one second's worth.
  explicit TokenBucket(uint64_t rate, uint64_t burst = 0, NowFn now = nullptr,
                       SleepFn sleep = nullptr);

  void Acquire(uint64_t bytes);
  // How long Acquire(bytes) would sleep now, without taking anything.
  Clock::duration WaitFor(uint64_t bytes);

 private:
  void Refill(Clock::time_point now);

  const double rate_;
  const double burst_;
  NowFn now_;
  SleepFn sleep_;
  std::mutex mu_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace failsafe::backup
