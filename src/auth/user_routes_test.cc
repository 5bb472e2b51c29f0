// Users, tokens and audit routes: roles, last-admin protection, disabling, audit trail.
#include <gtest/gtest.h>

#include "auth/password.h"
#include "auth/route_test_fixture.h"

namespace failsafe::auth::testing {
namespace {

class UserRoutesTest : public RouteFixture {};

TEST_P(UserRoutesTest, AdminCreatesListsAndReadsUsers) {
  Client admin = Admin();
  Reply created =
      Call("POST", "/api/v1/users",
           R"({"username":"Alice.Ops","password":")" + kUserPassword +
               R"(","role":"responder","display_name":"Alice","email":"a@example.com"})",
           &admin);
  ASSERT_EQ(created.status, 201) << created.body;
  auto user = created.Json();
  EXPECT_EQ(user.at("username"), "alice.ops");  // lower-cased
  EXPECT_EQ(user.at("role"), "responder");
  EXPECT_EQ(created.body.find("password"), std::string::npos);
  EXPECT_EQ(created.body.find("totp_secret"), std::string::npos);

  Reply dup = Call(
      "POST", "/api/v1/users",
      R"({"username":"alice.ops","password":")" + kUserPassword + R"(","role":"viewer"})", &admin);
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.ErrorField(), "username");

  for (int i = 0; i < 3; ++i) CreateUser("u" + std::to_string(i), "viewer");
  Reply page1 = Call("GET", "/api/v1/users?limit=2", "", &admin);
  ASSERT_EQ(page1.status, 200) << page1.body;
  EXPECT_EQ(page1.Json().at("items").as_array().size(), 2u);
  const std::string cursor(page1.Json().at("next_cursor").as_string());
  Reply page2 = Call("GET", "/api/v1/users?limit=10&cursor=" + cursor, "", &admin);
  ASSERT_EQ(page2.status, 200) << page2.body;
  EXPECT_EQ(page2.Json().at("items").as_array().size(), 3u);  // 5 users in all
  EXPECT_TRUE(page2.Json().at("next_cursor").is_null());

  const int64_t id = user.at("id").to_number<int64_t>();
  EXPECT_EQ(Call("GET", "/api/v1/users/" + std::to_string(id), "", &admin).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/users/987654321", "", &admin).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/users/abc", "", &admin).status, 404);
}

TEST_P(UserRoutesTest, CreateUserValidatesEveryField) {
  Client admin = Admin();
  struct Case {
    std::string body, field;
  };
  const Case cases[] = {
      {R"({"username":"bad name","password":"Staple-Orbit-Lantern-77","role":"viewer"})",
       "username"},
      {R"({"username":"","password":"Staple-Orbit-Lantern-77","role":"viewer"})", "username"},
      {R"({"username":"ok","password":"Staple-Orbit-Lantern-77","role":"root"})", "role"},
      {R"({"username":"ok","password":"short","role":"viewer"})", "password"},
      {R"({"username":"ok","password":"password1234","role":"viewer"})", "password"},
      {R"({"username":"ok","password":"aaaaaaaaaaaaaaaa","role":"viewer"})", "password"},
      {R"({"username":"ok","password":"Staple-Orbit-Lantern-77","role":"viewer","email":"x"})",
       "email"},
      {R"({"username":"ok","password":"Staple-Orbit-Lantern-77","role":"viewer","admin":true})",
       "admin"},
      {R"({"username":"ok","password":12,"role":"viewer"})", "password"},
  };
  for (const auto& c : cases) {
    Reply r = Call("POST", "/api/v1/users", c.body, &admin);
    EXPECT_EQ(r.status, 400) << c.body << " " << r.body;
    EXPECT_EQ(r.ErrorField(), c.field) << c.body << " " << r.body;
  }
}

TEST_P(UserRoutesTest, ViewerAndResponderCannotManageUsers) {
  CreateUser("vic", "viewer");
  CreateUser("rob", "responder");
  for (const char* name : {"vic", "rob"}) {
    Client c = LoggedIn(name, kUserPassword);
    Reply r =
        Call("POST", "/api/v1/users",
             R"({"username":"evil","password":")" + kUserPassword + R"(","role":"admin"})", &c);
    EXPECT_EQ(r.status, 403) << name;
    EXPECT_EQ(Call("GET", "/api/v1/users", "", &c).status, 403) << name;
    EXPECT_EQ(Call("GET", "/api/v1/audit", "", &c).status, 403) << name;
    EXPECT_EQ(Call("PATCH", "/api/v1/users/1", R"({"role":"viewer"})", &c).status, 403) << name;
    EXPECT_EQ(Call("GET", "/api/v1/tokens?all=true", "", &c).status, 403) << name;
  }
}

