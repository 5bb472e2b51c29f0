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

TEST(MemoryIndex, APackListedByTwoFilesIsOnePackLiveIfEitherListingIs) {
  MemoryIndex index;
  auto packs = RandomIds(3, 10);
  auto ids = RandomIds(4, 11);
  // File 1 lists packs 0 and 1; file 2 (superseded) lists packs 1 and 2; pack 0 again in
  // file 3 (live).
  const uint32_t a1 = index.AddPack(packs[0]), b1 = index.AddPack(packs[1]);
  const uint32_t b2 = index.AddPack(packs[1]), c2 = index.AddPack(packs[2]);
  const uint32_t a3 = index.AddPack(packs[0]);
  index.AddLoaded(BlobType::kData, ids[0], {a1, 0, 40, false});
  index.AddLoaded(BlobType::kData, ids[1], {b1, 0, 40, false});
  index.AddLoaded(BlobType::kData, ids[1], {b2, 0, 40, false});
  index.AddLoaded(BlobType::kData, ids[2], {c2, 0, 40, false});
  index.AddLoaded(BlobType::kData, ids[0], {a3, 0, 40, false});
  index.AddLoaded(BlobType::kTree, ids[3], {b2, 40, 50, true});  // only the dead listing has it
  index.Finalize({true, true, false, false, true});
  EXPECT_EQ(index.pack_count(), 2u);  // pack 2 is named only by the superseded file
  EXPECT_EQ(index.size(BlobType::kData), 2u);
  ASSERT_TRUE(index.Find(BlobType::kData, ids[0]));
  EXPECT_EQ(index.PackId(index.Find(BlobType::kData, ids[0])->pack), packs[0]);
  EXPECT_EQ(index.PackId(index.Find(BlobType::kData, ids[1])->pack), packs[1]);
  EXPECT_FALSE(index.Contains(BlobType::kData, ids[2]));
  // Pack 1 is live through file 1, so what the superseded file says of it is kept too.
  auto tree = index.Find(BlobType::kTree, ids[3]);
  ASSERT_TRUE(tree);
  EXPECT_EQ(index.PackId(tree->pack), packs[1]);
  EXPECT_EQ(tree->offset, 40u);
  EXPECT_TRUE(tree->compressed);
}

// The scale LoadIndex meets: a million blobs, 16 per pack, one pack in a hundred listed by a
// second index file and one in fifty named only by a superseded one.
TEST(MemoryIndex, AMillionEntriesAcrossPacksListedTwice) {
  constexpr size_t kBlobs = 1'000'000, kPerPack = 16;
  const auto ids = RandomIds(kBlobs, 12);
  const auto packs = RandomIds(kBlobs / kPerPack, 13);
  MemoryIndex index;
  index.ReserveLoaded(BlobType::kData, kBlobs + kBlobs / 50);
  std::vector<bool> live;
  auto dead = [](size_t p) { return p % 50 == 7; };
  for (size_t p = 0; p < packs.size(); ++p) {
    const uint32_t number = index.AddPack(packs[p]);
    live.push_back(!dead(p));
    for (size_t b = 0; b < kPerPack; ++b)
      index.AddLoaded(BlobType::kData, ids[p * kPerPack + b],
                      {number, static_cast<uint32_t>(b * 100), 100, false});
  }
  for (size_t p = 3; p < packs.size(); p += 100) {  // listed again by another live file
    const uint32_t number = index.AddPack(packs[p]);
    live.push_back(true);
    for (size_t b = 0; b < kPerPack; ++b)
      index.AddLoaded(BlobType::kData, ids[p * kPerPack + b],
                      {number, static_cast<uint32_t>(b * 100), 100, false});
  }
  index.Finalize(live);
  size_t dead_packs = 0;
  for (size_t p = 0; p < packs.size(); ++p) dead_packs += dead(p) ? 1 : 0;
  EXPECT_EQ(index.pack_count(), packs.size() - dead_packs);
  EXPECT_EQ(index.size(BlobType::kData), (packs.size() - dead_packs) * kPerPack);
  for (size_t i = 0; i < kBlobs; ++i) {
    const size_t p = i / kPerPack;
    auto loc = index.Find(BlobType::kData, ids[i]);
    if (dead(p)) {
      EXPECT_FALSE(loc) << i;
      continue;
    }
    ASSERT_TRUE(loc) << i;
    ASSERT_EQ(index.PackId(loc->pack), packs[p]) << i;
    ASSERT_EQ(loc->offset, (i % kPerPack) * 100) << i;
  }
  for (const BlobId& other : RandomIds(10000, 14))
    EXPECT_FALSE(index.Contains(BlobType::kData, other));
}

