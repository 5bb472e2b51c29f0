#include "backup/format/index_file.h"

#include <gtest/gtest.h>

#include "backup/format/bytes.h"

namespace failsafe::backup {
namespace {

Id IdOf(uint8_t b) {
  Id id;
  id.bytes.fill(b);
  return id;
}

IndexFile Sample() {
  IndexFile f;
  f.supersedes = {IdOf(0xa1), IdOf(0xa2)};
  for (uint8_t p = 0; p < 3; ++p) {
    IndexPack pack{IdOf(static_cast<uint8_t>(0x10 + p)), {}};
    uint32_t offset = 0;
    for (uint8_t b = 0; b < 4; ++b) {
      PackBlob blob;
      blob.type = b == 3 ? BlobType::kTree : BlobType::kData;
      blob.flags = b % 2 ? kBlobFlagZstd : 0;
      blob.id = IdOf(static_cast<uint8_t>(p * 16 + b));
      blob.offset = offset;
      blob.stored_length = 1000u + b;
      blob.raw_length = blob.compressed() ? 70000u : blob.stored_length - 28;
      offset += blob.stored_length;
      pack.blobs.push_back(blob);
    }
    f.packs.push_back(pack);
  }
  return f;
}

TEST(IndexFile, RoundTrip) {
  IndexFile f = Sample();
  auto back = DecodeIndex(EncodeIndex(f), "ix1");
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(*back, f);
  auto empty = DecodeIndex(EncodeIndex(IndexFile{}), "ix0");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->packs.empty());
}

TEST(IndexFile, ScanCallsBackInOrder) {
  IndexFile f = Sample();
  std::vector<Id> superseded, packs;
  size_t blobs = 0;
  IndexScanner s;
  s.superseded = [&](const Id& id) { superseded.push_back(id); };
  s.pack = [&](const Id& id, uint64_t) { packs.push_back(id); };
  s.blob = [&](const Id&, const PackBlob&) { ++blobs; };
  ASSERT_TRUE(ScanIndex(EncodeIndex(f), "ix", s).ok());
  EXPECT_EQ(superseded, f.supersedes);
  EXPECT_EQ(packs.size(), 3u);
  EXPECT_EQ(blobs, 12u);
}

TEST(IndexFile, EveryTruncationIsDataLossNamingTheFile) {
  std::string plain = EncodeIndex(Sample());
  for (size_t n = 0; n < plain.size(); ++n) {
    auto r = DecodeIndex(plain.substr(0, n), "deadbeef");
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
    EXPECT_NE(r.error().message().find("index deadbeef"), std::string::npos);
  }
}

TEST(IndexFile, HugeCountsFailBeforeAllocating) {
  std::string plain = "FSIX\x01";
  PutVarint(&plain, 0);
  PutVarint(&plain, 1ull << 40);
  auto r = DecodeIndex(plain, "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field(), "pack count");
  plain = "FSIX\x01";
  PutVarint(&plain, 5);  // five superseded ids but no bytes for them
  r = DecodeIndex(plain, "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field(), "supersedes count");
}

TEST(IndexFile, InconsistentBlobIsNamed) {
  IndexFile f = Sample();
  f.packs[0].blobs[0].raw_length = 5;  // uncompressed: must be stored - 28
  auto r = DecodeIndex(EncodeIndex(f), "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field(), "blob raw length");
}

}  // namespace
}  // namespace failsafe::backup
