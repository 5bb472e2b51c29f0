#include "watch/logsources/http_push.h"

#include <gtest/gtest.h>

#include "base/clock.h"

namespace failsafe::watch {
namespace {

Result<std::vector<LogLine>> Decode(std::string_view body, std::string_view type,
                                    SourceStats* stats = nullptr, size_t cap = 64) {
  SourceStats local;
  PushOptions o;
  o.source = "http:ci";
  o.max_line_bytes = cap;
  o.max_lines = 3;
  return DecodePushBody(body, type, o, stats ? *stats : local);
}

TEST(HttpPush, PlainText) {
  SourceStats stats;
  auto r = Decode("one\r\n\ntwo\nthree", "text/plain; charset=utf-8", &stats);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].text, "one");
  EXPECT_EQ((*r)[0].source, "http:ci");
  EXPECT_EQ((*r)[2].text, "three");
  EXPECT_EQ(stats.lines, 3u);
}

TEST(HttpPush, JsonObjectAndArrayForms) {
  auto a = Decode(
      R"({"lines": ["a", {"text": "b", "time": "2026-11-22T06:46:35.5+08:00", "host": "h", "app": "x"}]})",
      "application/json");
  ASSERT_TRUE(a) << a.error().ToString();
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].text, "a");
  EXPECT_FALSE((*a)[0].time_ms);
  EXPECT_EQ((*a)[1].time_ms, *ParseRfc3339("2026-11-21T22:46:35.500Z"));
  EXPECT_EQ((*a)[1].host, "h");
  EXPECT_EQ((*a)[1].app, "x");
  auto b = Decode(R"([{"text": "c", "time": 1700000000123}])", "Application/JSON");
  ASSERT_TRUE(b) << b.error().ToString();
  EXPECT_EQ((*b)[0].time_ms, 1700000000123);
}

TEST(HttpPush, CapsAreCountedNotRefused) {
  SourceStats stats;
  auto r = Decode(R"(["中中中中"])", "application/json", &stats, 7);  // 12 bytes, cap 7
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].text, "中中");  // cut at a character boundary
  EXPECT_EQ(stats.truncated, 1u);
}

TEST(HttpPush, ErrorsNameTheField) {
  struct Case {
    const char* body;
    const char* type;
    ErrorCode code;
    const char* field;
  } cases[] = {
      {R"({"lines": [{"txt": "x"}]})", "application/json", ErrorCode::kInvalidArgument,
       "lines[0].text"},
      {R"({"lines": ["a", {"text": "b", "time": "yesterday"}]})", "application/json",
       ErrorCode::kInvalidArgument, "lines[1].time"},
      {R"([{"text": "b", "time": true}])", "application/json", ErrorCode::kInvalidArgument,
       "[0].time"},
      {R"([3])", "application/json", ErrorCode::kInvalidArgument, "[0]"},
      {R"({"lines": "a"})", "application/json", ErrorCode::kInvalidArgument, "lines"},
      {R"({"lins": []})", "application/json", ErrorCode::kInvalidArgument, "lins"},
      {R"(["a","b","c","d"])", "application/json", ErrorCode::kPayloadTooLarge, "lines"},
      {"a\nb\nc\nd\n", "text/plain", ErrorCode::kPayloadTooLarge, "lines"},
      {"x", "application/xml", ErrorCode::kUnsupportedMedia, "Content-Type"},
  };
  for (const Case& c : cases) {
    auto r = Decode(c.body, c.type);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().code(), c.code) << c.body << ": " << r.error().ToString();
    EXPECT_EQ(r.error().field(), c.field) << c.body << ": " << r.error().ToString();
  }
  auto broken = Decode(R"({"lines": ["a",)", "application/json");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message().find("byte"), std::string::npos) << broken.error().message();
}

TEST(HttpPush, FailedBodiesCountNothing) {
  SourceStats stats;
  EXPECT_FALSE(Decode("a\nb\nc\nd", "text/plain", &stats));
  EXPECT_EQ(stats.lines, 0u);
}

}  // namespace
}  // namespace failsafe::watch
