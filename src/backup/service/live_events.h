#pragma once
// The backup service's live events for the console (GET /api/v1/events; docs/backup/policies.md):
// the progress of the running job and each job's outcome. The scheduler produces them; the
// server hands them to the live feed, which sends them only to users holding backups.read.
// Progress events are throttled per job (ProgressThrottle) so a fast backup does not flood
// every console.
#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "backup/ops/progress.h"
#include "backup/service/records.h"

namespace failsafe::backup::service {

inline constexpr const char* kProgressEvent = "backup.progress";
inline constexpr const char* kRunFinishedEvent = "backup.run.finished";
inline constexpr const char* kDrillFinishedEvent = "backup.drill.finished";
// Who may see them: the permission of GET /api/v1/backup/progress.
inline constexpr const char* kLiveEventPermission = "backups.read";

// `event` is one of the names above, `data` its JSON text.
using LiveEventSink = std::function<void(const std::string& event, const std::string& data)>;

// What is running now, for GET /api/v1/backup/progress and the progress event.
struct RunningJob {
  std::string policy, service, kind, destination, trigger;
  // backup: staging -> saving -> finishing (retention, prune) per destination;
  // drill: opening -> restoring -> finishing.
  std::string phase;
  int destination_index = 0;  // 1-based; 0 before the first destination
  int destinations = 0;
  int64_t started_at = 0;
  bool has_progress = false;
  ProgressSample progress;
};

boost::json::object RunningJobJson(const RunningJob& job);
std::string ProgressEventData(const RunningJob& job);
// One event per backup job: {policy, service, kind, status (the worst of the runs), runs: [...]}.
std::string RunFinishedEventData(const std::string& policy, const std::string& service,
                                 const std::vector<RunRecord>& runs);
std::string DrillFinishedEventData(const DrillRecord& drill);

// At most one progress event per `interval` for a job; the first of each job always passes.
class ProgressThrottle {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit ProgressThrottle(std::chrono::milliseconds interval) : interval_(interval) {}

  void NewJob() { sent_any_ = false; }
  bool Admit(TimePoint now);
  // The earliest time the next event of this job may go (the distant past before its first).
  TimePoint NextAllowed() const { return sent_any_ ? last_ + interval_ : TimePoint::min(); }

 private:
  std::chrono::milliseconds interval_;
  bool sent_any_ = false;
  TimePoint last_{};
};

}  // namespace failsafe::backup::service
