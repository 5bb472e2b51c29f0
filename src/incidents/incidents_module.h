#pragma once
// The incidents module's public face: incident lifecycle, plan activation (checklist by role),
// timeline, status updates, durable escalation and update-reminder timers, acknowledge links
// and the public status page.
#include <chrono>
#include <memory>
#include <vector>

#include "auth/module_services.h"
#include "server/router.h"
#include "store/migrations.h"

namespace failsafe::notify {
class NotifyModule;
}

namespace failsafe::incidents {

// Schema migrations of this module (see app/migrations.cc for the numbering rule).
std::vector<store::Migration> Migrations();

struct IncidentSettings {
  // How long an acknowledge link in a page stays valid.
  std::chrono::milliseconds ack_link_ttl = std::chrono::hours(24);
  // The timer worker sleeps until the next due timer, but at most this long, so timers written
  // by another server sharing the PostgreSQL store are noticed.
  std::chrono::milliseconds timer_max_sleep = std::chrono::seconds(5);
};

struct IncidentsContext;
class TimerWorker;
class LiveFeed;

class IncidentsModule {
 public:
  // `services` and `notify` must outlive the module. Registers itself as notify's delivery
  // listener (delivery states go onto the timeline), so construct it before notify.Start().
  IncidentsModule(const auth::ModuleServices& services, notify::NotifyModule& notify,
                  IncidentSettings settings = {});
  ~IncidentsModule();  // stops the timer worker
  IncidentsModule(const IncidentsModule&) = delete;
  IncidentsModule& operator=(const IncidentsModule&) = delete;

  void RegisterRoutes(server::Router& router);

  // Starts the timer worker (escalations, update reminders). Stop() joins it and ends the
  // live feed's streams; idempotent.
  void Start();
  void Stop();

 private:
  std::unique_ptr<IncidentsContext> ctx_;
  std::unique_ptr<TimerWorker> timers_;
  std::unique_ptr<LiveFeed> live_;  // GET /api/v1/events
};

}  // namespace failsafe::incidents
