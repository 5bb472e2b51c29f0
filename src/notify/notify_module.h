#pragma once
// The notify module's public face: channels, the persistent outbox and the channel senders.
#include <memory>
#include <vector>

#include "auth/module_services.h"
#include "server/router.h"
#include "store/migrations.h"

namespace failsafe::notify {

// Schema migrations of this module (see app/migrations.cc for the numbering rule).
std::vector<store::Migration> Migrations();

class NotifyModule {
 public:
  // `services` must outlive the module.
  explicit NotifyModule(const auth::ModuleServices& services);
  ~NotifyModule();
  NotifyModule(const NotifyModule&) = delete;
  NotifyModule& operator=(const NotifyModule&) = delete;

  void RegisterRoutes(server::Router& router);

 private:
  const auth::ModuleServices& services_;  // owned by app/, outlives the module
};

}  // namespace failsafe::notify
