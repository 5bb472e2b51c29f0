#include "server/dispatcher.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace failsafe::server {
namespace {

// Bearer tokens name the role; "bad" is a revoked token; a session cookie logs in "sam".
class TestAuthenticator : public Authenticator {
 public:
  Result<std::optional<Principal>> Authenticate(const Request& r) override {
    ++calls;
    const std::string auth = r.Header("authorization");
    if (auth == "Bearer bad") return Err(Unauthenticated("token revoked"));
    if (auth.starts_with("Bearer ")) {
      Principal p;
      p.user_id = 1;
      p.username = "tok-user";
      p.role = auth.substr(7);
      p.token_id = 9;
      return p;
    }
    if (r.Header("cookie") == "failsafe_session=s1") {
      Principal p;
      p.user_id = 2;
      p.username = "sam";
      p.role = "admin";
      p.via_session = true;
      p.session_id = 5;
      return p;
    }
    return std::optional<Principal>();
  }
  bool CsrfValid(const Request& r, const Principal&) override {
    return r.Header("x-csrf-token") == "csrf-ok";
  }
  int calls = 0;
};

class TestAuthorizer : public Authorizer {
 public:
  bool Allowed(const std::string& role, const std::string& permission) const override {
    if (role == "admin") return true;
    return role == "viewer" && permission.ends_with(".read");
  }
};

Route MakeRoute(std::string method, std::string pattern, std::string permission, Handler h) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.permission = std::move(permission);
  r.handler = std::move(h);
  return r;
}

Result<Response> Echo(Request& r) {
  boost::json::object o;
  o["id"] = r.Param("id");
  o["user"] = r.principal ? r.principal->username : "";
  o["route"] = r.route_pattern;
  return Response::Json(o);
}

std::string HeaderOf(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() {
    router_.Add(MakeRoute("GET", "/api/v1/items/{id}", "items.read", Echo));
    router_.Add(MakeRoute("DELETE", "/api/v1/items/{id}", "items.write", Echo));
    Route post = MakeRoute("POST", "/api/v1/items", "items.write", Echo);
    post.doc.request_schema = boost::json::object{{"type", "object"}};
    router_.Add(post);
    router_.Add(MakeRoute("GET", "/healthz", "", Echo));
    Route login = MakeRoute("POST", "/api/v1/auth/login", "", Echo);
    login.csrf_exempt = true;
    router_.Add(login);
    router_.Add(MakeRoute("POST", "/api/v1/auth/logout", "", Echo));
    router_.Add(MakeRoute("GET", "/api/v1/boom", "", [](Request&) -> Result<Response> {
      throw std::runtime_error("db password is hunter2");
    }));
    router_.Add(MakeRoute("GET", "/api/v1/conflict", "", [](Request&) -> Result<Response> {
      return Err(AlreadyExists("name taken", "name"));
    }));
  }

  Response Do(std::string method, std::string target,
              std::map<std::string, std::string> headers = {}, std::string body = "") {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.headers = std::move(headers);
    r.body = std::move(body);
    r.remote_addr = "127.0.0.1";
    return dispatcher_.Handle(r);
  }

  static boost::json::value Body(const Response& r) { return boost::json::parse(r.body); }
  static std::string Code(const Response& r) {
    return std::string(Body(r).at("error").at("code").as_string());
  }

  Router router_;
  TestAuthenticator authn_;
  TestAuthorizer authz_;
  metrics::Registry registry_;
  Dispatcher dispatcher_{router_, authn_, authz_, registry_};
};

