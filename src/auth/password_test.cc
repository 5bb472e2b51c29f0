#include "auth/password.h"

#include <gtest/gtest.h>

namespace failsafe::auth {
namespace {

void ExpectRejected(std::string_view password, std::string_view username,
                    std::string_view message_part) {
  Status s = CheckPasswordPolicy(password, username);
  ASSERT_FALSE(s.ok()) << "accepted: " << password;
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "password");
  EXPECT_NE(s.message().find(message_part), std::string::npos) << s.message();
  if (password.size() >= 4) {
    EXPECT_EQ(s.message().find(password), std::string::npos);
  }
}

TEST(PasswordPolicyTest, AcceptsReasonablePasswords) {
  EXPECT_TRUE(CheckPasswordPolicy("correct-pony-staple-42", "alice").ok());
  EXPECT_TRUE(CheckPasswordPolicy("Tr0ub4dor&3xyz", "bob").ok());
  // 12 code points of CJK text (36 bytes) is long enough.
  EXPECT_TRUE(CheckPasswordPolicy("应急预案演练每月一次不可少", "carol").ok());
}

TEST(PasswordPolicyTest, LengthCountsCodePoints) {
  ExpectRejected("short-pw-1", "alice", "at least 12");
  // 11 code points but 33 bytes: still too short.
  ExpectRejected("应急预案演练每月一次不", "alice", "at least 12");
  ExpectRejected(std::string(1025, 'x') + "Ab1", "alice", "longer than 1024");
}

TEST(PasswordPolicyTest, RejectsInvalidUtf8) {
  ExpectRejected(std::string("abcdefghijk\xff\xfe", 13), "alice", "UTF-8");
}

TEST(PasswordPolicyTest, RejectsCommonPasswordsCaseInsensitively) {
  ExpectRejected("password123456", "alice", "too common");
  ExpectRejected("PASSWORD123456", "alice", "too common");
  ExpectRejected("woaini1314520", "alice", "too common");
  ExpectRejected("Password@123", "alice", "");  // too short and common; either rule
  EXPECT_TRUE(IsCommonPassword("1QAZ2WSX3EDC"));
  EXPECT_TRUE(IsCommonPassword("iloveyou1234"));
  EXPECT_FALSE(IsCommonPassword("correct-pony-staple-42"));
}

TEST(PasswordPolicyTest, RejectsUsername) {
  ExpectRejected("my-name-is-Alice-ok", "alice", "username");
  EXPECT_TRUE(CheckPasswordPolicy("a-perfectly-fine-pw", "al").ok());  // short names ignored
}

TEST(PasswordPolicyTest, RejectsTrivialSequences) {
  ExpectRejected("aaaaaaaaaaaaaa", "alice", "repeated");
  ExpectRejected("abababababab", "alice", "repeated");
  ExpectRejected("ghijklmnopqrst", "alice", "sequence");
  ExpectRejected("tsrqponmlkjihg", "alice", "sequence");
  ExpectRejected("7890123456789", "alice", "sequence");
  ExpectRejected("lkjhgfdsapoiu", "alice", "sequence");  // reversed keyboard rows
  ExpectRejected("2wsx3edc4rfv", "alice", "sequence");
}

TEST(PasswordHashTest, HashAndVerify) {
  auto hash = HashPassword("correct-pony-staple-42");
  ASSERT_TRUE(hash) << hash.error().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct-pony-staple-42", *hash));
  EXPECT_FALSE(VerifyPassword("correct-pony-staple-43", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
  // Two hashes of one password differ (random salt).
  auto again = HashPassword("correct-pony-staple-42");
  ASSERT_TRUE(again);
  EXPECT_NE(*hash, *again);
}

TEST(PasswordHashTest, MalformedHashesAreFalseNotCrashes) {
  EXPECT_FALSE(VerifyPassword("x", ""));
  EXPECT_FALSE(VerifyPassword("x", "not a hash"));
  EXPECT_FALSE(VerifyPassword("x", "$argon2id$v=19$m=65536,t=2,p=1$garbage"));
  EXPECT_FALSE(VerifyPassword("x", std::string(500, '$')));
  EXPECT_TRUE(
      PasswordNeedsRehash("$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"));
}

}  // namespace
}  // namespace failsafe::auth
