#include "postmortems/postmortems_module.h"

namespace failsafe::postmortems {

std::vector<store::Migration> Migrations() {
  return {};
}

PostmortemsModule::PostmortemsModule(const auth::ModuleServices& services) : services_(services) {}
PostmortemsModule::~PostmortemsModule() = default;

void PostmortemsModule::RegisterRoutes(server::Router& /*router*/) {}

}  // namespace failsafe::postmortems
