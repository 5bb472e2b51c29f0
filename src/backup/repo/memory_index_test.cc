#include "backup/repo/memory_index.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

namespace failsafe::backup {
namespace {

std::vector<BlobId> RandomIds(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<BlobId> ids(n);
  for (BlobId& id : ids)
    for (size_t i = 0; i < id.bytes.size(); i += 8) {
      uint64_t v = rng();
      std::memcpy(id.bytes.data() + i, &v, 8);
    }
  return ids;
}

TEST(MemoryIndex, LoadedEntriesAreFoundByInterpolation) {
  MemoryIndex index;
  Id pack;
  pack.bytes.fill(1);
  const uint32_t p = index.AddPack(pack);
  auto ids = RandomIds(20000, 1);
  for (size_t i = 0; i < ids.size(); ++i)
    index.AddLoaded(BlobType::kData, ids[i],
                    {p, static_cast<uint32_t>(i), static_cast<uint32_t>(100 + i), i % 2 == 0});
  index.Finalize({true});
  EXPECT_EQ(index.size(BlobType::kData), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    auto loc = index.Find(BlobType::kData, ids[i]);
    ASSERT_TRUE(loc) << i;
    EXPECT_EQ(loc->offset, i);
    EXPECT_EQ(loc->stored_length, 100 + i);
    EXPECT_EQ(loc->compressed, i % 2 == 0);
    EXPECT_FALSE(index.Contains(BlobType::kTree, ids[i]));
  }
  for (const BlobId& other : RandomIds(2000, 2))
    EXPECT_FALSE(index.Contains(BlobType::kData, other));
  // Extremes of the id space.
  Id zero, ones;
  ones.bytes.fill(0xff);
  EXPECT_FALSE(index.Contains(BlobType::kData, zero));
  EXPECT_FALSE(index.Contains(BlobType::kData, ones));
}

TEST(MemoryIndex, FinalizeDropsDeadPacksAndDuplicates) {
  MemoryIndex index;
  Id a, b;
  a.bytes.fill(1);
  b.bytes.fill(2);
  uint32_t pa = index.AddPack(a), pb = index.AddPack(b);
  auto ids = RandomIds(3, 3);
  index.AddLoaded(BlobType::kData, ids[0], {pa, 0, 50, false});
  index.AddLoaded(BlobType::kData, ids[0], {pa, 0, 50, false});  // listed by two files
  index.AddLoaded(BlobType::kData, ids[1], {pb, 0, 50, false});
  index.AddLoaded(BlobType::kTree, ids[2], {pa, 50, 50, false});
  index.Finalize({true, false});
  EXPECT_EQ(index.size(BlobType::kData), 1u);
  EXPECT_TRUE(index.Contains(BlobType::kData, ids[0]));
  EXPECT_FALSE(index.Contains(BlobType::kData, ids[1]));
  EXPECT_TRUE(index.Contains(BlobType::kTree, ids[2]));
}

TEST(MemoryIndex, ClaimSavedMerge) {
  MemoryIndex index;
  auto ids = RandomIds(100, 4);
  for (const BlobId& id : ids) EXPECT_TRUE(index.Claim(BlobType::kData, id));
  EXPECT_FALSE(index.Claim(BlobType::kData, ids[0]));  // already claimed
  EXPECT_TRUE(index.Contains(BlobType::kData, ids[0]));
  EXPECT_FALSE(index.Find(BlobType::kData, ids[0]));  // pending: no location yet
  index.Unclaim(BlobType::kData, ids[99]);
  EXPECT_FALSE(index.Contains(BlobType::kData, ids[99]));
  Id pack;
  const uint32_t p = index.AddPack(pack);
  for (size_t i = 0; i < 50; ++i)
    index.Saved(BlobType::kData, ids[i], {p, static_cast<uint32_t>(i), 30, false});
  EXPECT_EQ(index.Find(BlobType::kData, ids[7])->offset, 7u);
  index.MergeNew();
  EXPECT_EQ(index.new_count(), 49u);  // 50..98 still pending
  for (size_t i = 0; i < 50; ++i) EXPECT_EQ(index.Find(BlobType::kData, ids[i])->offset, i);
  EXPECT_FALSE(index.Claim(BlobType::kData, ids[3]));  // now in the sorted array
  size_t seen = 0;
  index.ForEach([&](BlobType, const BlobId&, const IndexLocation&) { ++seen; });
  EXPECT_EQ(seen, 50u);
}

}  // namespace
}  // namespace failsafe::backup
