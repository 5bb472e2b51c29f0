#include "app/config_values.h"

#include <gtest/gtest.h>

namespace failsafe::app {
namespace {

TEST(CheckListenTest, AcceptsHostsAndPorts) {
  for (const char* ok : {"127.0.0.1:8080", "0.0.0.0:0", "localhost:443", "[::1]:8080", "[::]:65535",
                         "failsafe.example.com:80"}) {
    EXPECT_TRUE(CheckListen(ok).ok()) << ok;
  }
}

TEST(CheckListenTest, RejectsMalformed) {
  for (const char* bad : {"8080", ":8080", "localhost:", "localhost", "[::1:80", "::1:80x",
                          "a b:80", "host:123456", "host:-1", "[]:80", ""}) {
    Status s = CheckListen(bad);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(CheckListen("host:70000").message(), "port must be 0..65535, got \"host:70000\"");
}

TEST(ParseByteSizeTest, UnitsAndLimits) {
  EXPECT_EQ(*ParseByteSize("1048576"), 1048576u);
  EXPECT_EQ(*ParseByteSize("1MiB"), 1048576u);
  EXPECT_EQ(*ParseByteSize("1mib"), 1048576u);
  EXPECT_EQ(*ParseByteSize("10MB"), 10'000'000u);
  EXPECT_EQ(*ParseByteSize("64KiB"), 65536u);
  EXPECT_EQ(*ParseByteSize("1GiB"), 1u << 30);
  EXPECT_EQ(*ParseByteSize("512B"), 512u);
  EXPECT_FALSE(ParseByteSize("0"));
  EXPECT_FALSE(ParseByteSize("2GiB"));
  EXPECT_FALSE(ParseByteSize("1.5MiB"));
  EXPECT_FALSE(ParseByteSize("MiB"));
  EXPECT_FALSE(ParseByteSize("1 MiB"));
  EXPECT_FALSE(ParseByteSize("99999999999999999999999"));
}

TEST(ParsePositiveDurationTest, ParsesAndRejects) {
  EXPECT_EQ(*ParsePositiveDuration("1h30m"), std::chrono::minutes(90));
  EXPECT_EQ(*ParsePositiveDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_FALSE(ParsePositiveDuration("0s"));
  EXPECT_FALSE(ParsePositiveDuration("10"));
  EXPECT_FALSE(ParsePositiveDuration(""));
}

TEST(ParseIntInRangeTest, Strict) {
  EXPECT_EQ(*ParseIntInRange("42", 0, 100), 42);
  EXPECT_FALSE(ParseIntInRange("42x", 0, 100));
  EXPECT_FALSE(ParseIntInRange(" 42", 0, 100));
  EXPECT_FALSE(ParseIntInRange("101", 0, 100));
  EXPECT_FALSE(ParseIntInRange("", 0, 100));
}

TEST(CheckDbUrlTest, Schemes) {
  EXPECT_TRUE(CheckDbUrl("sqlite:/tmp/x.db").ok());
  EXPECT_TRUE(CheckDbUrl("postgresql://u:p@h/db").ok());
  EXPECT_TRUE(CheckDbUrl("postgres://h/db").ok());
  EXPECT_FALSE(CheckDbUrl("sqlite:").ok());
  EXPECT_FALSE(CheckDbUrl("/tmp/x.db").ok());
}

TEST(ClosestMatchTest, SuggestsOnlyPlausibleTypos) {
  std::vector<std::string_view> keys = {"idle_timeout", "header_timeout", "threads"};
  EXPECT_EQ(ClosestMatch("idle_timout", keys), "idle_timeout");
  EXPECT_EQ(ClosestMatch("thread", keys), "threads");
  EXPECT_EQ(ClosestMatch("colour", keys), "");
}

}  // namespace
}  // namespace failsafe::app

namespace failsafe::app {
namespace {

TEST(CheckPublicUrlTest, AcceptsHttpAndHttpsOrigins) {
  EXPECT_TRUE(CheckPublicUrl("https://failsafe.example.com").ok());
  EXPECT_TRUE(CheckPublicUrl("http://10.0.0.5:8080").ok());
  EXPECT_TRUE(CheckPublicUrl("https://example.com/failsafe").ok());
}

TEST(CheckPublicUrlTest, RejectsOtherShapes) {
  for (const char* bad : {"", "failsafe.example.com", "ftp://x", "https://", "https:///x",
                          "https://x/", "https://x?a=1", "https://x#top"}) {
    Status s = CheckPublicUrl(bad);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.message().find("http://"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace failsafe::app
