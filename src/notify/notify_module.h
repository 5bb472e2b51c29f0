#pragma once
// The notify module's public face: channels, the persistent outbox and the channel senders.
// Other modules call notify::Enqueue (outbox.h) in their own transaction, then Wake().
#include <chrono>
#include <memory>
#include <vector>

#include "auth/module_services.h"
#include "notify/outbox.h"
#include "server/router.h"
#include "store/migrations.h"

namespace failsafe::notify {

// Schema migrations of this module (see app/migrations.cc for the numbering rule).
std::vector<store::Migration> Migrations();

struct NotifySettings {
  std::chrono::milliseconds retry_initial{2000}, retry_max{300000}, send_timeout{10000};
  int max_attempts = 10;
};

class OutboxWorker;
struct NotifyContext;

class NotifyModule {
 public:
  // `services` must outlive the module.
  explicit NotifyModule(const auth::ModuleServices& services, NotifySettings settings = {});
  ~NotifyModule();  // stops the worker
  NotifyModule(const NotifyModule&) = delete;
  NotifyModule& operator=(const NotifyModule&) = delete;

  void RegisterRoutes(server::Router& router);

  // Called inside the transaction recording each delivery state. Set before Start().
  void SetDeliveryListener(DeliveryListener listener);
  // Starts the outbox worker thread. Stop() joins it; safe to call twice.
  void Start();
  void Stop();
  // Tells the worker new rows are due (call after committing an Enqueue).
  void Wake();

 private:
  const auth::ModuleServices& services_;  // owned by app/, outlives the module
  NotifySettings settings_;
  DeliveryListener listener_;  // declared before worker_, which holds a reference to it
  std::unique_ptr<OutboxWorker> worker_;
  std::unique_ptr<NotifyContext> context_;
};

}  // namespace failsafe::notify
