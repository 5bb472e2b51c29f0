#include "plans/plans_module.h"

namespace failsafe::plans {

std::vector<store::Migration> Migrations() {
  return {};
}

PlansModule::PlansModule(const auth::ModuleServices& services) : services_(services) {}
PlansModule::~PlansModule() = default;

void PlansModule::RegisterRoutes(server::Router& /*router*/) {}

}  // namespace failsafe::plans
