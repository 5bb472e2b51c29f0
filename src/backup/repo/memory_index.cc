#include "backup/repo/memory_index.h"

#include <algorithm>
#include <cstring>

namespace failsafe::backup {
namespace {

// The first 8 bytes as a big-endian number: orders like the bytes, and for uniform ids it
// says where in the sorted array an id belongs.
uint64_t Prefix(const BlobId& id) {
  uint64_t v;
  std::memcpy(&v, id.bytes.data(), sizeof v);
  return __builtin_bswap64(v);
}

// Byte order, as Id's operator<, but a word at a time: sorting ten million entries spends
// its time here.
bool Less(const BlobId& a, const BlobId& b) {
  const uint64_t pa = Prefix(a), pb = Prefix(b);
  if (pa != pb) return pa < pb;
  return std::memcmp(a.bytes.data() + 8, b.bytes.data() + 8, a.bytes.size() - 8) < 0;
}

IndexLocation LocationOf(const IndexEntry& e) {
  return {e.pack, e.offset, e.stored & ~kStoredZstdBit, (e.stored & kStoredZstdBit) != 0};
}

IndexEntry EntryOf(const BlobId& id, const IndexLocation& loc) {
  return {id, loc.pack, loc.offset, loc.stored_length | (loc.compressed ? kStoredZstdBit : 0)};
}

bool ById(const IndexEntry& a, const IndexEntry& b) {
  return Less(a.id, b.id);
}

// Moves the saved new blobs out of a type's hash table (pending claims stay), to `take`.
template <class Map, class Take>
void TakeSaved(Map& fresh, Take take) {
  for (auto it = fresh.begin(); it != fresh.end();) {
    if (it->second.pack == MemoryIndex::kPendingPack) {
      ++it;
      continue;
    }
    take(it->first, it->second);
    it = fresh.erase(it);
  }
}

}  // namespace

uint32_t MemoryIndex::AddPack(const Id& pack) {
  packs_.push_back(pack);
  return static_cast<uint32_t>(packs_.size() - 1);
}

void MemoryIndex::ReserveLoaded(BlobType type, size_t n) {
  PerType& t = of(type);
  if (t.ids_only)
    t.ids.reserve(n);
  else
    t.sorted.reserve(n);
}

void MemoryIndex::LoadWithoutLocations(BlobType type) {
  of(type).ids_only = true;
}

void MemoryIndex::AddLoaded(BlobType type, const BlobId& id, const IndexLocation& loc) {
  PerType& t = of(type);
  if (!t.ids_only) {
    t.sorted.push_back(EntryOf(id, loc));
    return;
  }
  if (t.runs.empty() || t.runs.back().pack != loc.pack)
    t.runs.push_back({loc.pack, static_cast<uint32_t>(t.ids.size())});
  t.ids.push_back(id);
}

void MemoryIndex::FinalizeIds(PerType& t, const std::vector<bool>& live_packs) {
  auto& v = t.ids;
  size_t out = 0;
  for (size_t r = 0; r < t.runs.size(); ++r) {
    const size_t end = r + 1 < t.runs.size() ? t.runs[r + 1].first : v.size();
    const uint32_t pack = t.runs[r].pack;
    if (pack < live_packs.size() && live_packs[pack])
      for (size_t i = t.runs[r].first; i < end; ++i) v[out++] = v[i];
  }
  v.resize(out);
  t.runs = {};
  std::sort(v.begin(), v.end(), Less);
  v.erase(std::unique(v.begin(), v.end()), v.end());
  BuildDirectory(t);
}

// Packs are numbered as the index files list them, so one listed by two files has two
// numbers. Sorting the numbers by pack id groups them; the table is then sorted in place the
// same way and keeps one id per live group. Temporaries: two u32 per pack, no copy of the
// table (this runs when the entry arrays are at their largest).
std::vector<uint32_t> MemoryIndex::MergePacks(const std::vector<bool>& live_packs) {
  const size_t n = packs_.size();
  std::vector<uint32_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return packs_[a] != packs_[b] ? Less(packs_[a], packs_[b]) : a < b;
  });
  std::vector<uint32_t> renumber(n, kPendingPack);
  std::vector<bool> group_live;
  uint32_t next = 0;
  for (size_t i = 0; i < n;) {
    size_t end = i;
    bool live = false;
    for (; end < n && packs_[order[end]] == packs_[order[i]]; ++end)
      live = live || (order[end] < live_packs.size() && live_packs[order[end]]);
    group_live.push_back(live);
    if (live) {
      for (size_t j = i; j < end; ++j) renumber[order[j]] = next;
      ++next;
    }
    i = end;
  }
  order = {};
  std::sort(packs_.begin(), packs_.end(), Less);
  size_t out = 0, group = 0;
  for (size_t i = 0; i < n;) {
    size_t end = i;
    while (end < n && packs_[end] == packs_[i]) ++end;
    if (group_live[group++]) packs_[out++] = packs_[i];
    i = end;
  }
  packs_.resize(out);
  return renumber;
}

