#include "backup/backend/token_bucket.h"

#include <gtest/gtest.h>

namespace failsafe::backup {
namespace {

using namespace std::chrono_literals;

// A bucket on a fake clock whose sleeps move the clock, so the test sees exact waits.
struct FakeTime {
  TokenBucket::Clock::time_point now{};
  TokenBucket::Clock::duration slept{};
  TokenBucket Bucket(uint64_t rate, uint64_t burst = 0) {
    return TokenBucket(
        rate, burst, [this] { return now; },
        [this](TokenBucket::Clock::duration d) {
          slept += d;
          now += d;
        });
  }
};

TEST(TokenBucketTest, BurstPassesThenTheRateHolds) {
  FakeTime t;
  auto b = t.Bucket(1000);  // 1000 B/s, burst 1000
  b.Acquire(1000);
  EXPECT_EQ(t.slept, 0s);
  b.Acquire(500);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(t.slept), 500ms);
  b.Acquire(3000);  // larger than the burst: pays the whole debt
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(t.slept), 3500ms);
}

TEST(TokenBucketTest, IdleTimeRefillsUpToTheBurstOnly) {
  FakeTime t;
  auto b = t.Bucket(100, 200);
  b.Acquire(200);
  t.now += 60s;  // a minute idle earns at most the burst
  b.Acquire(200);
  EXPECT_EQ(t.slept, 0s);
  b.Acquire(100);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(t.slept), 1000ms);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(b.WaitFor(50)), 500ms);
}

TEST(TokenBucketTest, ZeroRateIsUnlimited) {
  FakeTime t;
  auto b = t.Bucket(0);
  b.Acquire(1u << 30);
  EXPECT_EQ(t.slept, 0s);
  EXPECT_EQ(b.WaitFor(1u << 30), 0s);
}

}  // namespace
}  // namespace failsafe::backup
