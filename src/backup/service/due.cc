#include "backup/service/due.h"

namespace failsafe::backup::service {

DueCheck CheckDue(const CronSchedule& schedule, std::optional<int64_t> last_due, int64_t baseline,
                  int64_t now, int64_t grace_ms) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  DueCheck out;
  const int64_t from = last_due.value_or(baseline);
  std::chrono::sys_seconds t{duration_cast<seconds>(milliseconds(from))};
  int passed = 0;
  for (; passed < 1000; ++passed) {
    auto next = schedule.Next(t);
    if (!next) break;
    const int64_t next_ms = duration_cast<milliseconds>(next->time_since_epoch()).count();
    if (next_ms > now) break;
    if (passed == 0) out.first_missed = next_ms;
    out.due_at = next_ms;
    t = *next;
  }
  if (passed == 0) return out;
  out.due = true;
  // Only the newest time runs; any older ones were missed, and so is the newest if it is
  // already older than the grace.
  out.missed_count = passed - 1;
  if (now - out.due_at > grace_ms) out.missed_count = passed;
  out.missed = out.missed_count > 0;
  if (!out.missed) out.first_missed = 0;
  return out;
}

}  // namespace failsafe::backup::service
