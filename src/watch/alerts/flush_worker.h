#pragma once
// The thread that turns due alert groups into incidents (incident_bridge.h), notices alerts
// whose endsAt passed without a re-send, reloads silences and maintenance windows from the
// store (other servers sharing PostgreSQL may have changed them) and forgets alerts resolved
// long ago. Wake() makes it look at once (a silence changed); WakeFor(due) only when it would
// otherwise sleep past `due`, so the intake's every new alert does not cost a thread switch.
#include <atomic>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "watch/alerts/context.h"
#include "watch/alerts/incident_bridge.h"

namespace failsafe::watch::alerts {

class FlushWorker {
 public:
  explicit FlushWorker(AlertsContext& ctx)
      : ctx_(ctx), bridge_(ctx.services.store, ctx.incidents) {}
  ~FlushWorker() { Stop(); }
  void Start();
  void Stop();
  void Wake();
  // Wakes the worker if it sleeps until later than `due_ms` (a group became due then).
  void WakeFor(int64_t due_ms);
  // One pass: flushes the groups due now (tests call it directly). Returns groups flushed.
  size_t FlushDue();

 private:
  void Run();
  void Housekeeping(int64_t now);

  AlertsContext& ctx_;
  IncidentBridge bridge_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false, woken_ = false, running_ = false;
  // When the sleeping worker looks next; INT64_MAX while it is awake (it may have read the
  // groups before a touch, so every WakeFor must reach it then).
  std::atomic<int64_t> sleeps_until_{INT64_MAX};
  std::thread thread_;
  int64_t last_reload_ = 0, last_gc_ = 0;
  uint64_t seen_generation_ = 0;
};

}  // namespace failsafe::watch::alerts
