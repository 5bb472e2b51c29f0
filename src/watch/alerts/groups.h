#pragma once
// Aggregation groups (Alertmanager's group_by, group_wait, group_interval, repeat_interval):
// alerts of one route with the same group_by label values travel together to one incident.
// A new group is flushed after group_wait; later changes wait for group_interval after the
// previous flush; with no change, the group is looked at again after repeat_interval (a
// still-firing group whose incident was closed by hand declares a new one then).
// In memory: after a restart senders re-send and groups re-form; which incident a group feeds
// is durable (incident_bridge.h). Thread-safe; sharded by group key so that intake threads
// touching different groups do not queue on one lock.
#include <array>
#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "watch/alerts/alert.h"
#include "watch/alerts/routing_config.h"

namespace failsafe::watch::alerts {

// What a flush last told the incident about each member.
enum class Reported : uint8_t { kNothing, kFiring, kResolved, kMuted };

// Per member (alert fingerprint) what the last flush reported. An open-addressing table: a
// group of an alert storm holds millions of members, and every new alert adds one on the
// intake path (a node per entry cost an allocation and a cache miss or two each).
using MemberStates = boost::unordered_flat_map<uint64_t, Reported>;

struct GroupView {
  std::string key;  // route name + group labels: stable across restarts
  const Route* route = nullptr;
  Labels labels;  // the group_by labels
  MemberStates members;
};

class Groups {
 public:
  // The group `alert` belongs to under `route` (group_by labels of the alert).
  static std::string KeyFor(const Route& route, const Labels& labels, Labels* group_labels);

  // Records that the alert with `labels` changed state (new, firing again, resolved) and
  // schedules its group. Returns the group's flush time when this touch made it earlier (a new
  // group, or a change that shortens the wait), else 0: only then may the flush worker need
  // waking before it would look anyway.
  int64_t Touch(const Route& route, const Labels& labels, uint64_t fingerprint, int64_t now_ms);
  // The same for several alerts of one group at once (one lock for a whole batch's members):
  // `key` is KeyFor(route, labels), `labels` those of any one of them.
  int64_t Touch(const Route& route, const std::string& key, const Labels& labels,
                std::span<const uint64_t> fingerprints, int64_t now_ms);
  // Schedules every group for a flush now (a silence or maintenance window changed).
  void TouchAll(int64_t now_ms);
  // Schedules the group again at `at_ms` at the latest (an alert's endsAt passes then).
  void WakeAt(const std::string& key, int64_t at_ms);

  // Groups whose flush is due at `now_ms`, copied; each is rescheduled at now + repeat.
  std::vector<GroupView> TakeDue(int64_t now_ms);
  // After a flush: stores what was reported; members reported resolved are dropped, and a
  // group left empty is removed.
  void Reported(const std::string& key, const MemberStates& r, int64_t now_ms);
  // The earliest scheduled flush (INT64_MAX when none).
  int64_t NextDue() const;
  size_t size() const;
  std::vector<GroupView> Snapshot() const;

 private:
  struct Group {
    GroupView view;
    int64_t next_flush = 0;  // 0: not scheduled
    int64_t last_flush = 0;  // 0: never flushed
  };
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Group> groups;
  };
  Shard& ShardFor(const std::string& key) {
    return shards_[std::hash<std::string>{}(key) % kShards];
  }
  std::array<Shard, kShards> shards_;
};

}  // namespace failsafe::watch::alerts
