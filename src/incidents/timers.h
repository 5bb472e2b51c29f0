#pragma once
// Durable timers: escalation steps and status-update reminders live in the incident_timers
// table, not in memory. A timer fires inside one write transaction that marks it fired (only
// if nobody else did: safe with several servers on PostgreSQL), does its work (timeline,
// outbox rows, the next timer) and commits all of it together. So kill -9 at any instant
// neither loses a step (the transaction did not commit: the timer is still due) nor repeats
// one (it committed: the timer is marked fired).
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "base/result.h"
#include "store/store.h"

namespace failsafe::incidents {

inline constexpr std::string_view kTimerEscalation = "escalation";
inline constexpr std::string_view kTimerUpdateReminder = "update_reminder";

struct Timer {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::string kind;
  int64_t due_at = 0;
  int level = 0;  // escalation level index
  int round = 0;  // escalation repetition (0 = first pass)
};

Status ScheduleTimer(store::Tx& tx, int64_t incident_id, std::string_view kind, int64_t due_at,
                     int level = 0, int round = 0);
// Cancels the incident's pending timers of `kind` (all kinds when empty).
Status CancelTimers(store::Tx& tx, int64_t incident_id, std::string_view kind, int64_t now_ms);
// Pending timers of an incident, soonest first (for `incident show`).
Result<std::vector<Timer>> PendingTimers(store::Tx& tx, int64_t incident_id);

// Runs due timers on its own thread. `fire` runs inside the write transaction that marked the
// timer fired; an error rolls the whole batch back (retried after a pause).
class TimerWorker {
 public:
  using FireFn = std::function<Status(store::Tx&, const Timer&, int64_t now_ms)>;
  using NowFn = std::function<int64_t()>;
  TimerWorker(store::Store& store, NowFn now, FireFn fire, std::function<void()> after_commit,
              std::chrono::milliseconds max_sleep);
  ~TimerWorker();
  void Start();
  void Stop();
  void Wake();
  // Fires every timer due at `now_ms` once, on the caller's thread; returns how many fired.
  Result<int> RunDue(int64_t now_ms);

 private:
  void Loop();
  store::Store& store_;
  NowFn now_;
  FireFn fire_;
  std::function<void()> after_commit_;
  std::chrono::milliseconds max_sleep_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace failsafe::incidents
