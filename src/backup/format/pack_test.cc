#include "backup/format/pack.h"

#include <gtest/gtest.h>

#include "backup/crypto/aead.h"
#include "backup/crypto/master_key.h"
#include "backup/format/aad.h"
#include "backup/format/bytes.h"
#include "backup/format/pack_writer.h"

namespace failsafe::backup {
namespace {

Id IdOfByte(uint8_t b) {
  Id id;
  id.bytes.fill(b);
  return id;
}

PackBlob Blob(BlobType type, uint8_t flags, uint8_t id_byte, uint32_t stored, uint32_t raw) {
  PackBlob b;
  b.type = type;
  b.flags = flags;
  b.id = IdOfByte(id_byte);
  b.stored_length = stored;
  b.raw_length = raw;
  return b;
}

TEST(Varint, RoundTripAndErrors) {
  std::string s;
  for (uint64_t v : std::initializer_list<uint64_t>{0, 1, 127, 128, 300, 1ull << 35, UINT64_MAX})
    PutVarint(&s, v);
  ByteReader r(s, "test");
  for (uint64_t v : std::initializer_list<uint64_t>{0, 1, 127, 128, 300, 1ull << 35, UINT64_MAX}) {
    uint64_t got = 0;
    ASSERT_TRUE(r.Varint(&got, "n"));
    EXPECT_EQ(got, v);
  }
  uint64_t x;
  EXPECT_FALSE(r.Varint(&x, "past end"));
  EXPECT_EQ(r.status().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(r.status().field(), "past end");
  std::string overlong(11, '\xff');
  ByteReader r2(overlong, "obj");
  EXPECT_FALSE(r2.Varint(&x, "n"));
}

TEST(PackHeader, RoundTripFillsOffsets) {
  std::vector<PackBlob> blobs = {Blob(BlobType::kData, kBlobFlagZstd, 1, 100, 5000),
                                 Blob(BlobType::kTree, 0, 2, 60, 32)};
  std::string plain = EncodePackHeader(blobs);
  auto decoded = DecodePackHeader(plain, IdOfByte(9), 160);
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  blobs[1].offset = 100;
  EXPECT_EQ(*decoded, blobs);
  // Stored lengths must cover the bytes before the header exactly.
  auto short_region = DecodePackHeader(plain, IdOfByte(9), 150);
  ASSERT_FALSE(short_region);
  EXPECT_NE(short_region.error().message().find("pack 0909"), std::string::npos);
  EXPECT_FALSE(DecodePackHeader(plain, IdOfByte(9), 170));
}

TEST(PackHeader, EveryTruncationFailsCleanly) {
  std::string plain = EncodePackHeader({Blob(BlobType::kData, 0, 1, 128, 100)});
  for (size_t n = 0; n < plain.size(); ++n) {
    auto r = DecodePackHeader(plain.substr(0, n), IdOfByte(3), 128);
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  }
}

TEST(PackHeader, BadFieldsAreNamed) {
  auto field_of = [](std::string plain) {
    auto r = DecodePackHeader(plain, IdOfByte(3), 128);
    return r ? std::string("ok") : r.error().field();
  };
  std::string good = EncodePackHeader({Blob(BlobType::kData, 0, 1, 128, 100)});
  std::string bad = good;
  bad[0] = 'X';
  EXPECT_EQ(field_of(bad), "magic");
  bad = good;
  bad[4] = 2;
  EXPECT_EQ(field_of(bad), "version");
  bad = good;
  bad[6] = 7;
  EXPECT_EQ(field_of(bad), "blob type");
  bad = good;
  bad[7] = 4;
  EXPECT_EQ(field_of(bad), "blob flags");
  // A count far beyond what the bytes can hold fails before allocating.
  std::string huge = "FSPH\x01";
  PutVarint(&huge, 1u << 21);
  EXPECT_EQ(field_of(huge), "blob count");
  EXPECT_EQ(field_of(good + "x"), "end");
}

TEST(PackWriter, ProducesADecodablePack) {
  auto key = crypto::MasterKey::Generate();
  PackWriter w;
  std::vector<std::string> plains = {"first blob", std::string(3000, 'z'), ""};
  for (size_t i = 0; i < plains.size(); ++i) {
    PackBlob b = Blob(i == 1 ? BlobType::kTree : BlobType::kData, 0, static_cast<uint8_t>(i), 0,
                      static_cast<uint32_t>(plains[i].size()));
    w.Add(b, crypto::Seal(key.data_key, plains[i], aad::BlobAad(b.type, b.id).view()));
  }
  auto entries = w.blobs();
  std::string pack(w.Finish(key.data_key).view());
  EXPECT_TRUE(w.empty());
  Id pack_id = IdOfByte(0xab);
  auto decoded = DecodePack(key.data_key, pack, pack_id);
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  EXPECT_EQ(*decoded, entries);
  for (size_t i = 0; i < plains.size(); ++i) {
    const PackBlob& b = (*decoded)[i];
    std::string out;
    ASSERT_TRUE(crypto::Open(key.data_key, std::string_view(pack).substr(b.offset, b.stored_length),
                             aad::BlobAad(b.type, b.id).view(), &out, "blob")
                    .ok());
    EXPECT_EQ(out, plains[i]);
  }

  // A flipped bit in the header, a foreign file, a wrong key: each a clear DataLoss.
  std::string tampered = pack;
  tampered[tampered.size() - kPackTrailerSize - 5] ^= 0x10;
  auto t = DecodePack(key.data_key, tampered, pack_id);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::kDataLoss);
  EXPECT_NE(t.error().message().find("pack abab"), std::string::npos);
  EXPECT_NE(t.error().message().find("header"), std::string::npos);
  auto foreign = DecodePack(key.data_key, std::string(4096, 'A'), pack_id);
  ASSERT_FALSE(foreign);
  EXPECT_NE(foreign.error().message().find("not a failsafe pack"), std::string::npos);
  EXPECT_FALSE(DecodePack(key.data_key, "tiny", pack_id));
  EXPECT_FALSE(DecodePack(crypto::MasterKey::Generate().data_key, pack, pack_id));
  // A trailer claiming a header longer than the file.
  std::string lying = pack;
  lying[lying.size() - kPackTrailerSize + 3] = '\x7f';
  EXPECT_FALSE(DecodePack(key.data_key, lying, pack_id));
}

}  // namespace
}  // namespace failsafe::backup
