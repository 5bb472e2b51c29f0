// Sessions, CSRF, bearer tokens, lockout and throttling through the real dispatcher.
#include <gtest/gtest.h>

#include "auth/route_test_fixture.h"

namespace failsafe::auth::testing {
namespace {

class LoginRoutesTest : public RouteFixture {};

TEST_P(LoginRoutesTest, LoginSetsStrictHttpOnlyCookieAndReturnsCsrfToken) {
  Client c;
  Reply r = Login(c, "admin", kAdminPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string cookie = r.Header("Set-Cookie");
  EXPECT_EQ(cookie.rfind("failsafe_session=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // not asked for
  EXPECT_FALSE(c.csrf.empty());
  EXPECT_EQ(c.cookie.size(), 43u);
  auto body = r.Json();
  EXPECT_EQ(body.at("user").at("username"), "admin");
  EXPECT_EQ(body.at("user").at("role"), "admin");
  EXPECT_EQ(body.at("totp_enrollment_required"), false);
  EXPECT_EQ(r.body.find("password_hash"), std::string::npos);
  EXPECT_EQ(r.body.find(kAdminPassword), std::string::npos);
}

TEST_P(LoginRoutesTest, SessionWritesNeedTheCsrfToken) {
  Client c = Admin();
  Reply me = Call("GET", "/api/v1/me", "", &c);
  EXPECT_EQ(me.status, 200);  // reads need no token
  // A reloaded console gets its session's token back from /me.
  const boost::json::value me_json = me.Json();
  EXPECT_EQ(me_json.at("csrf_token").as_string(), c.csrf) << me.body;
  Client token = TokenClient(c, "viewer");
  Reply by_token = Call("GET", "/api/v1/me", "", &token);
  EXPECT_EQ(by_token.body.find("csrf_token"), std::string::npos) << by_token.body;

  c.send_csrf = false;
  Reply refused = Call("POST", "/api/v1/tokens", R"({"name":"no-csrf"})", &c);
  EXPECT_EQ(refused.status, 403) << refused.body;

  Client wrong = c;
  wrong.send_csrf = true;
  wrong.csrf = "not-the-token";
  EXPECT_EQ(Call("POST", "/api/v1/tokens", R"({"name":"bad-csrf"})", &wrong).status, 403);

  c.send_csrf = true;
  Reply accepted = Call("POST", "/api/v1/tokens", R"({"name":"with-csrf"})", &c);
  EXPECT_EQ(accepted.status, 201) << accepted.body;

  // Another session's CSRF token does not fit this session.
  Client other = Admin();
  Client mixed = c;
  mixed.csrf = other.csrf;
  EXPECT_EQ(Call("POST", "/api/v1/tokens", R"({"name":"mixed"})", &mixed).status, 403);
}

TEST_P(LoginRoutesTest, LogoutRevokesTheSessionAndClearsTheCookie) {
  Client c = Admin();
  Reply out = Call("POST", "/api/v1/auth/logout", "", &c);
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_NE(out.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  Reply me = Call("GET", "/api/v1/me", "", &c);
  EXPECT_EQ(me.status, 401);
}

TEST_P(LoginRoutesTest, SessionsExpireWhenIdleAndAtMaxAge) {
  Client c = Admin();
  clock_.Advance(settings_.session_idle_timeout - std::chrono::minutes(1));
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &c).status, 200);  // refreshes last_seen_at
  clock_.Advance(settings_.session_idle_timeout - std::chrono::minutes(1));
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &c).status, 200);
  clock_.Advance(settings_.session_idle_timeout + std::chrono::minutes(1));
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &c).status, 401);

  Client busy = Admin();  // active every 11 h, which never idles out
  int hours = 0;
  while (hours + 11 < 24 * 7) {
    clock_.Advance(std::chrono::hours(11));
    hours += 11;
    ASSERT_EQ(Call("GET", "/api/v1/me", "", &busy).status, 200) << hours;
  }
  clock_.Advance(std::chrono::hours(11));  // past the 7-day max age
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &busy).status, 401);
}

TEST_P(LoginRoutesTest, BearerTokensWorkUntilRevokedOrExpired) {
  Client admin = Admin();
  Reply created =
      Call("POST", "/api/v1/tokens", R"({"name":"ci","role":"viewer","expires_in":"1h"})", &admin);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token(created.Json().at("token").as_string());
  const int64_t id = created.Json().at("id").to_number<int64_t>();
  EXPECT_EQ(token.rfind("fst_", 0), 0u);
  EXPECT_EQ(created.Json().at("role"), "viewer");

  Client bot;
  bot.bearer = token;
  Reply me = Call("GET", "/api/v1/me", "", &bot);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json().at("effective_role"), "viewer");
  EXPECT_EQ(me.Json().at("auth"), "token");
  // Bearer requests need no CSRF token, but a viewer token cannot write.
  EXPECT_EQ(
      Call("POST", "/api/v1/users", R"({"username":"x","password":"y","role":"viewer"})", &bot)
          .status,
      403);

  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + std::to_string(id), "", &admin).status, 204);
  Reply revoked = Call("GET", "/api/v1/me", "", &bot);  // the cache was invalidated at once
  EXPECT_EQ(revoked.status, 401);
  EXPECT_NE(revoked.ErrorMessage().find("revoked"), std::string::npos) << revoked.body;

  Client short_lived = TokenClient(admin, "viewer", "1h");
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &short_lived).status, 200);
  clock_.Advance(std::chrono::minutes(61));
  Reply expired = Call("GET", "/api/v1/me", "", &short_lived);
  EXPECT_EQ(expired.status, 401);
}

