#include "watch/logs/key_window.h"

#include <gtest/gtest.h>

namespace failsafe::watch::logs {
namespace {

TEST(KeyWindows, FiresOnTheCountthMatchWithinTheWindowAndStartsOver) {
  KeyWindows w(3, 60'000, 100);
  EXPECT_FALSE(w.Add("a", 0));
  EXPECT_FALSE(w.Add("b", 1'000));
  EXPECT_FALSE(w.Add("a", 30'000));
  auto fired = w.Add("a", 60'000);
  ASSERT_TRUE(fired);
  EXPECT_EQ(fired->count, 3);
  EXPECT_EQ(fired->first_ms, 0);
  EXPECT_FALSE(w.Add("a", 61'000));  // started over
}

TEST(KeyWindows, SpreadOutMatchesDoNotFire) {
  KeyWindows w(3, 60'000, 100);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(w.Add("a", i * 40'000));
}

TEST(KeyWindows, KeysAreBoundedAndEvictionsCounted) {
  KeyWindows w(2, 1'000'000, 50);
  for (int i = 0; i < 1000; ++i) w.Add("k" + std::to_string(i), i);
  EXPECT_LE(w.keys(), 50u);
  EXPECT_GT(w.evicted(), 0u);
}

TEST(KeyWindows, IdleKeysExpire) {
  KeyWindows w(2, 10, 5);
  for (int i = 0; i < 5; ++i) w.Add("old" + std::to_string(i), 0);
  w.Add("new", 1'000);  // full: the sweep expires the idle ones first
  EXPECT_EQ(w.expired(), 5u);
  EXPECT_EQ(w.evicted(), 0u);
  EXPECT_EQ(w.keys(), 1u);
}

}  // namespace
}  // namespace failsafe::watch::logs
