#pragma once
// When a schedule is due, and whether runs were missed: the pure part of the scheduler, tested
// with made-up times. A schedule time counts as missed when the scheduler first sees it more
// than `grace` after it passed (the server was down, or stopped), or when a later time passed
// too before anything ran.
#include <cstdint>
#include <optional>

#include "base/cron.h"

namespace failsafe::backup::service {

struct DueCheck {
  bool due = false;          // at least one schedule time passed since `last_due`
  int64_t due_at = 0;        // the newest such time (becomes the next `last_due`)
  bool missed = false;       // see above
  int64_t first_missed = 0;  // the oldest time that passed unrun
  int missed_count = 0;      // how many times passed unrun (capped at 1000)
};

// `last_due`: the schedule time the last decision was about (nullopt: the policy is new; the
// schedule starts from `baseline`, the time it was created or enabled). Times in Unix ms.
DueCheck CheckDue(const CronSchedule& schedule, std::optional<int64_t> last_due, int64_t baseline,
                  int64_t now, int64_t grace_ms);

}  // namespace failsafe::backup::service