TEST_P(LoginRoutesTest, MalformedOrUnknownCredentialsAre401) {
  for (std::string bogus : {std::string("fst_nope"), std::string("garbage"), std::string(""),
                            "fst_" + std::string(400, 'A'), "fst_" + std::string(43, 'A')}) {
    Client c;
    c.bearer = bogus.empty() ? " " : bogus;
    Reply r = Call("GET", "/api/v1/me", "", &c);
    EXPECT_EQ(r.status, 401) << bogus << " " << r.body;
  }
  Client cookie;
  cookie.cookie = "not-a-session";
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &cookie).status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/me", "").status, 401);  // no credentials at all
  // A stale cookie does not stand in the way of logging in again.
  Reply login = Login(cookie, "admin", kAdminPassword);
  EXPECT_EQ(login.status, 200) << login.body;
}

TEST_P(LoginRoutesTest, UnknownUserAndWrongPasswordLookTheSame) {
  Client c;
  Reply unknown = Login(c, "nobody-here", "Some-Password-12345");
  Reply wrong = Login(c, "admin", "Some-Password-12345");
  Reply invalid_name = Login(c, "Not A Name!", "Some-Password-12345");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(invalid_name.status, 401);
  EXPECT_EQ(unknown.body, wrong.body);
  EXPECT_EQ(invalid_name.body, wrong.body);
}

TEST_P(LoginRoutesTest, LockoutAfterRepeatedFailuresThenUnlocks) {
  CreateUser("locky", "viewer");
  Client c;
  c.addr = "10.0.0.2";
  for (int i = 0; i < settings_.lockout_threshold; ++i) {
    EXPECT_EQ(Login(c, "locky", "Wrong-Password-123456").status, 401);
  }
  Reply locked = Login(c, "locky", kUserPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.Json().at("error").at("code"), "too_many_requests");
  const int retry = std::stoi(locked.Header("Retry-After"));
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 15 * 60);

  clock_.Advance(settings_.lockout_duration + std::chrono::seconds(1));
  EXPECT_EQ(Login(c, "locky", kUserPassword).status, 200);
  // Success reset the counter: one more failure does not lock again.
  EXPECT_EQ(Login(c, "locky", "Wrong-Password-123456").status, 401);
  EXPECT_EQ(Login(c, "locky", kUserPassword).status, 200);
}

TEST_P(LoginRoutesTest, TooManyFailuresFromOneAddressAreThrottled) {
  Client c;
  c.addr = "192.0.2.7";
  for (int i = 0; i < settings_.ip_failure_limit; ++i) {
    EXPECT_EQ(Login(c, "ghost" + std::to_string(i), "Some-Password-12345").status, 401);
  }
  Reply throttled = Login(c, "admin", kAdminPassword);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_FALSE(throttled.Header("Retry-After").empty());
  Client elsewhere;
  elsewhere.addr = "192.0.2.8";
  EXPECT_EQ(Login(elsewhere, "admin", kAdminPassword).status, 200);
  clock_.Advance(settings_.ip_failure_window + std::chrono::seconds(1));
  EXPECT_EQ(Login(c, "admin", kAdminPassword).status, 200);
}

TEST_P(LoginRoutesTest, PasswordChangeAppliesPolicyAndRevokesOtherSessions) {
  CreateUser("carol", "responder");
  Client first = LoggedIn("carol", kUserPassword);
  Client second = LoggedIn("carol", kUserPassword);

  Reply weak = Call(
      "POST", "/api/v1/me/password",
      R"({"current_password":")" + kUserPassword + R"(","new_password":"password123456"})", &first);
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.ErrorField(), "new_password");
  Reply wrong = Call(
      "POST", "/api/v1/me/password",
      R"({"current_password":"nope-nope-nope","new_password":"Quiet-River-Stone-81"})", &first);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.ErrorField(), "current_password");

  Reply ok = Call(
      "POST", "/api/v1/me/password",
      R"({"current_password":")" + kUserPassword + R"(","new_password":"Quiet-River-Stone-81"})",
      &first);
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &first).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &second).status, 401);
  Client fresh;
  EXPECT_EQ(Login(fresh, "carol", kUserPassword).status, 401);
  EXPECT_EQ(Login(fresh, "carol", "Quiet-River-Stone-81").status, 200);
}

TEST_P(LoginRoutesTest, BadBodiesAreClear400s) {
  Client c;
  Reply not_json = Call("POST", "/api/v1/auth/login", "{not json", &c);
  EXPECT_EQ(not_json.status, 400);
  Reply unknown =
      Call("POST", "/api/v1/auth/login", R"({"username":"admin","password":"x","extra":1})", &c);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.ErrorField(), "extra");
  Reply missing = Call("POST", "/api/v1/auth/login", R"({"username":"admin"})", &c);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.ErrorField(), "password");
}

INSTANTIATE_TEST_SUITE_P(Engines, LoginRoutesTest,
                         ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres),
                         EngineTestName);

}  // namespace
}  // namespace failsafe::auth::testing
