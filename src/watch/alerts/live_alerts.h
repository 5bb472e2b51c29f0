#pragma once
// LiveAlerts: the alerts currently known, in memory, keyed by fingerprint, as Alertmanager
// keeps them. Senders (Prometheus, Alertmanager, Grafana) re-send firing alerts every
// evaluation, so after a restart the set refills within a minute; what must outlive a crash
// (silences, the group -> incident decisions, the incidents) is in the store (ADR 0008).
// Sharded by fingerprint so concurrent intake threads rarely meet. Thread-safe.
#include <array>
#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "watch/alerts/alert.h"

namespace failsafe::watch::alerts {

// What an Upsert did to the alert's state.
enum class Change {
  kUnchanged,  // known and still firing (or still resolved): a re-send
  kFiring,     // new, or firing again after it had resolved
  kResolved,   // was firing, now resolved
};

class LiveAlerts {
 public:
  // Adds or merges `alert` (fingerprint set). A re-send of a firing alert keeps the earliest
  // startsAt and takes the new endsAt and annotations; an alert that starts after the known
  // one ended replaces it. `now_ms` decides firing vs resolved. When the state changed and
  // `labels_out` is set, the alert's labels are copied there (for its group).
  Change Upsert(Alert alert, int64_t now_ms, Labels* labels_out = nullptr);

  std::optional<Alert> Get(uint64_t fingerprint) const;
  // Calls `fn` for every alert, shard by shard, under that shard's lock (keep fn short; do not
  // call back into LiveAlerts).
  void ForEach(const std::function<void(const Alert&)>& fn) const;
  std::vector<Alert> Snapshot() const;
  size_t size() const;

  // Forgets alerts resolved before `before_ms`; returns how many.
  size_t CollectGarbage(int64_t before_ms);

 private:
  static constexpr size_t kShards = 16;
  // Open addressing over pointers: an insert costs one probe of a flat array instead of a
  // bucket and a node chain, growing rehashes move 16-byte slots, and Alert values stay put.
  struct Shard {
    mutable std::mutex mu;
    boost::unordered_flat_map<uint64_t, std::unique_ptr<Alert>> alerts;
  };
  Shard& ShardFor(uint64_t fp) { return shards_[fp % kShards]; }
  const Shard& ShardFor(uint64_t fp) const { return shards_[fp % kShards]; }
  std::array<Shard, kShards> shards_;
};

}  // namespace failsafe::watch::alerts