TEST(MemoryIndex, IdsWithoutLocations) {
  MemoryIndex index;
  index.LoadWithoutLocations(BlobType::kData);
  EXPECT_FALSE(index.has_locations(BlobType::kData));
  EXPECT_TRUE(index.has_locations(BlobType::kTree));
  auto packs = RandomIds(3, 20);
  auto ids = RandomIds(20004, 21);
  const uint32_t live = index.AddPack(packs[0]), superseded = index.AddPack(packs[1]);
  const uint32_t again = index.AddPack(packs[0]);  // pack 0 listed by a second, live file
  index.ReserveLoaded(BlobType::kData, ids.size());
  for (size_t i = 0; i < 20000; ++i)
    index.AddLoaded(BlobType::kData, ids[i], {live, static_cast<uint32_t>(i), 30, false});
  index.AddLoaded(BlobType::kData, ids[20000], {superseded, 0, 30, false});
  index.AddLoaded(BlobType::kData, ids[0], {again, 0, 30, false});
  // Only the superseded listing of live pack 0 names this one: when in doubt, not stored.
  index.AddLoaded(BlobType::kData, ids[20001], {superseded, 30, 30, false});
  index.AddLoaded(BlobType::kTree, ids[20002], {live, 0, 30, true});
  index.Finalize({true, false, true});
  EXPECT_EQ(index.size(BlobType::kData), 20000u);
  for (size_t i = 0; i < 20000; ++i) {
    ASSERT_TRUE(index.Contains(BlobType::kData, ids[i])) << i;
    EXPECT_FALSE(index.Find(BlobType::kData, ids[i])) << "no locations kept";
  }
  EXPECT_FALSE(index.Contains(BlobType::kData, ids[20000]));
  EXPECT_FALSE(index.Contains(BlobType::kData, ids[20001]));
  ASSERT_TRUE(index.Find(BlobType::kTree, ids[20002]));  // trees keep their locations
  EXPECT_EQ(index.PackId(index.Find(BlobType::kTree, ids[20002])->pack), packs[0]);
  for (const BlobId& other : RandomIds(2000, 22))
    EXPECT_FALSE(index.Contains(BlobType::kData, other));

  // A backup: an indexed blob is not claimed again; a new one is, and after MergeNew it is
  // among the ids.
  EXPECT_FALSE(index.Claim(BlobType::kData, ids[5]));
  ASSERT_TRUE(index.Claim(BlobType::kData, ids[20003]));
  const uint32_t fresh_pack = index.AddPack(packs[2]);
  index.Saved(BlobType::kData, ids[20003], {fresh_pack, 0, 30, false});
  EXPECT_EQ(index.Find(BlobType::kData, ids[20003])->pack, fresh_pack);
  index.MergeNew();
  EXPECT_EQ(index.new_count(), 0u);
  EXPECT_EQ(index.size(BlobType::kData), 20001u);
  EXPECT_TRUE(index.Contains(BlobType::kData, ids[20003]));
  EXPECT_FALSE(index.Claim(BlobType::kData, ids[20003]));
  size_t seen = 0;
  index.ForEach([&](BlobType, const BlobId&, const IndexLocation&) { ++seen; });
  EXPECT_EQ(seen, 1u);  // the tree: loaded data blobs have no location to give
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
