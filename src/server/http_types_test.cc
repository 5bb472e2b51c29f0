#include "server/http_types.h"

#include <gtest/gtest.h>

namespace failsafe::server {
namespace {

TEST(ParseTargetTest, SplitsPathAndDecodesQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseTarget("/api/v1/users?limit=5&q=a%20b+c&flag&x=1&x=2", path, query).ok());
  EXPECT_EQ(path, "/api/v1/users");
  EXPECT_EQ(query.at("limit"), "5");
  EXPECT_EQ(query.at("q"), "a b c");
  EXPECT_EQ(query.at("flag"), "");
  EXPECT_EQ(query.at("x"), "2");  // last wins
}

TEST(ParseTargetTest, PathDecodingKeepsPlus) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseTarget("/files/a+b%2Fc%E4%B8%AD", path, query).ok());
  EXPECT_EQ(path, "/files/a+b/c\xE4\xB8\xAD");
  EXPECT_TRUE(query.empty());
}

TEST(ParseTargetTest, EmptyQueryPieces) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseTarget("/x?&&=v&a=", path, query).ok());
  EXPECT_EQ(query.size(), 1u);
  EXPECT_EQ(query.at("a"), "");
}

TEST(ParseTargetTest, RejectsBadInput) {
  std::string path;
  std::map<std::string, std::string> query;
  for (const char* bad : {"/a%", "/a%2", "/a%zz", "/a%00b", "/a%C3%28", "/a%ED%A0%80", "relative",
                          "", "/x?q=%FF", "/x?q=%4"}) {
    Status st = ParseTarget(bad, path, query);
    EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument) << bad;
    EXPECT_FALSE(st.message().empty()) << bad;
  }
  Status st = ParseTarget("/x?name=%FF", path, query);
  EXPECT_EQ(st.field(), "name");
  std::string with_nul("/a\0b", 4);
  EXPECT_EQ(ParseTarget(with_nul, path, query).code(), ErrorCode::kInvalidArgument);
}

TEST(ResponseTest, ErrorShapeIsExact) {
  Response r = Response::Error(InvalidArgument("too short", "username"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body,
            R"({"error":{"code":"invalid_argument","message":"too short","field":"username"}})");
  r = Response::Error(NotFound("no user 7"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error":{"code":"not_found","message":"no user 7"}})");
  EXPECT_EQ(Response::Error({ErrorCode::kTooManyRequests, "slow down"}).status, 429);
}

TEST(ResponseTest, Builders) {
  Response j = Response::Json(boost::json::object{{"a", 1}}, 201);
  EXPECT_EQ(j.status, 201);
  EXPECT_EQ(j.body, R"({"a":1})");
  Response n = Response::NoContent();
  EXPECT_EQ(n.status, 204);
  EXPECT_TRUE(n.body.empty());
  Response t = Response::Text("hi");
  EXPECT_EQ(t.content_type, "text/plain; charset=utf-8");
}

TEST(RequestTest, Accessors) {
  Request r;
  r.headers["x-csrf-token"] = "t";
  r.query["limit"] = "5";
  r.path_params["id"] = "9";
  EXPECT_EQ(r.Header("x-csrf-token"), "t");
  EXPECT_EQ(r.Header("missing"), "");
  EXPECT_EQ(r.Query("limit"), "5");
  EXPECT_FALSE(r.Query("cursor").has_value());
  EXPECT_EQ(r.Param("id"), "9");
  EXPECT_EQ(r.Param("nope"), "");
}

TEST(SecurityHeadersTest, ApiGetsNoStoreAndExistingHeadersWin) {
  Response r;
  ApplySecurityHeaders(r, "/api/v1/users");
  auto find = [&r](const std::string& n) -> std::string {
    for (auto& [k, v] : r.headers) {
      if (k == n) return v;
    }
    return "<absent>";
  };
  EXPECT_EQ(find("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(find("X-Frame-Options"), "DENY");
  EXPECT_EQ(find("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(find("Cache-Control"), "no-store");

  Response s;
  s.headers.emplace_back("cache-control", "no-cache");
  ApplySecurityHeaders(s, "/index.html");
  int cache_headers = 0;
  for (auto& [k, v] : s.headers) cache_headers += (k == "cache-control" || k == "Cache-Control");
  EXPECT_EQ(cache_headers, 1);
}

}  // namespace
}  // namespace failsafe::server
