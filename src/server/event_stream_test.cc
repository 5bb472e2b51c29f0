#include "server/event_stream.h"

#include <gtest/gtest.h>

namespace failsafe::server {
namespace {

TEST(EventStream, ChunksComeOutInOrderAndCloseEndsAfterThem) {
  EventStream s;
  int ready = 0;
  EXPECT_TRUE(s.Push("a"));  // before the connection is ready: kept
  s.SetReadyCallback([&] { ++ready; });
  EXPECT_EQ(ready, 1);
  EXPECT_TRUE(s.Push("b"));
  EXPECT_EQ(ready, 2);
  std::string out;
  ASSERT_EQ(s.Take(out), EventStream::Next::kData);
  EXPECT_EQ(out, "ab");
  EXPECT_EQ(s.Take(out), EventStream::Next::kEmpty);
  s.Push("c");
  s.Close();
  EXPECT_FALSE(s.Push("d"));
  ASSERT_EQ(s.Take(out), EventStream::Next::kData);
  EXPECT_EQ(out, "c");
  EXPECT_EQ(s.Take(out), EventStream::Next::kEnded);
}

TEST(EventStream, AClientThatFallsBehindIsCutOff) {
  EventStream s(3);
  EXPECT_TRUE(s.Push("1"));
  EXPECT_TRUE(s.Push("2"));
  EXPECT_TRUE(s.Push("3"));
  EXPECT_FALSE(s.Push("4"));
  EXPECT_TRUE(s.ended());
  std::string out;
  EXPECT_EQ(s.Take(out), EventStream::Next::kEnded);
}

TEST(EventStream, AbandonedByTheConnectionRefusesPushesAndDropsTheCallback) {
  EventStream s;
  auto token = std::make_shared<int>(1);
  s.SetReadyCallback([token] {});
  EXPECT_EQ(token.use_count(), 2);
  s.Abandon();
  EXPECT_EQ(token.use_count(), 1);
  EXPECT_FALSE(s.Push("x"));
}

}  // namespace
}  // namespace failsafe::server