void MemoryIndex::Finalize(const std::vector<bool>& live_packs) {
  for (PerType& t : types_)
    if (t.ids_only) FinalizeIds(t, live_packs);  // by listing, before packs are merged
  const std::vector<uint32_t> renumber = MergePacks(live_packs);
  for (PerType& t : types_) {
    if (t.ids_only) continue;
    auto& v = t.sorted;
    auto dead = [&](const IndexEntry& e) {
      return e.pack >= renumber.size() || renumber[e.pack] == kPendingPack;
    };
    v.erase(std::remove_if(v.begin(), v.end(), dead), v.end());
    for (IndexEntry& e : v) e.pack = renumber[e.pack];
    std::sort(v.begin(), v.end(), ById);
    v.erase(std::unique(v.begin(), v.end(),
                        [](const IndexEntry& a, const IndexEntry& b) { return a.id == b.id; }),
            v.end());
    BuildDirectory(t);
    // No shrink_to_fit: it would copy the array (twice the memory at the peak), and the
    // unused tail of a generous reserve was never touched, so it costs address space only.
  }
}

// Ids are uniform, so the top `bits` bits of an id say where in the sorted array it sits,
// to within a handful of entries: the directory maps each such prefix to its first entry.
// A lookup costs a directory read and a binary search over about eight entries (one or two
// cache lines) instead of the 23 probes of a plain binary search over ten million.
void MemoryIndex::BuildDirectory(PerType& t) {
  const size_t n = t.ids_only ? t.ids.size() : t.sorted.size();
  t.bits = 0;
  while (t.bits < 28 && (size_t{1} << (t.bits + 1)) * 8 <= n) ++t.bits;
  t.directory.assign((size_t{1} << t.bits) + 1, 0);
  size_t bucket = 0;
  for (size_t i = 0; i < n; ++i) {
    const BlobId& id = t.ids_only ? t.ids[i] : t.sorted[i].id;
    const size_t b = t.bits == 0 ? 0 : Prefix(id) >> (64 - t.bits);
    while (bucket <= b) t.directory[bucket++] = static_cast<uint32_t>(i);
  }
  while (bucket < t.directory.size()) t.directory[bucket++] = static_cast<uint32_t>(n);
}

const IndexEntry* MemoryIndex::Search(const PerType& t, const BlobId& id) {
  const auto& v = t.sorted;
  if (v.empty()) return nullptr;
  const size_t b = t.bits == 0 ? 0 : Prefix(id) >> (64 - t.bits);
  auto it = std::lower_bound(v.begin() + t.directory[b], v.begin() + t.directory[b + 1],
                             IndexEntry{id, 0, 0, 0}, ById);
  if (it == v.end() || it->id != id) return nullptr;
  return &*it;
}

bool MemoryIndex::Loaded(const PerType& t, const BlobId& id) {
  if (!t.ids_only) return Search(t, id) != nullptr;
  if (t.ids.empty()) return false;
  const size_t b = t.bits == 0 ? 0 : Prefix(id) >> (64 - t.bits);
  return std::binary_search(t.ids.begin() + t.directory[b], t.ids.begin() + t.directory[b + 1], id,
                            Less);
}

