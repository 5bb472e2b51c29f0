// TOTP enrolment, login with codes and recovery codes, replay, and totp_required accounts.
#include <gtest/gtest.h>

#include "auth/route_test_fixture.h"
#include "auth/totp.h"
#include "base/encoding.h"

namespace failsafe::auth::testing {
namespace {

class TotpRoutesTest : public RouteFixture {
 protected:
  // Enrols and confirms TOTP for the session `c`; returns the raw secret and fills `recovery`.
  std::string Enable(Client& c, std::vector<std::string>* recovery = nullptr) {
    Reply enrolled = Call("POST", "/api/v1/auth/totp/enroll", "", &c);
    EXPECT_EQ(enrolled.status, 200) << enrolled.body;
    const std::string b32(enrolled.Json().at("secret").as_string());
    const std::string uri(enrolled.Json().at("otpauth_uri").as_string());
    EXPECT_EQ(uri.rfind("otpauth://totp/failsafe:", 0), 0u) << uri;
    EXPECT_NE(uri.find("secret=" + b32), std::string::npos);
    EXPECT_NE(uri.find("issuer=failsafe"), std::string::npos);
    const std::string secret = Base32Decode(b32).value_or("");
    EXPECT_EQ(secret.size(), 20u);

    Reply wrong = Call("POST", "/api/v1/auth/totp/confirm", R"({"code":"000000"})", &c);
    if (Code(secret) != "000000") {
      EXPECT_EQ(wrong.status, 400);
      EXPECT_EQ(wrong.ErrorField(), "code");
    }
    Reply confirmed =
        Call("POST", "/api/v1/auth/totp/confirm", R"({"code":")" + Code(secret) + R"("})", &c);
    EXPECT_EQ(confirmed.status, 200) << confirmed.body;
    if (recovery) {
      const boost::json::value body = confirmed.Json();
      for (const auto& v : body.at("recovery_codes").as_array()) {
        recovery->emplace_back(v.as_string());
      }
    }
    return secret;
  }

  std::string Code(const std::string& secret, int64_t offset_steps = 0) {
    return TotpCode(secret, TotpStep(clock_.NowMillis()) + offset_steps);
  }

  void NextStep() { clock_.Advance(std::chrono::seconds(30)); }
};

TEST_P(TotpRoutesTest, EnrolConfirmAndLoginWithCodes) {
  CreateUser("tina", "responder");
  Client c = LoggedIn("tina", kUserPassword);
  std::vector<std::string> recovery;
  const std::string secret = Enable(c, &recovery);
  EXPECT_EQ(recovery.size(), 10u);
  NextStep();

  Client fresh;
  Reply missing = Login(fresh, "tina", kUserPassword);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.ErrorField(), "totp");
  Reply wrong = Login(fresh, "tina", kUserPassword, Code(secret, 5));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.ErrorField(), "totp");

  const std::string code = Code(secret);
  Reply ok = Login(fresh, "tina", kUserPassword, code);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json().at("user").at("totp_enabled"), true);
  // The same code (same time step) is refused the second time.
  Client replay;
  Reply replayed = Login(replay, "tina", kUserPassword, code);
  EXPECT_EQ(replayed.status, 401);
  EXPECT_EQ(replayed.ErrorField(), "totp");
  NextStep();
  EXPECT_EQ(Login(replay, "tina", kUserPassword, Code(secret)).status, 200);
}

TEST_P(TotpRoutesTest, RecoveryCodesWorkOnce) {
  CreateUser("rita", "viewer");
  Client c = LoggedIn("rita", kUserPassword);
  std::vector<std::string> recovery;
  Enable(c, &recovery);
  ASSERT_FALSE(recovery.empty());

  Client a;
  EXPECT_EQ(Login(a, "rita", kUserPassword, recovery[0]).status, 200);
  Client b;
  Reply again = Login(b, "rita", kUserPassword, recovery[0]);
  EXPECT_EQ(again.status, 401);
  EXPECT_EQ(again.ErrorField(), "totp");
  // Upper case without the dash is the same code.
  std::string other = recovery[1];
  other.erase(5, 1);
  for (char& ch : other) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(Login(b, "rita", kUserPassword, other).status, 200);
}

TEST_P(TotpRoutesTest, DisableNeedsAValidCode) {
  CreateUser("dora", "viewer");
  Client c = LoggedIn("dora", kUserPassword);
  const std::string secret = Enable(c);
  NextStep();
  Reply bad = Call("POST", "/api/v1/auth/totp/disable", R"({"code":"12345"})", &c);
  EXPECT_EQ(bad.status, 400);
  Reply ok = Call("POST", "/api/v1/auth/totp/disable", R"({"code":")" + Code(secret) + R"("})", &c);
  EXPECT_EQ(ok.status, 204) << ok.body;
  Client fresh;
  EXPECT_EQ(Login(fresh, "dora", kUserPassword).status, 200);  // no code needed any more
}

TEST_P(TotpRoutesTest, RequiredTotpGivesAPendingSessionUntilEnrolled) {
  const int64_t id = CreateUser("pat", "responder");
  Client admin = Admin();
  Reply patched =
      Call("PATCH", "/api/v1/users/" + std::to_string(id), R"({"totp_required":true})", &admin);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json().at("totp_required"), true);

  Client pat;
  Reply login = Login(pat, "pat", kUserPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.Json().at("totp_enrollment_required"), true);
  Reply me = Call("GET", "/api/v1/me", "", &pat);
  EXPECT_EQ(me.status, 403) << me.body;  // pending-2fa may only enrol
  EXPECT_EQ(Call("GET", "/api/v1/tokens", "", &pat).status, 403);

  const std::string secret = Enable(pat);
  Reply after = Call("GET", "/api/v1/me", "", &pat);
  EXPECT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.Json().at("effective_role"), "responder");
  // Required TOTP cannot be switched off by the user.
  NextStep();
  EXPECT_EQ(Call("POST", "/api/v1/auth/totp/disable", R"({"code":")" + Code(secret) + R"("})", &pat)
                .status,
            409);
}

TEST_P(TotpRoutesTest, SeedIsSealedAtRest) {
  CreateUser("sam", "viewer");
  Client c = LoggedIn("sam", kUserPassword);
  const std::string secret = Enable(c);
  std::string stored;
  ASSERT_TRUE(db_.store()
                  .Read([&](store::Tx& tx) -> Status {
                    auto row = tx.QueryOne("SELECT totp_secret FROM users WHERE username = 'sam'");
                    if (!row || !*row) return Internal("no row");
                    stored = (*row)->Text(0);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(stored.rfind("v1:", 0), 0u);
  EXPECT_EQ(stored.find(Base32Encode(secret)), std::string::npos);
  EXPECT_EQ(stored.find(Base64Encode(secret)), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, TotpRoutesTest,
                         ::testing::Values(store::Engine::kSqlite, store::Engine::kPostgres),
                         EngineTestName);

}  // namespace
}  // namespace failsafe::auth::testing
