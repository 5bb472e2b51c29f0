#pragma once
// The incidents module's public face: incident lifecycle, checklist, timeline, status updates,
// escalation timers.
#include <memory>
#include <vector>

#include "auth/module_services.h"
#include "server/router.h"
#include "store/migrations.h"

namespace failsafe::incidents {

// Schema migrations of this module (see app/migrations.cc for the numbering rule).
std::vector<store::Migration> Migrations();

class IncidentsModule {
 public:
  // `services` must outlive the module.
  explicit IncidentsModule(const auth::ModuleServices& services);
  ~IncidentsModule();
  IncidentsModule(const IncidentsModule&) = delete;
  IncidentsModule& operator=(const IncidentsModule&) = delete;

  void RegisterRoutes(server::Router& router);

 private:
  const auth::ModuleServices& services_;  // owned by app/, outlives the module
};

}  // namespace failsafe::incidents
