#pragma once
// The in-memory index (docs/backup-format.md, "Index"): per blob type one array of 44-byte
// entries sorted by id, with a directory of id prefixes that points each lookup at a few
// entries (ids are uniformly distributed, so a prefix says where an id sits), a
// table of pack ids the entries point into, and a small hash table for the blobs of the
// current backup, merged into the arrays by MergeNew. Not thread-safe: the repository
// guards it with a reader-writer lock.
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "backup/format/ids.h"

namespace failsafe::backup {

struct IndexEntry {
  BlobId id;
  uint32_t pack = 0;    // number in the pack table
  uint32_t offset = 0;  // in the pack
  uint32_t stored = 0;  // stored length; bit 31 set when the blob is zstd-compressed
};
static_assert(sizeof(IndexEntry) == 44, "the format doc promises 44 bytes per entry");

inline constexpr uint32_t kStoredZstdBit = 1u << 31;

struct IndexLocation {
  uint32_t pack = 0;
  uint32_t offset = 0;
  uint32_t stored_length = 0;
  bool compressed = false;
};

class MemoryIndex {
 public:
  static constexpr uint32_t kPendingPack = UINT32_MAX;

  uint32_t AddPack(const Id& pack);
  const Id& PackId(uint32_t number) const { return packs_[number]; }
  size_t pack_count() const { return packs_.size(); }

  // Bulk loading: AddPack once per pack each index file lists (a pack listed by two files
  // gets two numbers), append entries in any order, then Finalize merges the numbers of one
  // pack id (the pack is live when any of them is), drops entries of packs that are not live
  // (named only by superseded index files), sorts, and drops duplicate blobs (a pack listed
  // twice). No hash table of pack ids while loading: at ten million blobs one would cost
  // more than the pack table itself.
  void ReserveLoaded(BlobType type, size_t n);
  // Before loading: keep the ids of `type` alone, 32 bytes a blob instead of 44. A backup
  // needs no more of data blobs (it asks whether a chunk is stored; it reads trees, never
  // data). Find then has nothing for the type's loaded blobs and ForEach skips them. Such a
  // blob is kept when an index file nobody supersedes lists it (per listing, not per pack:
  // when in doubt a blob is stored again, never wrongly taken as stored).
  void LoadWithoutLocations(BlobType type);
  bool has_locations(BlobType type) const { return !of(type).ids_only; }
  void AddLoaded(BlobType type, const BlobId& id, const IndexLocation& loc);
  void Finalize(const std::vector<bool>& live_packs);

  bool Contains(BlobType type, const BlobId& id) const;
  // Saved blobs only (a pending blob has no location yet).
  std::optional<IndexLocation> Find(BlobType type, const BlobId& id) const;

  // A backup claims a new blob before compressing it, so two threads never store the same
  // blob: false when the index or another claim already has it.
  bool Claim(BlobType type, const BlobId& id);
  // Prune's claim: the blob is stored again in a new pack even though the sorted array has
  // it; once saved, the new location replaces the old one (Find, MergeNew). False only when
  // it is already claimed in this run.
  bool ClaimForRepack(BlobType type, const BlobId& id);
  void Unclaim(BlobType type, const BlobId& id);
  // The claimed blob's pack was saved.
  void Saved(BlobType type, const BlobId& id, const IndexLocation& loc);
  // Moves saved new blobs into the sorted arrays (end of a backup).
  void MergeNew();

  size_t size(BlobType type) const;
  size_t new_count() const;
  void ForEach(const std::function<void(BlobType, const BlobId&, const IndexLocation&)>& f) const;

 private:
  struct PerType {
    std::vector<IndexEntry> sorted;
    bool ids_only = false;
    std::vector<BlobId> ids;  // instead of `sorted` when ids_only
    // While loading ids only: where each pack listing's ids start in `ids`, so that Finalize
    // can drop the listings that are not live.
    struct Run {
      uint32_t pack;
      uint32_t first;
    };
    std::vector<Run> runs;
    // directory[p]: the first entry (or id) whose top `bits` bits are >= p (about 8 entries
    // per slot, so half a byte per entry).
    std::vector<uint32_t> directory{0, 0};
    unsigned bits = 0;
    std::unordered_map<BlobId, IndexLocation, IdHash> fresh;  // includes pending claims
  };
  PerType& of(BlobType t) { return types_[static_cast<size_t>(t)]; }
  const PerType& of(BlobType t) const { return types_[static_cast<size_t>(t)]; }
  static void BuildDirectory(PerType& t);
  // Merges pack numbers that name the same pack id; returns the new number of each old one,
  // or kPendingPack for a pack that is not live.
  std::vector<uint32_t> MergePacks(const std::vector<bool>& live_packs);
  static const IndexEntry* Search(const PerType& t, const BlobId& id);
  // In the loaded array (with or without locations), not the new blobs.
  static bool Loaded(const PerType& t, const BlobId& id);
  static void FinalizeIds(PerType& t, const std::vector<bool>& live_packs);
  static void MergeNewIds(PerType& t);

  std::vector<Id> packs_;
  PerType types_[2];
};

}  // namespace failsafe::backup