TEST_P(UserRoutesTest, TokenRoleCannotExceedTheOwners) {
  CreateUser("rob", "responder");
  Client rob = LoggedIn("rob", kUserPassword);
  Reply admin_token = Call("POST", "/api/v1/tokens", R"({"name":"up","role":"admin"})", &rob);
  EXPECT_EQ(admin_token.status, 403) << admin_token.body;
  Reply default_role = Call("POST", "/api/v1/tokens", R"({"name":"mine"})", &rob);
  ASSERT_EQ(default_role.status, 201);
  EXPECT_EQ(default_role.Json().at("role"), "responder");
  Client viewer_token = TokenClient(rob, "viewer");
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &viewer_token).Json().at("effective_role"), "viewer");

  // expires_in: duration or seconds, at most a year.
  EXPECT_EQ(Call("POST", "/api/v1/tokens", R"({"name":"s","expires_in":3600})", &rob).status, 201);
  Reply too_long = Call("POST", "/api/v1/tokens", R"({"name":"l","expires_in":"400d"})", &rob);
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(too_long.ErrorField(), "expires_in");
  EXPECT_EQ(Call("POST", "/api/v1/tokens", R"({"name":"b","expires_in":"soon"})", &rob).status,
            400);
  EXPECT_EQ(Call("POST", "/api/v1/tokens", R"({"name":"n","expires_in":-5})", &rob).status, 400);
}

TEST_P(UserRoutesTest, TokensAreOwnedAndListedWithoutSecrets) {
  CreateUser("rob", "responder");
  Client rob = LoggedIn("rob", kUserPassword);
  Client admin = Admin();
  Reply robs = Call("POST", "/api/v1/tokens", R"({"name":"robs"})", &rob);
  ASSERT_EQ(robs.status, 201);
  const std::string text(robs.Json().at("token").as_string());
  const int64_t id = robs.Json().at("id").to_number<int64_t>();
  Call("POST", "/api/v1/tokens", R"({"name":"admins"})", &admin);

  Reply own = Call("GET", "/api/v1/tokens", "", &rob);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(own.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(own.body.find(text), std::string::npos);
  EXPECT_EQ(own.body.find("hash"), std::string::npos);
  Reply all = Call("GET", "/api/v1/tokens?all=true", "", &admin);
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.Json().at("items").as_array().size(), 2u);

  // Someone else's token is not found for a non-admin; an admin may revoke any.
  Reply admins_list = Call("GET", "/api/v1/tokens", "", &admin);
  const int64_t admin_token_id =
      admins_list.Json().at("items").as_array()[0].at("id").to_number<int64_t>();
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + std::to_string(admin_token_id), "", &rob).status,
            404);
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/" + std::to_string(id), "", &admin).status, 204);
  Client bot;
  bot.bearer = text;
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &bot).status, 401);
}

TEST_P(UserRoutesTest, LastActiveAdminCannotBeDemotedOrDisabled) {
  Client admin = Admin();
  Reply demote = Call("PATCH", "/api/v1/users/1", R"({"role":"viewer"})", &admin);
  EXPECT_EQ(demote.status, 409) << demote.body;
  Reply disable = Call("PATCH", "/api/v1/users/1", R"({"disabled":true})", &admin);
  EXPECT_EQ(disable.status, 409) << disable.body;

  const int64_t second = CreateUser("second-admin", "admin");
  ASSERT_GT(second, 0);
  Reply ok = Call("PATCH", "/api/v1/users/1", R"({"role":"responder"})", &admin);
  EXPECT_EQ(ok.status, 200) << ok.body;
  // The demotion applies to the running session at once.
  EXPECT_EQ(Call("GET", "/api/v1/users", "", &admin).status, 403);
  Client second_admin = LoggedIn("second-admin", kUserPassword);
  EXPECT_EQ(Call("PATCH", "/api/v1/users/" + std::to_string(second), R"({"disabled":true})",
                 &second_admin)
                .status,
            409);
}

TEST_P(UserRoutesTest, DisablingRevokesSessionsAndTokens) {
  const int64_t id = CreateUser("dan", "responder");
  Client dan = LoggedIn("dan", kUserPassword);
  Client dan_bot = TokenClient(dan, "responder");
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &dan_bot).status, 200);  // now cached

  Client admin = Admin();
  Reply off = Call("PATCH", "/api/v1/users/" + std::to_string(id), R"({"disabled":true})", &admin);
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &dan).status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &dan_bot).status, 401);
  Client again;
  EXPECT_EQ(Login(again, "dan", kUserPassword).status, 401);

  // Re-enabling does not bring revoked credentials back.
  ASSERT_EQ(
      Call("PATCH", "/api/v1/users/" + std::to_string(id), R"({"disabled":false})", &admin).status,
      200);
  EXPECT_EQ(Call("GET", "/api/v1/me", "", &dan_bot).status, 401);
  EXPECT_EQ(Login(again, "dan", kUserPassword).status, 200);
}

