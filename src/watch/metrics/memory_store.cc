// The sharded, compressed in-memory series store (memory_store.h).
#include "watch/metrics/memory_store.h"

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "watch/metrics/xor_chunk.h"

namespace failsafe::watch {
namespace {

using SeriesId = uint32_t;
using Postings = std::vector<SeriesId>;  // sorted ascending

struct Series {
  Labels labels;
  std::vector<SealedChunk> sealed;  // oldest first
  XorChunk head;
  int64_t last_t = std::numeric_limits<int64_t>::min();

  void DropChunksBefore(int64_t cutoff_ms) {
    auto keep = std::find_if(sealed.begin(), sealed.end(),
                             [&](const SealedChunk& c) { return c.max_t >= cutoff_ms; });
    sealed.erase(sealed.begin(), keep);
  }
};

void InsertSorted(Postings& p, SeriesId id) {
  p.insert(std::lower_bound(p.begin(), p.end(), id), id);
}

void EraseSorted(Postings& p, SeriesId id) {
  auto it = std::lower_bound(p.begin(), p.end(), id);
  if (it != p.end() && *it == id) p.erase(it);
}

Postings Intersect(const Postings& a, const Postings& b) {
  Postings out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

struct MemoryStore::Shard {
  mutable std::shared_mutex mu;
  std::vector<std::unique_ptr<Series>> series;  // by id; null slots are free
  std::vector<SeriesId> free_ids;
  std::unordered_map<uint64_t, SeriesId> by_fingerprint;
  // Label sets whose fingerprint another series already holds (64-bit collisions: rare, but a
  // collision must never merge two series).
  std::map<Labels, SeriesId> collided;
  std::unordered_map<std::string, std::unordered_map<std::string, Postings>> postings;
  uint64_t samples_appended = 0;
  uint64_t out_of_order_dropped = 0;
  uint64_t duplicate_dropped = 0;

  Series* Find(const Labels& labels, uint64_t fp) {
    auto it = by_fingerprint.find(fp);
    if (it != by_fingerprint.end() && series[it->second]->labels == labels) {
      return series[it->second].get();
    }
    if (collided.empty()) return nullptr;
    auto c = collided.find(labels);
    return c == collided.end() ? nullptr : series[c->second].get();
  }

  Series* Create(const Labels& labels, uint64_t fp) {
    SeriesId id;
    if (!free_ids.empty()) {
      id = free_ids.back();
      free_ids.pop_back();
    } else {
      id = static_cast<SeriesId>(series.size());
      series.emplace_back();
    }
    series[id] = std::make_unique<Series>();
    series[id]->labels = labels;
    if (!by_fingerprint.emplace(fp, id).second) collided.emplace(labels, id);
    for (const Label& l : labels) InsertSorted(postings[l.name][l.value], id);
    return series[id].get();
  }

  void Remove(SeriesId id) {
    const Labels& labels = series[id]->labels;
    const uint64_t fp = Fingerprint(labels);
    auto it = by_fingerprint.find(fp);
    if (it != by_fingerprint.end() && it->second == id) {
      by_fingerprint.erase(it);
    } else {
      collided.erase(labels);
    }
    for (const Label& l : labels) {
      auto name_it = postings.find(l.name);
      auto value_it = name_it->second.find(l.value);
      EraseSorted(value_it->second, id);
      if (value_it->second.empty()) name_it->second.erase(value_it);
      if (name_it->second.empty()) postings.erase(name_it);
    }
    series[id].reset();
    free_ids.push_back(id);
  }

  // The postings list a matcher narrows the search to, or nullopt when it cannot (matchers
  // that accept the empty value also match series without the label, which no list holds).
  std::optional<Postings> PostingsFor(const LabelMatcher& m) const {
    if (m.Matches(std::string_view())) return std::nullopt;
    auto name_it = postings.find(m.name());
    if (name_it == postings.end()) return Postings{};
    if (m.op() == MatchOp::kEqual) {
      auto value_it = name_it->second.find(m.value());
      return value_it == name_it->second.end() ? Postings{} : value_it->second;
    }
    if (m.op() != MatchOp::kRegexMatch) return std::nullopt;  // != and !~ exclude, not select
    Postings merged;
    for (const auto& [value, ids] : name_it->second) {
      if (m.Matches(value)) merged.insert(merged.end(), ids.begin(), ids.end());
    }
    std::sort(merged.begin(), merged.end());
    return merged;
  }

  std::optional<Postings> Candidates(std::span<const LabelMatcher> matchers) const {
    std::optional<Postings> result;
    for (const LabelMatcher& m : matchers) {
      std::optional<Postings> p = PostingsFor(m);
      if (!p) continue;
      result = result ? Intersect(*result, *p) : std::move(*p);
      if (result->empty()) break;
    }
    return result;
  }
};

MemoryStore::MemoryStore(MemoryStoreOptions options) : options_(options) {
  if (options_.shards < 1) options_.shards = 1;
  if (options_.samples_per_chunk < 2) options_.samples_per_chunk = 2;
  if (options_.samples_per_chunk > 65535) options_.samples_per_chunk = 65535;
  for (int i = 0; i < options_.shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

MemoryStore::~MemoryStore() = default;

MemoryStore::Shard& MemoryStore::ShardFor(uint64_t fingerprint) const {
  // The low bits of FNV-1a are the best mixed; multiply-shift spreads them over the shards.
  return *shards_[(fingerprint * 0x9E3779B97F4A7C15ull >> 32) % shards_.size()];
}

void MemoryStore::Append(const Labels& labels, Sample sample) {
  const uint64_t fp = Fingerprint(labels);
  Shard& shard = ShardFor(fp);
  std::unique_lock lock(shard.mu);
  Series* s = shard.Find(labels, fp);
  if (s == nullptr) {
    if (options_.max_series != 0 && series_count_.fetch_add(1) >= options_.max_series) {
      series_count_.fetch_sub(1);
      series_cap_dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (options_.max_series == 0) series_count_.fetch_add(1);
    s = shard.Create(labels, fp);
  }
  if (sample.t_ms <= s->last_t) {
    ++(sample.t_ms == s->last_t ? shard.duplicate_dropped : shard.out_of_order_dropped);
    return;
  }
  if (s->head.count() >= options_.samples_per_chunk) {
    s->sealed.push_back(s->head.Seal());
    s->DropChunksBefore(sample.t_ms - options_.retention_ms);
  }
  s->head.Append(sample);
  s->last_t = sample.t_ms;
  ++shard.samples_appended;
}

std::vector<SeriesSamples> MemoryStore::Select(std::span<const LabelMatcher> matchers,
                                               int64_t start_ms, int64_t end_ms) const {
  std::vector<SeriesSamples> out;
  if (start_ms > end_ms) return out;
  for (const auto& shard_ptr : shards_) {
    const Shard& shard = *shard_ptr;
    std::shared_lock lock(shard.mu);
    auto visit = [&](const Series& s) {
      if (s.last_t < start_ms) return;
      for (const LabelMatcher& m : matchers) {
        if (!m.Matches(s.labels)) return;
      }
      SeriesSamples result;
      for (const SealedChunk& c : s.sealed) c.Read(start_ms, end_ms, &result.samples);
      s.head.Read(start_ms, end_ms, &result.samples);
      if (result.samples.empty()) return;
      result.labels = s.labels;
      out.push_back(std::move(result));
    };
    if (std::optional<Postings> ids = shard.Candidates(matchers)) {
      for (SeriesId id : *ids) visit(*shard.series[id]);
    } else {
      for (const auto& s : shard.series) {
        if (s) visit(*s);
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const SeriesSamples& a, const SeriesSamples& b) { return a.labels < b.labels; });
  return out;
}

void MemoryStore::Maintain(int64_t now_ms) {
  const int64_t cutoff = now_ms - options_.retention_ms;
  for (auto& shard_ptr : shards_) {
    Shard& shard = *shard_ptr;
    std::unique_lock lock(shard.mu);
    for (SeriesId id = 0; id < shard.series.size(); ++id) {
      Series* s = shard.series[id].get();
      if (s == nullptr) continue;
      if (s->last_t < cutoff) {
        shard.Remove(id);
        series_count_.fetch_sub(1);
        series_expired_.fetch_add(1, std::memory_order_relaxed);
      } else {
        s->DropChunksBefore(cutoff);
      }
    }
  }
}

std::vector<std::string> MemoryStore::LabelValues(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& shard_ptr : shards_) {
    std::shared_lock lock(shard_ptr->mu);
    auto it = shard_ptr->postings.find(std::string(name));
    if (it == shard_ptr->postings.end()) continue;
    for (const auto& [value, ids] : it->second) values.push_back(value);
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

MemoryStoreStats MemoryStore::Stats() const {
  MemoryStoreStats st;
  for (const auto& shard_ptr : shards_) {
    const Shard& shard = *shard_ptr;
    std::shared_lock lock(shard.mu);
    st.samples_appended += shard.samples_appended;
    st.out_of_order_dropped += shard.out_of_order_dropped;
    st.duplicate_dropped += shard.duplicate_dropped;
    for (const auto& s : shard.series) {
      if (!s) continue;
      ++st.series;
      st.chunks += s->sealed.size() + (s->head.count() > 0 ? 1 : 0);
      for (const SealedChunk& c : s->sealed) st.chunk_bytes += c.MemoryBytes();
      st.chunk_bytes += s->head.MemoryBytes();
    }
  }
  st.series_cap_dropped = series_cap_dropped_.load();
  st.series_expired = series_expired_.load();
  return st;
}

}  // namespace failsafe::watch
