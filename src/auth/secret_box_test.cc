#include "auth/secret_box.h"

#include <gtest/gtest.h>

#include "auth/auth_module.h"
#include "base/encoding.h"

namespace failsafe::auth {
namespace {

SecretBox MakeBox(char fill = 'k') {
  return *SecretBox::Create(std::string(32, fill));
}

TEST(SecretBoxTest, SealOpenRoundTrip) {
  SecretBox box = MakeBox();
  for (std::string plain :
       {std::string(), std::string("x"), std::string(10000, 'y'), std::string("\0binary\xff", 8)}) {
    const std::string sealed = box.Seal(plain, "users.totp_secret:1");
    EXPECT_EQ(sealed.rfind("v1:", 0), 0u);
    // Only long plaintexts: a short one can appear in the Base64 text by chance.
    if (plain.size() >= 16) {
      EXPECT_EQ(sealed.find(plain.substr(0, 16)), std::string::npos);
    }
    auto opened = box.Open(sealed, "users.totp_secret:1");
    ASSERT_TRUE(opened) << opened.error().ToString();
    EXPECT_EQ(*opened, plain);
  }
  // Fresh nonce each time.
  EXPECT_NE(box.Seal("same", ""), box.Seal("same", ""));
}

TEST(SecretBoxTest, WrongKeyOrAadIsDataLoss) {
  SecretBox box = MakeBox('a');
  const std::string sealed = box.Seal("webhook-url", "aad-1");
  auto wrong_aad = box.Open(sealed, "aad-2");
  ASSERT_FALSE(wrong_aad);
  EXPECT_EQ(wrong_aad.error().code(), ErrorCode::kDataLoss);
  auto wrong_key = MakeBox('b').Open(sealed, "aad-1");
  ASSERT_FALSE(wrong_key);
  EXPECT_EQ(wrong_key.error().code(), ErrorCode::kDataLoss);
}

TEST(SecretBoxTest, EveryTamperedByteIsDetected) {
  SecretBox box = MakeBox();
  const std::string sealed = box.Seal("smtp-password", "aad");
  const std::string raw = *Base64Decode(sealed.substr(3));
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string bad = raw;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    auto r = box.Open("v1:" + Base64Encode(bad), "aad");
    ASSERT_FALSE(r) << "byte " << i;
    EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  }
}

TEST(SecretBoxTest, GarbageIsDataLossNotCrash) {
  SecretBox box = MakeBox();
  for (std::string_view garbage :
       {"", "v1:", "v2:AAAA", "v1:!!!!", "v1:AAAA", "plaintext", "v1:" /* short */}) {
    auto r = box.Open(garbage, "");
    ASSERT_FALSE(r) << garbage;
    EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  }
  auto r = box.Open("v1:" + Base64Encode(std::string(27, 'z')), "");
  EXPECT_FALSE(r);
}

TEST(SecretBoxTest, KeyMustBe32Bytes) {
  EXPECT_FALSE(SecretBox::Create(std::string(31, 'k')));
  EXPECT_FALSE(SecretBox::Create(std::string(33, 'k')));
  EXPECT_TRUE(SecretBox::Create(std::string(32, 'k')));
}

TEST(KeyFilesTest, CreatedOnceThenReloaded) {
  auto env = NewMemEnv();
  EXPECT_FALSE(LoadKeys(*env, "/data"));  // nothing yet
  auto first = LoadOrCreateKeys(*env, "/data");
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->secret_key.size(), 32u);
  EXPECT_EQ(first->audit_key.size(), 32u);
  EXPECT_NE(first->secret_key, first->audit_key);
  auto again = LoadOrCreateKeys(*env, "/data");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->secret_key, first->secret_key);
  auto loaded = LoadKeys(*env, "/data/");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->audit_key, first->audit_key);
}

TEST(KeyFilesTest, WrongSizeIsAClearError) {
  auto env = NewMemEnv();
  ASSERT_TRUE(env->WriteFileAtomic("/data/secret.key", "too short", 0600).ok());
  auto r = LoadOrCreateKeys(*env, "/data");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("/data/secret.key"), std::string::npos);
  EXPECT_NE(r.error().message().find("expected 32"), std::string::npos);
}

}  // namespace
}  // namespace failsafe::auth
