#include "backup/repo/memory_index.h"

#include <algorithm>

namespace failsafe::backup {
namespace {

uint64_t Prefix(const BlobId& id) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | id.bytes[i];
  return v;
}

IndexLocation LocationOf(const IndexEntry& e) {
  return {e.pack, e.offset, e.stored & ~kStoredZstdBit, (e.stored & kStoredZstdBit) != 0};
}

IndexEntry EntryOf(const BlobId& id, const IndexLocation& loc) {
  return {id, loc.pack, loc.offset, loc.stored_length | (loc.compressed ? kStoredZstdBit : 0)};
}

bool ById(const IndexEntry& a, const IndexEntry& b) {
  return a.id < b.id;
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

void MemoryIndex::Finalize(const std::vector<bool>& live_packs) {
  for (PerType& t : types_) {
    auto& v = t.sorted;
    auto dead = [&](const IndexEntry& e) {
      return e.pack >= live_packs.size() || !live_packs[e.pack];
    };
    v.erase(std::remove_if(v.begin(), v.end(), dead), v.end());
    std::sort(v.begin(), v.end(), ById);
    v.erase(std::unique(v.begin(), v.end(),
                        [](const IndexEntry& a, const IndexEntry& b) { return a.id == b.id; }),
            v.end());
    // Growth by doubling may have left up to half the capacity unused: give it back.
    if (v.capacity() > v.size() + v.size() / 8) v.shrink_to_fit();
  }
}

// Interpolation: ids are uniform, so the entry for `id` sits near prefix/2^64 of the way
// through the array, within a few hundred entries for ten million. Gallop out from the
// guess to bracket it, then binary search the bracket.
const IndexEntry* MemoryIndex::Search(const std::vector<IndexEntry>& v, const BlobId& id) {
  if (v.empty()) return nullptr;
  const size_t n = v.size();
  const size_t guess = std::min(n - 1, static_cast<size_t>(static_cast<double>(Prefix(id)) *
                                                           0x1p-64 * static_cast<double>(n)));
  size_t lo = guess;
  size_t hi = guess + 1;
  for (size_t step = 16; lo > 0 && !(v[lo].id < id); step *= 2) lo = lo > step ? lo - step : 0;
  for (size_t step = 16; hi < n && v[hi - 1].id < id; step *= 2) hi = std::min(n, hi + step);
  auto it =
      std::lower_bound(v.begin() + static_cast<std::ptrdiff_t>(lo),
                       v.begin() + static_cast<std::ptrdiff_t>(hi), IndexEntry{id, 0, 0, 0}, ById);
  if (it == v.end() || it->id != id) return nullptr;
  return &*it;
}

bool MemoryIndex::Contains(BlobType type, const BlobId& id) const {
  const PerType& t = of(type);
  return t.fresh.count(id) != 0 || Search(t.sorted, id) != nullptr;
}

std::optional<IndexLocation> MemoryIndex::Find(BlobType type, const BlobId& id) const {
  const PerType& t = of(type);
  if (const IndexEntry* e = Search(t.sorted, id)) return LocationOf(*e);
  auto it = t.fresh.find(id);
  if (it == t.fresh.end() || it->second.pack == kPendingPack) return std::nullopt;
  return it->second;
}

bool MemoryIndex::Claim(BlobType type, const BlobId& id) {
  PerType& t = of(type);
  if (Search(t.sorted, id) != nullptr) return false;
  return t.fresh.try_emplace(id, IndexLocation{kPendingPack, 0, 0, false}).second;
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
    std::inplace_merge(t.sorted.begin(), t.sorted.begin() + static_cast<std::ptrdiff_t>(old_size),
                       t.sorted.end(), ById);
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
