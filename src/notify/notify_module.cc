#include "notify/notify_module.h"

namespace failsafe::notify {

// Placeholder until the worker lands (outbox_worker.h).
class OutboxWorker {};

std::vector<store::Migration> Migrations() {
  return {};
}

Result<std::vector<int64_t>> Enqueue(store::Tx& /*tx*/, const Notification& /*n*/,
                                     int64_t /*now_ms*/) {
  return std::vector<int64_t>{};
}

NotifyModule::NotifyModule(const auth::ModuleServices& services, NotifySettings settings)
    : services_(services), settings_(settings) {}
NotifyModule::~NotifyModule() {
  Stop();
}

void NotifyModule::RegisterRoutes(server::Router& /*router*/) {}
void NotifyModule::SetDeliveryListener(DeliveryListener listener) {
  listener_ = std::move(listener);
}
void NotifyModule::Start() {}
void NotifyModule::Stop() {}
void NotifyModule::Wake() {}

}  // namespace failsafe::notify