TEST_P(UserRoutesTest, AdminPasswordResetUnlocksAndPasswordNeverLogged) {
  const int64_t id = CreateUser("lou", "viewer");
  Client c;
  for (int i = 0; i < settings_.lockout_threshold; ++i) Login(c, "lou", "Wrong-Password-123456");
  EXPECT_EQ(Login(c, "lou", kUserPassword).status, 429);
  Client admin = Admin();
  Reply reset = Call("PATCH", "/api/v1/users/" + std::to_string(id),
                     R"({"password":"Fresh-Meadow-Lamp-93"})", &admin);
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(Login(c, "lou", "Fresh-Meadow-Lamp-93").status, 200);

  Reply audit = Call("GET", "/api/v1/audit?limit=500", "", &admin);
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.body.find("Fresh-Meadow-Lamp-93"), std::string::npos);
  EXPECT_EQ(audit.body.find("Wrong-Password-123456"), std::string::npos);
  EXPECT_EQ(audit.body.find(kUserPassword), std::string::npos);
  EXPECT_NE(audit.body.find("password_reset"), std::string::npos);
}

TEST_P(UserRoutesTest, EveryChangeIsAuditedAndTheChainVerifies) {
  Client admin = Admin();
  const int64_t id = CreateUser("eve", "responder");
  Client eve = LoggedIn("eve", kUserPassword);
  Reply token = Call("POST", "/api/v1/tokens", R"({"name":"eve-bot"})", &eve);
  ASSERT_EQ(token.status, 201);
  const std::string token_text(token.Json().at("token").as_string());
  const int64_t token_id = token.Json().at("id").to_number<int64_t>();
  Call("DELETE", "/api/v1/tokens/" + std::to_string(token_id), "", &eve);
  Call("PATCH", "/api/v1/users/" + std::to_string(id), R"({"role":"viewer"})", &admin);
  Client bad;
  Login(bad, "eve", "Wrong-Password-123456");
  Call("POST", "/api/v1/auth/logout", "", &eve);

  Reply audit = Call("GET", "/api/v1/audit?limit=500", "", &admin);
  ASSERT_EQ(audit.status, 200) << audit.body;
  for (const char* action : {"user.create", "auth.login", "token.create", "token.revoke",
                             "user.update", "auth.login_failed", "auth.logout"}) {
    EXPECT_NE(audit.body.find(std::string("\"") + action + "\""), std::string::npos) << action;
  }
  EXPECT_EQ(audit.body.find(token_text), std::string::npos);
  EXPECT_EQ(audit.body.find(kUserPassword), std::string::npos);
  EXPECT_EQ(audit.body.find(kAdminPassword), std::string::npos);

  Reply filtered = Call("GET", "/api/v1/audit?action=auth.login_failed", "", &admin);
  ASSERT_EQ(filtered.status, 200);
  const boost::json::value filtered_body = filtered.Json();
  const auto& items = filtered_body.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("actor"), "eve");
  EXPECT_EQ(Call("GET", "/api/v1/audit?actor=eve&limit=2", "", &admin)
                .Json()
                .at("items")
                .as_array()
                .size(),
            2u);
  EXPECT_EQ(Call("GET", "/api/v1/audit?since=yesterday", "", &admin).status, 400);

  Reply verify = Call("GET", "/api/v1/audit/verify", "", &admin);
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(verify.Json().at("ok"), true) << verify.body;
  EXPECT_GE(verify.Json().at("entries_checked").to_number<int64_t>(), 8);
}

TEST_P(UserRoutesTest, EnsureAdminOnlyOnAnEmptyStore) {
  auto again = module_->EnsureAdmin(std::nullopt);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());

  TestStore other(GetParam());
  ASSERT_TRUE(other.status().ok());
  metrics::Registry other_metrics;
  auto module = AuthModule::Create(other.store(), clock_,
                                   KeyFiles{std::string(32, 's'), std::string(32, 'a')}, settings_,
                                   other_metrics);
  ASSERT_TRUE(module);
  EXPECT_FALSE((*module)->EnsureAdmin(std::string("password123456")));  // policy applies
  auto generated = (*module)->EnsureAdmin(std::nullopt);
  ASSERT_TRUE(generated) << generated.error().ToString();
  ASSERT_TRUE(generated->has_value());
  EXPECT_TRUE(CheckPasswordPolicy(**generated, "admin").ok());
  EXPECT_FALSE((*module)->EnsureAdmin(std::nullopt)->has_value());  // only once
}

INSTANTIATE_TEST_SUITE_P(Engines, UserRoutesTest,
                         ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres),
                         EngineTestName);

}  // namespace
}  // namespace failsafe::auth::testing
