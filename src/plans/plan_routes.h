#pragma once
// /api/v1/plans: list, import (YAML), show, versions, export, submit, approve, retire.
#include "auth/module_services.h"
#include "server/router.h"

namespace failsafe::plans {

// `services` must outlive the router.
void RegisterPlanRoutes(const auth::ModuleServices& services, server::Router& router);

}  // namespace failsafe::plans
