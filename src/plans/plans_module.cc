#include "plans/plans_module.h"

#include "plans/plan_routes.h"

namespace failsafe::plans {

PlansModule::PlansModule(const auth::ModuleServices& services) : services_(services) {}
PlansModule::~PlansModule() = default;

void PlansModule::RegisterRoutes(server::Router& router) {
  RegisterPlanRoutes(services_, router);
}

}  // namespace failsafe::plans
