#include "incidents/incidents_module.h"

namespace failsafe::incidents {

std::vector<store::Migration> Migrations() {
  return {};
}

IncidentsModule::IncidentsModule(const auth::ModuleServices& services) : services_(services) {}
IncidentsModule::~IncidentsModule() = default;

void IncidentsModule::RegisterRoutes(server::Router& /*router*/) {}

}  // namespace failsafe::incidents
