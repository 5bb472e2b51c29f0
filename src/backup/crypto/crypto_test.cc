#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "backup/crypto/aead.h"
#include "backup/crypto/hash.h"
#include "backup/crypto/kdf.h"
#include "backup/crypto/master_key.h"
#include "base/encoding.h"

namespace failsafe::backup::crypto {
namespace {

std::string Hex(const Digest& d) {
  return HexEncode(AsView(d));
}

SecretKey CountingKey() {
  std::string bytes;
  for (int i = 0; i < 32; ++i) bytes.push_back(static_cast<char>(i));
  return SecretKey(bytes);
}

TEST(Sha256, KnownVector) {
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HmacSha256, KnownVectorAndPartsConcatenate) {
  SecretKey key = CountingKey();
  const std::string expected = "c54ab09935750430ea1b59fb32167d13deb0dc06e30397e7f757eef3960f4937";
  EXPECT_EQ(Hex(HmacSha256(key, "hello failsafe")), expected);
  EXPECT_EQ(Hex(HmacSha256(key, {"hello ", "fail", "safe"})), expected);
  // A second key in the same thread re-keys the cached context, and back again.
  SecretKey other(std::string(32, 'x'));
  EXPECT_NE(Hex(HmacSha256(other, "hello failsafe")), expected);
  EXPECT_EQ(Hex(HmacSha256(key, "hello failsafe")), expected);
}

TEST(Aead, RoundTripAndOverhead) {
  SecretKey key = CountingKey();
  std::string sealed = Seal(key, "secret content", "fs/test/1");
  EXPECT_EQ(sealed.size(), 14 + kSealOverhead);
  EXPECT_EQ(sealed.find("secret"), std::string::npos);
  std::string out;
  ASSERT_TRUE(Open(key, sealed, "fs/test/1", &out, "test object").ok());
  EXPECT_EQ(out, "secret content");
  // Fresh random nonce each time.
  EXPECT_NE(Seal(key, "secret content", "fs/test/1"), sealed);
  // Empty plaintext works too.
  ASSERT_TRUE(Open(key, Seal(key, "", "a"), "a", &out, "x").ok());
  EXPECT_EQ(out, "");
}

TEST(Aead, TamperWrongAadWrongKeyShortInputFail) {
  SecretKey key = CountingKey();
  std::string sealed = Seal(key, "secret content", "fs/test/1");
  std::string out;
  std::string flipped = sealed;
  flipped[20] ^= 1;
  Status s = Open(key, flipped, "fs/test/1", &out, "pack abc header");
  EXPECT_EQ(s.code(), ErrorCode::kDataLoss);
  EXPECT_NE(s.message().find("pack abc header"), std::string::npos);
  EXPECT_EQ(Open(key, sealed, "fs/test/2", &out, "x").code(), ErrorCode::kDataLoss);
  EXPECT_EQ(Open(SecretKey(std::string(32, 'k')), sealed, "fs/test/1", &out, "x").code(),
            ErrorCode::kDataLoss);
  s = Open(key, sealed.substr(0, 27), "fs/test/1", &out, "lock 12");
  EXPECT_EQ(s.code(), ErrorCode::kDataLoss);
  EXPECT_NE(s.message().find("too short"), std::string::npos);
}

TEST(Aead, ManyThreadsShareKeysSafely) {
  SecretKey a = CountingKey();
  SecretKey b(std::string(32, 'b'));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const SecretKey& k = (i + t) % 2 ? a : b;
        std::string plain(1000 + i, static_cast<char>(i));
        std::string out;
        if (!Open(k, Seal(k, plain, "ad"), "ad", &out, "x").ok() || out != plain) ++failures;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(Hkdf, Rfc5869Case1Prefix) {
  auto ikm = *HexDecode("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  auto salt = *HexDecode("000102030405060708090a0b0c");
  auto info = *HexDecode("f0f1f2f3f4f5f6f7f8f9");
  auto key = HkdfSha256(ikm, salt, info);
  ASSERT_TRUE(key.has_value());
  // The first 32 bytes of the RFC's 42-byte OKM.
  EXPECT_EQ(HexEncode(key->view()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
}

TEST(Argon2id, DeterministicPerSaltAndBounded) {
  std::string salt(16, 's');
  auto a = Argon2id("pw", salt, 1, 1 << 16);
  auto b = Argon2id("pw", salt, 1, 1 << 16);
  auto c = Argon2id("pw", std::string(16, 't'), 1, 1 << 16);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->view(), b->view());
  EXPECT_NE(a->view(), c->view());
  EXPECT_FALSE(Argon2id("pw", "short", 1, 1 << 16));
  EXPECT_FALSE(Argon2id("pw", salt, 0, 1 << 16));
  EXPECT_FALSE(Argon2id("pw", salt, 1, 8ull << 30));
}

TEST(MasterKey, SerializeParseAndSharing) {
  MasterKey m = MasterKey::Generate();
  auto back = MasterKey::Parse(m.Serialize());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->Serialize(), m.Serialize());
  EXPECT_NE(m.data_key.view(), m.id_key.view());
  EXPECT_FALSE(MasterKey::Parse("short"));
  MasterKey shared = MasterKey::GenerateSharingIds(m);
  EXPECT_EQ(shared.id_key.view(), m.id_key.view());
  EXPECT_EQ(shared.chunker_key.view(), m.chunker_key.view());
  EXPECT_NE(shared.data_key.view(), m.data_key.view());
}

}  // namespace
}  // namespace failsafe::backup::crypto
