#include "notify/notify_module.h"

namespace failsafe::notify {

std::vector<store::Migration> Migrations() {
  return {};
}

NotifyModule::NotifyModule(const auth::ModuleServices& services) : services_(services) {}
NotifyModule::~NotifyModule() = default;

void NotifyModule::RegisterRoutes(server::Router& /*router*/) {}

}  // namespace failsafe::notify
