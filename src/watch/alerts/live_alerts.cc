#include "watch/alerts/live_alerts.h"

#include <algorithm>

namespace failsafe::watch::alerts {

Change LiveAlerts::Upsert(Alert alert, int64_t now_ms, Labels* labels_out) {
  Shard& shard = ShardFor(alert.fingerprint);
  const bool firing_now = !alert.Resolved(now_ms);
  std::lock_guard lock(shard.mu);
  auto [it, inserted] = shard.alerts.try_emplace(alert.fingerprint);
  if (inserted) {
    try {
      it->second = std::make_unique<Alert>(std::move(alert));
    } catch (...) {
      shard.alerts.erase(it);  // no empty slot may stay behind
      throw;
    }
    if (!firing_now) return Change::kUnchanged;
    if (labels_out != nullptr) *labels_out = it->second->labels;
    return Change::kFiring;
  }
  Alert& known = *it->second;
  const bool was_firing = !known.Resolved(now_ms);
  const bool overlaps = alert.starts_at <= known.ends_at && known.starts_at <= alert.ends_at;
  if (!overlaps && alert.starts_at > known.ends_at) {
    known = std::move(alert);  // a new occurrence after the old one ended
  } else {
    known.starts_at = std::min(known.starts_at, alert.starts_at);
    // A sender that states an end is believed; an end we made up (resolve timeout) never
    // shortens one the sender stated.
    if (alert.ends_at_given || !known.ends_at_given || alert.ends_at > known.ends_at) {
      known.ends_at = alert.ends_at;
      known.ends_at_given = alert.ends_at_given;
    }
    known.annotations = std::move(alert.annotations);
    if (!alert.generator_url.empty()) known.generator_url = std::move(alert.generator_url);
    known.updated_at = alert.updated_at;
    known.source = std::move(alert.source);
  }
  const bool firing_after = !known.Resolved(now_ms);
  if (firing_after == was_firing) return Change::kUnchanged;
  if (labels_out != nullptr) *labels_out = known.labels;
  return firing_after ? Change::kFiring : Change::kResolved;
}

std::optional<Alert> LiveAlerts::Get(uint64_t fingerprint) const {
  const Shard& shard = ShardFor(fingerprint);
  std::lock_guard lock(shard.mu);
  auto it = shard.alerts.find(fingerprint);
  if (it == shard.alerts.end()) return std::nullopt;
  return *it->second;
}

void LiveAlerts::ForEach(const std::function<void(const Alert&)>& fn) const {
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (const auto& [fp, a] : shard.alerts) fn(*a);
  }
}

std::vector<Alert> LiveAlerts::Snapshot() const {
  std::vector<Alert> out;
  ForEach([&out](const Alert& a) { out.push_back(a); });
  return out;
}

size_t LiveAlerts::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.alerts.size();
  }
  return n;
}

size_t LiveAlerts::CollectGarbage(int64_t before_ms) {
  size_t n = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += boost::unordered::erase_if(
        shard.alerts, [before_ms](const auto& kv) { return kv.second->ends_at < before_ms; });
  }
  return n;
}

}  // namespace failsafe::watch::alerts
