#include "auth/totp.h"

#include <gtest/gtest.h>

#include <set>

#include "base/encoding.h"

namespace failsafe::auth {
namespace {

constexpr std::string_view kRfcKey = "12345678901234567890";  // RFC 6238 SHA1 seed

TEST(TotpTest, Rfc6238Sha1Vectors) {
  struct Vector {
    int64_t unix_seconds;
    const char* code;
  };
  const Vector vectors[] = {{59, "94287082"},         {1111111109, "07081804"},
                            {1111111111, "14050471"}, {1234567890, "89005924"},
                            {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.unix_seconds);
    const int64_t step = TotpStep(v.unix_seconds * 1000);
    EXPECT_EQ(TotpCode(kRfcKey, step, 8), v.code);
    // The 6-digit code is the last six digits of the 8-digit one.
    EXPECT_EQ(TotpCode(kRfcKey, step), std::string(v.code).substr(2));
  }
}

TEST(TotpTest, Rfc4226HotpVectors) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(TotpCode(kRfcKey, i), expected[i]);
}

TEST(TotpTest, AcceptsAdjacentStepsOnly) {
  const int64_t now_ms = 1'700'000'000'000;
  const int64_t step = TotpStep(now_ms);
  for (int64_t delta : {-1, 0, 1}) {
    auto matched = VerifyTotp(kRfcKey, TotpCode(kRfcKey, step + delta), now_ms, 0);
    ASSERT_TRUE(matched) << delta;
    EXPECT_EQ(*matched, step + delta);
  }
  EXPECT_FALSE(VerifyTotp(kRfcKey, TotpCode(kRfcKey, step - 2), now_ms, 0));
  EXPECT_FALSE(VerifyTotp(kRfcKey, TotpCode(kRfcKey, step + 2), now_ms, 0));
}

TEST(TotpTest, RejectsReplayedSteps) {
  const int64_t now_ms = 1'700'000'000'000;
  const int64_t step = TotpStep(now_ms);
  const std::string code = TotpCode(kRfcKey, step);
  EXPECT_TRUE(VerifyTotp(kRfcKey, code, now_ms, step - 1));
  EXPECT_FALSE(VerifyTotp(kRfcKey, code, now_ms, step));
  EXPECT_FALSE(VerifyTotp(kRfcKey, TotpCode(kRfcKey, step - 1), now_ms, step));
}

TEST(TotpTest, MalformedCodesAreRejected) {
  const int64_t now_ms = 1'700'000'000'000;
  for (std::string_view bad : {"", "12345", "1234567", "12a456", "      ", "-12345"}) {
    EXPECT_FALSE(VerifyTotp(kRfcKey, bad, now_ms, 0)) << bad;
  }
}

TEST(TotpTest, SecretAndUri) {
  const std::string secret = NewTotpSecret();
  EXPECT_EQ(secret.size(), 20u);
  EXPECT_NE(secret, NewTotpSecret());
  EXPECT_EQ(OtpauthUri("alice", secret),
            "otpauth://totp/failsafe:alice?secret=" + Base32Encode(secret) + "&issuer=failsafe");
}

TEST(TotpTest, RecoveryCodes) {
  const auto codes = NewRecoveryCodes();
  ASSERT_EQ(codes.size(), 10u);
  std::set<std::string> unique(codes.begin(), codes.end());
  EXPECT_EQ(unique.size(), 10u);
  for (const auto& c : codes) {
    ASSERT_EQ(c.size(), 11u);
    EXPECT_EQ(c[5], '-');
  }
  const std::string h = HashRecoveryCode(codes[0]);
  EXPECT_EQ(h.size(), 64u);
  std::string upper = codes[0];
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  upper.erase(5, 1);
  EXPECT_EQ(HashRecoveryCode(upper), h);
  EXPECT_NE(HashRecoveryCode(codes[1]), h);
}

}  // namespace
}  // namespace failsafe::auth
