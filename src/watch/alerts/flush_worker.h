#pragma once
// The thread that turns due alert groups into incidents (incident_bridge.h), notices alerts
// whose endsAt passed without a re-send, reloads silences and maintenance windows from the
// store (other servers sharing PostgreSQL may have changed them) and forgets alerts resolved
// long ago. Wake() makes it look at once (a new group with group_wait 0).
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
  std::thread thread_;
  int64_t last_reload_ = 0, last_gc_ = 0;
  uint64_t seen_generation_ = 0;
};

}  // namespace failsafe::watch::alerts
