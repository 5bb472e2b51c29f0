#pragma once
// Module-internal: what the incidents module's files share.
#include <functional>

#include "auth/module_services.h"
#include "incidents/incidents_module.h"

namespace failsafe::incidents {

struct IncidentsContext {
  const auth::ModuleServices& services;
  notify::NotifyModule& notify;
  IncidentSettings settings;
  std::function<void()> wake_timers;  // set once the timer worker exists

  store::Store& store() const { return services.store; }
  int64_t now() const { return services.clock.NowMillis(); }
  // Link to the incident in the console.
  std::string IncidentUrl(const std::string& ref) const {
    return services.public_url + "/incidents/" + ref;
  }
};

// Route registration, one function per file.
void RegisterIncidentRoutes(IncidentsContext& ctx, server::Router& router);
void RegisterActionRoutes(IncidentsContext& ctx, server::Router& router);
void RegisterPublicRoutes(IncidentsContext& ctx, server::Router& router);
class LiveFeed;
void RegisterEventRoutes(LiveFeed& feed, server::Router& router);

}  // namespace failsafe::incidents
