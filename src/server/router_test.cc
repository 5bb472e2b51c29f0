#include "server/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace failsafe::server {
namespace {

Route R(std::string method, std::string pattern) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.handler = [](Request&) -> Result<Response> { return Response::NoContent(); };
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(R("GET", "/"));
    router_.Add(R("GET", "/api/v1/users"));
    router_.Add(R("POST", "/api/v1/users"));
    router_.Add(R("GET", "/api/v1/users/{id}"));
    router_.Add(R("DELETE", "/api/v1/users/{id}"));
    router_.Add(R("GET", "/api/v1/users/me"));
    router_.Add(R("GET", "/api/v1/users/{id}/tokens/{token_id}"));
  }
  Router router_;
};

TEST_F(RouterTest, LiteralRoute) {
  Match m = router_.Find("GET", "/api/v1/users");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/users");
  EXPECT_TRUE(m.params.empty());
  m = router_.Find("POST", "/api/v1/users");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "POST");
}

TEST_F(RouterTest, RootPath) {
  Match m = router_.Find("GET", "/");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/");
}

TEST_F(RouterTest, ParamsAreCaptured) {
  Match m = router_.Find("GET", "/api/v1/users/42/tokens/7");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/users/{id}/tokens/{token_id}");
  EXPECT_EQ(m.params.at("id"), "42");
  EXPECT_EQ(m.params.at("token_id"), "7");
}

TEST_F(RouterTest, LiteralBeatsParamRegardlessOfOrder) {
  Match m = router_.Find("GET", "/api/v1/users/me");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/users/me");
  EXPECT_TRUE(m.params.empty());
  m = router_.Find("GET", "/api/v1/users/mee");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/users/{id}");
  EXPECT_EQ(m.params.at("id"), "mee");
}

TEST_F(RouterTest, TrailingSlashAndEmptySegmentDoNotMatch) {
  EXPECT_EQ(router_.Find("GET", "/api/v1/users/").route, nullptr);
  EXPECT_FALSE(router_.Find("GET", "/api/v1/users/").path_known);
  EXPECT_EQ(router_.Find("GET", "/api/v1/users//tokens/1").route, nullptr);
  EXPECT_EQ(router_.Find("GET", "/api/v1/Users").route, nullptr);
  EXPECT_EQ(router_.Find("GET", "/api/v1/users/1/2").route, nullptr);
}

TEST_F(RouterTest, OtherMethodMarksPathKnown) {
  Match m = router_.Find("PATCH", "/api/v1/users/5");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(router_.AllowedMethods("/api/v1/users/5"), (std::vector<std::string>{"DELETE", "GET"}));
  m = router_.Find("GET", "/nowhere");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.path_known);
}

TEST_F(RouterTest, DuplicateAndMalformedPatternsThrow) {
  EXPECT_THROW(router_.Add(R("GET", "/api/v1/users")), std::logic_error);
  EXPECT_THROW(router_.Add(R("GET", "no-slash")), std::logic_error);
  EXPECT_THROW(router_.Add(R("GET", "/x/{unclosed")), std::logic_error);
  EXPECT_THROW(router_.Add(R("GET", "/x/{}")), std::logic_error);
  EXPECT_NO_THROW(router_.Add(R("PUT", "/api/v1/users")));  // same pattern, other method
}

}  // namespace
}  // namespace failsafe::server