bool MemoryIndex::Contains(BlobType type, const BlobId& id) const {
  const PerType& t = of(type);
  return t.fresh.count(id) != 0 || Loaded(t, id);
}

std::optional<IndexLocation> MemoryIndex::Find(BlobType type, const BlobId& id) const {
  const PerType& t = of(type);
  // The table first: a repacked blob's new location wins over the array's old one.
  if (auto it = t.fresh.find(id); it != t.fresh.end() && it->second.pack != kPendingPack)
    return it->second;
  if (const IndexEntry* e = Search(t, id)) return LocationOf(*e);
  return std::nullopt;
}

bool MemoryIndex::Claim(BlobType type, const BlobId& id) {
  PerType& t = of(type);
  if (Loaded(t, id)) return false;
  return t.fresh.try_emplace(id, IndexLocation{kPendingPack, 0, 0, false}).second;
}

bool MemoryIndex::ClaimForRepack(BlobType type, const BlobId& id) {
  return of(type).fresh.try_emplace(id, IndexLocation{kPendingPack, 0, 0, false}).second;
}

void MemoryIndex::Unclaim(BlobType type, const BlobId& id) {
  auto& fresh = of(type).fresh;
  auto it = fresh.find(id);
  if (it != fresh.end() && it->second.pack == kPendingPack) fresh.erase(it);
}

void MemoryIndex::Saved(BlobType type, const BlobId& id, const IndexLocation& loc) {
  of(type).fresh[id] = loc;
}

void MemoryIndex::MergeNewIds(PerType& t) {
  std::vector<BlobId> added;
  TakeSaved(t.fresh, [&](const BlobId& id, const IndexLocation&) { added.push_back(id); });
  if (added.empty()) return;
  std::sort(added.begin(), added.end(), Less);
  const size_t old_size = t.ids.size();
  t.ids.insert(t.ids.end(), added.begin(), added.end());
  std::inplace_merge(t.ids.begin(), t.ids.begin() + static_cast<std::ptrdiff_t>(old_size),
                     t.ids.end(), Less);
  t.ids.erase(std::unique(t.ids.begin(), t.ids.end()), t.ids.end());
  BuildDirectory(t);
}

void MemoryIndex::MergeNew() {
  for (PerType& t : types_) {
    if (t.ids_only) {
      MergeNewIds(t);
      continue;
    }
    std::vector<IndexEntry> added;
    TakeSaved(t.fresh, [&](const BlobId& id, const IndexLocation& loc) {
      added.push_back(EntryOf(id, loc));
    });
    if (added.empty()) continue;
    std::sort(added.begin(), added.end(), ById);
    const size_t old_size = t.sorted.size();
    t.sorted.insert(t.sorted.end(), added.begin(), added.end());
    // Stable: of two equal ids the array's comes first, the new (repacked) one second.
    std::inplace_merge(t.sorted.begin(), t.sorted.begin() + static_cast<std::ptrdiff_t>(old_size),
                       t.sorted.end(), ById);
    size_t out = 0;
    for (size_t i = 0; i < t.sorted.size(); ++i)
      if (i + 1 == t.sorted.size() || t.sorted[i + 1].id != t.sorted[i].id)
        t.sorted[out++] = t.sorted[i];
    t.sorted.resize(out);
    BuildDirectory(t);
  }
}

size_t MemoryIndex::size(BlobType type) const {
  const PerType& t = of(type);
  return (t.ids_only ? t.ids.size() : t.sorted.size()) + t.fresh.size();
}

size_t MemoryIndex::new_count() const {
  return types_[0].fresh.size() + types_[1].fresh.size();
}

void MemoryIndex::ForEach(
    const std::function<void(BlobType, const BlobId&, const IndexLocation&)>& f) const {
  for (BlobType type : {BlobType::kData, BlobType::kTree}) {
    const PerType& t = of(type);
    for (const IndexEntry& e : t.sorted) f(type, e.id, LocationOf(e));
    for (const auto& [id, loc] : t.fresh)
      if (loc.pack != kPendingPack) f(type, id, loc);
  }
}

}  // namespace failsafe::backup
