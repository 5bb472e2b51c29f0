#include "watch/logs/rate_window.h"

#include <gtest/gtest.h>

namespace failsafe::watch::logs {
namespace {

RateThreshold FivefoldPerMinuteOverAnHour() {
  return RateThreshold{5, 60'000, 3'600'000, 10};
}

TEST(RateWindow, SpikeAgainstTheTrailingHour) {
  RateWindow w(FivefoldPerMinuteOverAnHour());
  // Two errors a minute for 90 minutes: steady, never a spike.
  for (int minute = 0; minute < 90; ++minute) {
    EXPECT_FALSE(w.Add(minute * 60'000LL));
    EXPECT_FALSE(w.Add(minute * 60'000LL + 30'000));
  }
  // Then 20 in one minute: 10x the mean of 2.
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(w.Add(90 * 60'000LL + i * 1'000));
  auto spike = w.Add(91 * 60'000LL);  // the next minute closes the spiking one
  ASSERT_TRUE(spike);
  EXPECT_EQ(spike->count, 20);
  EXPECT_DOUBLE_EQ(spike->baseline_per_bucket, 2.0);
  EXPECT_EQ(spike->bucket_start_ms, 90 * 60'000LL);
}

TEST(RateWindow, WarmUpAndMinCount) {
  RateWindow w(FivefoldPerMinuteOverAnHour());
  for (int i = 0; i < 50; ++i) w.Add(i);  // a burst in the first minute: warm-up
  EXPECT_FALSE(w.Add(61'000));
  EXPECT_FALSE(w.Close());
  RateWindow quiet(FivefoldPerMinuteOverAnHour());
  quiet.Add(0);
  quiet.Add(61 * 60'000LL);
  for (int i = 0; i < 5; ++i) quiet.Add(61 * 60'000LL + i);  // 6 < min_count
  EXPECT_FALSE(quiet.Close());
}

TEST(RateWindow, CloseJudgesTheOpenBucket) {
  RateWindow w(RateThreshold{5, 60'000, 600'000, 3});
  w.Add(0);
  for (int i = 0; i < 10; ++i) w.Add(11 * 60'000LL + i);
  auto spike = w.Close();
  ASSERT_TRUE(spike);
  EXPECT_EQ(spike->count, 10);
}

}  // namespace
}  // namespace failsafe::watch::logs
