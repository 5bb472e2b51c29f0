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

}  // namespace

uint32_t MemoryIndex::AddPack(const Id& pack) {
  packs_.push_back(pack);
  return static_cast<uint32_t>(packs_.size() - 1);
}

void MemoryIndex::ReserveLoaded(BlobType type, size_t n) {
  of(type).sorted.reserve(n);
}

void MemoryIndex::AddLoaded(BlobType type, const BlobId& id, const IndexLocation& loc) {
  of(type).sorted.push_back(EntryOf(id, loc));
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
  const std::vector<uint32_t> renumber = MergePacks(live_packs);
  for (PerType& t : types_) {
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
  const size_t n = t.sorted.size();
  t.bits = 0;
  while (t.bits < 28 && (size_t{1} << (t.bits + 1)) * 8 <= n) ++t.bits;
  t.directory.assign((size_t{1} << t.bits) + 1, 0);
  size_t bucket = 0;
  for (size_t i = 0; i < n; ++i) {
    const size_t b = t.bits == 0 ? 0 : Prefix(t.sorted[i].id) >> (64 - t.bits);
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

bool MemoryIndex::Contains(BlobType type, const BlobId& id) const {
  const PerType& t = of(type);
  return t.fresh.count(id) != 0 || Search(t, id) != nullptr;
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
  if (Search(t, id) != nullptr) return false;
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

void MemoryIndex::MergeNew() {
  for (PerType& t : types_) {
    std::vector<IndexEntry> added;
    for (auto it = t.fresh.begin(); it != t.fresh.end();) {
      if (it->second.pack == kPendingPack) {
        ++it;
        continue;
      }
      added.push_back(EntryOf(it->first, it->second));
      it = t.fresh.erase(it);
    }
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
  return t.sorted.size() + t.fresh.size();
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
