// Sessions, CSRF, tokens, lockout and the password policy, through the real server.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/fixture.h"

namespace failsafe::testing {
namespace {

namespace bj = boost::json;

class AuthFlow : public ServerFixture {};

TEST_F(AuthFlow, LoginSetsAStrictHttpOnlyCookieAndCsrfGuardsWrites) {
  HttpClient client = AnonymousClient();
  auto login = client.Login("admin", kAdminPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  std::string cookie = login.headers["set-cookie"];
  EXPECT_NE(cookie.find("failsafe_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_FALSE(client.csrf_token().empty());

  EXPECT_EQ(client.Get("/api/v1/me").status, 200);

  client.set_send_csrf(false);
  auto refused = client.Post("/api/v1/tokens", R"({"name":"no-csrf"})");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "permission_denied");

  client.set_send_csrf(true);
  auto accepted = client.Post("/api/v1/tokens", R"({"name":"with-csrf"})");
  EXPECT_EQ(accepted.status, 201) << accepted.body;

  EXPECT_EQ(client.Post("/api/v1/auth/logout", "").status / 100, 2);
  EXPECT_EQ(client.Get("/api/v1/me").status, 401);
}

TEST_F(AuthFlow, TokensAreShownOnceListedWithoutSecretAndRevocable) {
  HttpClient admin = AdminClient();
  auto created =
      admin.Post("/api/v1/tokens", R"({"name":"ci-bot","role":"viewer","expires_in":"1d"})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string token(created.Json().at("token").as_string());
  int64_t id = created.Json().at("id").to_number<int64_t>();
  EXPECT_EQ(token.rfind("fst_", 0), 0u);

  auto list = admin.Get("/api/v1/tokens?all=true");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(token), std::string::npos) << "token text must never be listed";

  HttpClient bot(server().address());
  bot.SetBearer(token);
  EXPECT_EQ(bot.Get("/api/v1/me").status, 200);
  // A viewer token cannot write.
  EXPECT_EQ(bot.Post("/api/v1/users", R"({"username":"x","password":"y","role":"viewer"})").status,
            403);

  EXPECT_EQ(admin.Delete("/api/v1/tokens/" + std::to_string(id)).status, 204);
  auto after = bot.Get("/api/v1/me");
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.ErrorCode(), "unauthenticated");
}

TEST_F(AuthFlow, BogusTokensAreRejectedWithTheErrorShape) {
  for (const std::string& bogus :
       std::vector<std::string>{"fst_nope", "garbage", "", "fst_" + std::string(400, 'A')}) {
    HttpClient c(server().address());
    auto r = c.Send("GET", "/api/v1/me", "", {{"authorization", "Bearer " + bogus}});
    EXPECT_EQ(r.status, 401) << bogus;
    EXPECT_EQ(r.ErrorCode(), "unauthenticated") << r.body;
  }
}

TEST_F(AuthFlow, PasswordPolicyNamesTheField) {
  HttpClient admin = AdminClient();
  for (std::string weak : {"short", "password1234", "aaaaaaaaaaaaaaaa"}) {
    bj::object body{{"username", "weakling"}, {"password", weak}, {"role", "viewer"}};
    auto r = admin.Post("/api/v1/users", bj::serialize(body));
    EXPECT_EQ(r.status, 400) << weak << " " << r.body;
    EXPECT_EQ(r.Json().at("error").at("field"), "password") << r.body;
  }
}

TEST_F(AuthFlow, RepeatedFailuresLockTheAccount) {
  HttpClient setup = ClientForNewUser("locky", "viewer");
  HttpClient client = AnonymousClient();
  int last = 0;
  for (int i = 0; i < 5; ++i) last = client.Login("locky", "Wrong-Password-123456").status;
  EXPECT_EQ(last, 401);
  auto locked = client.Login("locky", kUserPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_FALSE(locked.headers["retry-after"].empty());
  // The lockout is audited.
  HttpClient admin = AdminClient();
  auto audit = admin.Get("/api/v1/audit?action=auth.login_failed&limit=50");
  ASSERT_EQ(audit.status, 200);
  EXPECT_NE(audit.body.find("locky"), std::string::npos);
  EXPECT_EQ(audit.body.find("Wrong-Password-123456"), std::string::npos);
}

TEST_F(AuthFlow, UnknownUserAndWrongPasswordLookTheSame) {
  HttpClient client = AnonymousClient();
  auto unknown = client.Login("nobody-here", "Some-Password-12345");
  auto wrong = client.Login("admin", "Some-Password-12345");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.Json().at("error").at("message"), wrong.Json().at("error").at("message"));
}

TEST_F(AuthFlow, ChangesAreAuditedAndTheChainVerifies) {
  HttpClient admin = AdminClient();
  ClientForNewUser("audited", "responder");
  auto audit = admin.Get("/api/v1/audit?limit=200");
  ASSERT_EQ(audit.status, 200);
  EXPECT_NE(audit.body.find("user.create"), std::string::npos) << audit.body;
  EXPECT_EQ(audit.body.find(kUserPassword), std::string::npos);
  auto verify = admin.Get("/api/v1/audit/verify");
  ASSERT_EQ(verify.status, 200);
  EXPECT_EQ(verify.Json().at("ok"), true) << verify.body;
}

}  // namespace
}  // namespace failsafe::testing
