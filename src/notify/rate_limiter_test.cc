#include "notify/rate_limiter.h"

#include <gtest/gtest.h>

namespace failsafe::notify {
namespace {

TEST(RateLimiter, UnlimitedByDefault) {
  RateLimiter r;
  for (int i = 0; i < 100; ++i) r.Record(1000 + i);
  EXPECT_EQ(r.Available(2000), RateLimiter::kUnlimited);
  EXPECT_EQ(r.NextFreeAt(2000), 2000);
}

TEST(RateLimiter, TwentyAMinuteIsARollingWindow) {
  RateLimiter r;
  r.Configure(0, 20);
  const int64_t t0 = 1'000'000;
  EXPECT_EQ(r.Available(t0), 20);
  for (int i = 0; i < 20; ++i) r.Record(t0 + i * 100);  // 20 sends in 2 s
  EXPECT_EQ(r.Available(t0 + 3000), 0);                 // a refilling bucket would say 1
  EXPECT_EQ(r.Available(t0 + 59'999), 0);
  EXPECT_TRUE(r.Busy(t0 + 30'000));
  EXPECT_EQ(r.NextFreeAt(t0 + 3000), t0 + 60'000);  // the first send leaves the window
  EXPECT_EQ(r.Available(t0 + 60'000), 1);
  EXPECT_EQ(r.Available(t0 + 62'000), 20);
  EXPECT_FALSE(r.Busy(t0 + 62'000));
}

TEST(RateLimiter, FeishuFiveASecondAndHundredAMinute) {
  RateLimiter r;
  r.Configure(5, 100);
  const int64_t t0 = 5'000'000;
  for (int i = 0; i < 5; ++i) r.Record(t0);
  EXPECT_EQ(r.Available(t0 + 10), 0);
  EXPECT_EQ(r.NextFreeAt(t0 + 10), t0 + 1000);
  EXPECT_EQ(r.Available(t0 + 1000), 5);
  // 100 a minute caps a steady 5/s after 20 s.
  for (int s = 1; s < 20; ++s) {
    for (int i = 0; i < 5; ++i) r.Record(t0 + s * 1000);
  }
  EXPECT_EQ(r.Available(t0 + 20'000), 0);
  EXPECT_EQ(r.NextFreeAt(t0 + 20'000), t0 + 60'000);
}

}  // namespace
}  // namespace failsafe::notify
