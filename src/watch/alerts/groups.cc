#include "watch/alerts/groups.h"

#include <algorithm>
#include <climits>

namespace failsafe::watch::alerts {

std::string Groups::KeyFor(const Route& route, const Labels& labels, Labels* group_labels) {
  Labels picked;
  picked.reserve(route.group_by.size());
  for (const auto& name : route.group_by) {
    std::string_view v = LabelValue(labels, name);
    if (!v.empty()) picked.push_back({name, std::string(v)});
  }
  picked = SortedLabels(std::move(picked));
  std::string key = route.name + ":" + LabelsJson(picked);
  if (group_labels != nullptr) *group_labels = std::move(picked);
  return key;
}

int64_t Groups::Touch(const Route& route, const Labels& labels, uint64_t fingerprint,
                      int64_t now_ms) {
  return Touch(route, KeyFor(route, labels, nullptr), labels, {&fingerprint, 1}, now_ms);
}

int64_t Groups::Touch(const Route& route, const std::string& key, const Labels& labels,
                      std::span<const uint64_t> fingerprints, int64_t now_ms) {
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  auto [it, inserted] = shard.groups.try_emplace(key);
  Group& g = it->second;
  if (inserted) {
    g.view.key = it->first;
    g.view.route = &route;
    KeyFor(route, labels, &g.view.labels);
  }
  for (uint64_t fp : fingerprints) g.view.members.try_emplace(fp, Reported::kNothing);
  const int64_t due = g.last_flush == 0 ? now_ms + route.group_wait_ms
                                        : std::max(now_ms, g.last_flush + route.group_interval_ms);
  if (g.last_flush == 0 && g.next_flush != 0) return 0;  // waiting for group_wait already
  if (g.next_flush != 0 && due >= g.next_flush) return 0;
  g.next_flush = due;
  return due;
}

void Groups::TouchAll(int64_t now_ms) {
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (auto& [key, g] : shard.groups) g.next_flush = now_ms;
  }
}

void Groups::WakeAt(const std::string& key, int64_t at_ms) {
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  auto it = shard.groups.find(key);
  if (it == shard.groups.end()) return;
  if (it->second.next_flush == 0 || at_ms < it->second.next_flush) it->second.next_flush = at_ms;
}

std::vector<GroupView> Groups::TakeDue(int64_t now_ms) {
  std::vector<GroupView> due;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (auto& [key, g] : shard.groups) {
      if (g.next_flush == 0 || g.next_flush > now_ms) continue;
      due.push_back(g.view);
      g.last_flush = now_ms;
      g.next_flush = now_ms + g.view.route->repeat_interval_ms;
    }
  }
  return due;
}

void Groups::Reported(const std::string& key, const MemberStates& r, int64_t now_ms) {
  (void)now_ms;
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  auto it = shard.groups.find(key);
  if (it == shard.groups.end()) return;
  auto& members = it->second.view.members;
  for (const auto& [fp, state] : r) {
    auto m = members.find(fp);
    if (m == members.end()) continue;
    // A member touched again since the flush copied it keeps kNothing only if it was new then.
    if (state == Reported::kResolved) {
      members.erase(m);
    } else {
      m->second = state;
    }
  }
  if (members.empty()) shard.groups.erase(it);
}

int64_t Groups::NextDue() const {
  int64_t next = INT64_MAX;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (const auto& [key, g] : shard.groups) {
      if (g.next_flush != 0) next = std::min(next, g.next_flush);
    }
  }
  return next;
}

size_t Groups::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.groups.size();
  }
  return n;
}

std::vector<GroupView> Groups::Snapshot() const {
  std::vector<GroupView> out;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    for (const auto& [key, g] : shard.groups) out.push_back(g.view);
  }
  return out;
}

}  // namespace failsafe::watch::alerts
