#pragma once
// Module-internal: registration of the catalog's HTTP routes, one function per file.
#include "auth/module_services.h"
#include "server/router.h"

namespace failsafe::catalog {

// services, teams, people, schedules, policies: list/create/get/patch/delete (resource_routes.cc)
void RegisterResourceRoutes(const auth::ModuleServices& services, server::Router& router);
// /schedules/{key}/oncall, /ical and /overrides (schedule_routes.cc)
void RegisterScheduleRoutes(const auth::ModuleServices& services, server::Router& router);
// /severities (severity_routes.cc)
void RegisterSeverityRoutes(const auth::ModuleServices& services, server::Router& router);

}  // namespace failsafe::catalog
