#pragma once
// What the backup service writes down: one row per backup run to one destination, one per
// restore drill. Statuses: runs ok | failed | incomplete (saved, some files unreadable) |
// missed (a scheduled run that did not happen while the server was down); drills pass | fail.
#include <cstdint>
#include <optional>
#include <string>

namespace failsafe::backup::service {

inline constexpr const char* kRunOk = "ok";
inline constexpr const char* kRunFailed = "failed";
inline constexpr const char* kRunIncomplete = "incomplete";
inline constexpr const char* kRunMissed = "missed";
inline constexpr const char* kDrillPass = "pass";
inline constexpr const char* kDrillFail = "fail";

struct RunRecord {
  int64_t id = 0;
  int64_t policy_id = 0;
  std::string policy_name, service_key, destination;
  std::string trigger = "schedule";  // schedule | manual | catch-up
  bool full = false;
  int64_t scheduled_for = 0;  // Unix ms of the schedule time; the start for manual runs
  std::string snapshot_id;    // hex, empty when nothing was saved
  int64_t started_at = 0, duration_ms = 0;
  int64_t bytes_read = 0, data_added = 0, files = 0, error_count = 0;
  std::string errors;     // one line each (at most a few KiB kept)
  std::string retention;  // what forget did after a good run, or why it did not
  std::string status;
};

struct DrillRecord {
  int64_t id = 0;
  int64_t policy_id = 0;
  std::string policy_name, service_key, destination;
  std::string trigger = "schedule";
  std::string snapshot_id;
  int64_t started_at = 0, duration_ms = 0;
  int64_t restored_bytes = 0, verified_bytes = 0, snapshot_bytes = 0, files = 0;
  int64_t projected_ms = 0;          // the time a full restore of the snapshot would take
  int64_t rto_ms = 0;                // the service's RTO then (0: none set)
  std::optional<int64_t> margin_ms;  // rto - projected; none without an RTO
  std::string status;
  std::string detail;  // why it failed, or notes
};

}  // namespace failsafe::backup::service
