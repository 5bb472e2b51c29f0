#include "backup/crypto/key_file.h"

#include <gtest/gtest.h>

#include "base/encoding.h"

namespace failsafe::backup::crypto {
namespace {

const KeyMeta kMeta{"2026-11-22T09:00:00.000Z", "backup-01", "ops"};

TEST(KeyFile, PasswordWrapEncodeDecodeUnwrap) {
  MasterKey master = MasterKey::Generate();
  auto key = WrapWithPassword(master, "correct horse", 1, 1 << 16, kMeta);
  ASSERT_TRUE(key) << key.error().ToString();
  std::string json = EncodeKeyFile(*key);
  EXPECT_NE(json.find("\"kind\":\"password\""), std::string::npos);
  EXPECT_NE(json.find("\"name\":\"argon2id\""), std::string::npos);
  auto decoded = DecodeKeyFile(json, "k1");
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  EXPECT_EQ(decoded->host, "backup-01");
  std::string pw = "correct horse";
  auto unwrapped = Unwrap(*decoded, &pw, nullptr, "k1");
  ASSERT_TRUE(unwrapped) << unwrapped.error().ToString();
  EXPECT_EQ(unwrapped->Serialize(), master.Serialize());

  std::string wrong = "wrong horse";
  auto bad = Unwrap(*decoded, &wrong, nullptr, "k1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(bad.error().message().find("does not open with this password"), std::string::npos);
  EXPECT_EQ(Unwrap(*decoded, nullptr, nullptr, "k1").error().code(),
            ErrorCode::kFailedPrecondition);
}

TEST(KeyFile, WeakenedKdfParametersFailTheUnwrap) {
  MasterKey master = MasterKey::Generate();
  auto key = *WrapWithPassword(master, "pw", 2, 1 << 16, kMeta);
  key.kdf.opslimit = 1;  // an attacker lowering the cost
  std::string pw = "pw";
  EXPECT_EQ(Unwrap(key, &pw, nullptr, "k").error().code(), ErrorCode::kUnauthenticated);
}

TEST(KeyFile, KeyFileSecretKind) {
  MasterKey master = MasterKey::Generate();
  std::string secret = NewKeyFileSecret();
  auto key = WrapWithKeyFileSecret(master, secret, kMeta);
  ASSERT_TRUE(key);
  auto decoded = DecodeKeyFile(EncodeKeyFile(*key), "k2");
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  EXPECT_EQ(decoded->kind, kKindKeyFile);
  auto parsed = ParseKeyFileSecret(KeyFileSecretText(secret), "/etc/k");
  ASSERT_TRUE(parsed);
  auto unwrapped = Unwrap(*decoded, nullptr, &*parsed, "k2");
  ASSERT_TRUE(unwrapped);
  EXPECT_EQ(unwrapped->Serialize(), master.Serialize());
  std::string other = NewKeyFileSecret();
  EXPECT_FALSE(Unwrap(*decoded, nullptr, &other, "k2"));
  auto not_a_key = ParseKeyFileSecret("hello", "/etc/k");
  ASSERT_FALSE(not_a_key);
  EXPECT_NE(not_a_key.error().message().find("/etc/k"), std::string::npos);
}

TEST(KeyFile, DecodeRejectsBadFieldsNamingThem) {
  MasterKey master = MasterKey::Generate();
  std::string good = EncodeKeyFile(*WrapWithPassword(master, "pw", 1, 1 << 16, kMeta));
  auto expect_field = [](std::string json, std::string field) {
    auto r = DecodeKeyFile(json, "abc");
    ASSERT_FALSE(r) << json;
    EXPECT_EQ(r.error().field(), field) << r.error().ToString();
    EXPECT_NE(r.error().message().find("key abc"), std::string::npos) << r.error().ToString();
  };
  auto replace = [&](std::string from, std::string to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  expect_field(replace("\"version\":1", "\"version\":2"), "version");
  expect_field(replace("\"kind\":\"password\"", "\"kind\":\"magic\""), "kind");
  expect_field(replace("\"opslimit\":1", "\"opslimit\":100000"), "kdf.opslimit");
  expect_field(replace("\"memlimit\":65536", "\"memlimit\":1099511627776"), "kdf.memlimit");
  expect_field(replace("\"name\":\"argon2id\"", "\"name\":\"hkdf-sha256\""), "kdf.name");
  expect_field(replace("\"master\":\"", "\"master\":\"AAAA"), "master");
  expect_field(replace("\"user\":\"ops\"", "\"user\":\"ops\",\"extra\":1"), "extra");
  EXPECT_FALSE(DecodeKeyFile("not json", "abc"));
  EXPECT_FALSE(DecodeKeyFile("[]", "abc"));
}

}  // namespace
}  // namespace failsafe::backup::crypto