TEST_F(DispatcherTest, RunsHandlerWithParamsAndPrincipal) {
  Response r = Do("GET", "/api/v1/items/42?x=1", {{"authorization", "Bearer viewer"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"id":"42","user":"tok-user","route":"/api/v1/items/{id}"})");
}

TEST_F(DispatcherTest, NotFoundInErrorShape) {
  Response r = Do("GET", "/api/v1/nothing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Code(r), "not_found");
  EXPECT_EQ(authn_.calls, 0);  // no route: credentials are not even looked at
}

TEST_F(DispatcherTest, MethodNotAllowedListsAllow) {
  Response r = Do("PUT", "/api/v1/items/1", {{"authorization", "Bearer admin"}});
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(Code(r), "method_not_allowed");
  EXPECT_EQ(HeaderOf(r, "Allow"), "DELETE, GET");
}

TEST_F(DispatcherTest, AnonymousOnProtectedRouteIs401) {
  Response r = Do("GET", "/api/v1/items/1");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Code(r), "unauthenticated");
}

TEST_F(DispatcherTest, BadCredentialsAre401) {
  Response r = Do("GET", "/api/v1/items/1", {{"authorization", "Bearer bad"}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, R"({"error":{"code":"unauthenticated","message":"token revoked"}})");
}

TEST_F(DispatcherTest, BadCredentialsOnPublicRouteRunAnonymously) {
  Response r = Do("GET", "/healthz", {{"authorization", "Bearer bad"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Body(r).at("user").as_string(), "");
}

TEST_F(DispatcherTest, MissingPermissionIs403) {
  Response r = Do("DELETE", "/api/v1/items/1", {{"authorization", "Bearer viewer"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Code(r), "permission_denied");
  EXPECT_EQ(Do("DELETE", "/api/v1/items/1", {{"authorization", "Bearer admin"}}).status, 200);
}

TEST_F(DispatcherTest, CsrfOnlyForSessionWrites) {
  const std::map<std::string, std::string> session = {{"cookie", "failsafe_session=s1"}};
  Response r = Do("DELETE", "/api/v1/items/1", session);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(Body(r).at("error").at("message").as_string().find("X-CSRF-Token"), std::string::npos);

  auto with_token = session;
  with_token["x-csrf-token"] = "csrf-ok";
  EXPECT_EQ(Do("DELETE", "/api/v1/items/1", with_token).status, 200);
  EXPECT_EQ(Do("GET", "/api/v1/items/1", session).status, 200);  // safe method
  EXPECT_EQ(Do("DELETE", "/api/v1/items/1", {{"authorization", "Bearer admin"}}).status,
            200);  // bearer tokens are not sent by browsers automatically
  EXPECT_EQ(Do("POST", "/api/v1/auth/login", session).status, 200);   // exempt
  EXPECT_EQ(Do("POST", "/api/v1/auth/logout", session).status, 403);  // public, not exempt
}

TEST_F(DispatcherTest, JsonBodiesNeedJsonContentType) {
  const std::map<std::string, std::string> admin = {{"authorization", "Bearer admin"}};
  auto h = admin;
  h["content-type"] = "text/plain";
  Response r = Do("POST", "/api/v1/items", h, "{}");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(Code(r), "unsupported_media_type");
  h["content-type"] = "Application/JSON; charset=utf-8";
  EXPECT_EQ(Do("POST", "/api/v1/items", h, "{}").status, 200);
  EXPECT_EQ(Do("POST", "/api/v1/items", admin, "").status, 200);  // no body, no type needed
  // Anonymous callers get 401 first, not 415.
  EXPECT_EQ(Do("POST", "/api/v1/items", {{"content-type", "text/plain"}}, "{}").status, 401);
}

TEST_F(DispatcherTest, HandlerExceptionIsGeneric500) {
  Response r = Do("GET", "/api/v1/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(Code(r), "internal");
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
}

TEST_F(DispatcherTest, HandlerStatusBecomesErrorShape) {
  Response r = Do("GET", "/api/v1/conflict");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, R"({"error":{"code":"already_exists","message":"name taken","field":"name"}})");
}

TEST_F(DispatcherTest, BadTargetIs400) {
  Response r = Do("GET", "/api/v1/items/%zz");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Code(r), "invalid_argument");
}

TEST_F(DispatcherTest, SecurityHeadersOnEveryAnswer) {
  for (const Response& r :
       {Do("GET", "/api/v1/items/1"), Do("GET", "/healthz"), Do("GET", "/api/v1/nothing")}) {
    EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(r, "X-Frame-Options"), "DENY");
    EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "no-referrer");
  }
  EXPECT_EQ(HeaderOf(Do("GET", "/api/v1/items/1"), "Cache-Control"), "no-store");
  EXPECT_EQ(HeaderOf(Do("GET", "/healthz"), "Cache-Control"), "<absent>");
}

TEST_F(DispatcherTest, HeadUsesGetRoute) {
  Response r = Do("HEAD", "/healthz");
  EXPECT_EQ(r.status, 200);
}

TEST_F(DispatcherTest, MetricsLabelledByPattern) {
  Do("GET", "/api/v1/items/1", {{"authorization", "Bearer viewer"}});
  Do("GET", "/api/v1/items/2", {{"authorization", "Bearer viewer"}});
  Do("GET", "/api/v1/items/3");
  Do("GET", "/api/v1/random/path/123");
  Do("BREW", "/healthz");
  std::string text = registry_.RenderText();
  EXPECT_NE(
      text.find(
          R"(failsafe_http_requests_total{route="/api/v1/items/{id}",method="GET",status="200"} 2)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          R"(failsafe_http_requests_total{route="/api/v1/items/{id}",method="GET",status="401"} 1)"),
      std::string::npos);
  EXPECT_NE(text.find(R"(route="unmatched",method="GET",status="404"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(route="unmatched",method="OTHER",status="405"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(failsafe_http_request_seconds_count{route="/api/v1/items/{id}"} 3)"),
            std::string::npos);
  EXPECT_EQ(text.find("/api/v1/items/1"), std::string::npos);
  EXPECT_EQ(text.find("random"), std::string::npos);
}

TEST_F(DispatcherTest, FallbackServesUnmatchedPathsOnly) {
  dispatcher_.SetFallback([](Request& r) -> std::optional<Response> {
    if (r.path.starts_with("/api/")) return std::nullopt;
    return Response::Text("console", "text/html; charset=utf-8");
  });
  Response page = Do("GET", "/incidents/INC-1");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "console");
  EXPECT_EQ(Do("GET", "/api/v1/nothing").status, 404);
  EXPECT_EQ(Do("PUT", "/healthz").status, 405);
  EXPECT_NE(registry_.RenderText().find(R"(route="fallback")"), std::string::npos);
}

}  // namespace
}  // namespace failsafe::server
