#pragma once
// The incidents module's public face: incident lifecycle, plan activation (checklist by role),
// timeline, status updates, durable escalation and update-reminder timers, acknowledge links
// and the public status page.
#include <chrono>
#include <memory>
#include <vector>

#include "auth/module_services.h"
#include "incidents/incident.h"
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
struct DeclareInput;  // operations.h
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

  // For modules that raise incidents from signals (watch/alerts): declare and transition
  // inside the caller's write transaction, so their own records (which alert group feeds
  // which incident) commit with the incident or not at all. `actor` is a name, audited as
  // such. Call AfterWrite() once the transaction has committed: it wakes the outbox and the
  // timer worker so the pages go out at once.
  Result<Incident> DeclareIn(store::Tx& tx, const DeclareInput& in, std::string_view actor);
  Result<Incident> TransitionIn(store::Tx& tx, int64_t incident_id, std::string_view action,
                                const std::string& note, std::string_view actor);
  void AfterWrite();

  // Sends a passing event (e.g. backup progress) on GET /api/v1/events to the listeners whose
  // role holds `permission`. Thread-safe; nothing happens when nobody listens.
  void PublishLive(std::string_view event, std::string_view data, std::string_view permission);

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
