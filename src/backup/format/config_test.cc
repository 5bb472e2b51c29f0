#include "backup/format/config.h"

#include <gtest/gtest.h>

#include "backup/format/lock_info.h"

namespace failsafe::backup {
namespace {

TEST(Config, RoundTrip) {
  RepoConfig c;
  c.id.bytes.fill(0x5a);
  c.pack_size = 8 << 20;
  auto back = DecodeConfig(EncodeConfig(c));
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(*back, c);
  c.compression_level = 0;
  std::string off = EncodeConfig(c);
  EXPECT_NE(off.find("\"compression\":\"none\""), std::string::npos);
  EXPECT_EQ(*DecodeConfig(off), c);
}

TEST(Config, NewerVersionNamesBoth) {
  RepoConfig c;
  std::string json = EncodeConfig(c);
  json.replace(json.find("\"version\":1"), 11, "\"version\":7");
  auto r = DecodeConfig(json);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("version 7"), std::string::npos);
  EXPECT_NE(r.error().message().find("up to 1"), std::string::npos);
}

TEST(Config, BadValuesAreNamed) {
  RepoConfig c;
  const std::string good = EncodeConfig(c);
  auto field_of = [&](std::string from, std::string to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    auto r = DecodeConfig(s);
    return r ? std::string("ok") : r.error().field();
  };
  EXPECT_EQ(field_of("\"pack_size\":16777216", "\"pack_size\":10"), "pack_size");
  EXPECT_EQ(field_of("\"avg\":1048576", "\"avg\":1000000"), "chunker.avg");
  EXPECT_EQ(field_of("\"max\":8388608", "\"max\":100"), "chunker");
  EXPECT_EQ(field_of("\"compression\":\"zstd\"", "\"compression\":\"lz4\""), "compression");
  EXPECT_EQ(field_of("\"id\":\"", "\"id\":\"zz"), "id");
  EXPECT_EQ(field_of("\"pack_size\"", "\"unknown\":1,\"pack_size\""), "unknown");
  EXPECT_FALSE(DecodeConfig("garbage"));
}

TEST(LockInfo, RoundTripAndErrors) {
  LockInfo l{"db-01", 4242, "root", true, 1'700'000'000'000, 1'700'000'300'000};
  auto back = DecodeLockInfo(EncodeLockInfo(l), "abc");
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(*back, l);
  auto bad = DecodeLockInfo(
      R"({"host":"h","pid":-1,"exclusive":false,"created":"2026-01-01T00:00:00Z","refreshed":"2026-01-01T00:00:00Z"})",
      "abc");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field(), "pid");
  EXPECT_NE(bad.error().message().find("lock abc"), std::string::npos);
  EXPECT_FALSE(DecodeLockInfo(
      R"({"host":"h","pid":1,"exclusive":false,"created":"yesterday","refreshed":"2026-01-01T00:00:00Z"})",
      "abc"));
}

}  // namespace
}  // namespace failsafe::backup
