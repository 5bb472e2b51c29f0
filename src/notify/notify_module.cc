#include "notify/notify_module.h"

#include "notify/outbox_worker.h"
#include "notify/routes.h"

namespace failsafe::notify {

NotifyModule::NotifyModule(const auth::ModuleServices& services, NotifySettings settings)
    : services_(services),
      settings_(settings),
      worker_(std::make_unique<OutboxWorker>(services, settings, listener_)),
      context_(std::make_unique<NotifyContext>(NotifyContext{services, *worker_})) {}

NotifyModule::~NotifyModule() {
  Stop();
}

void NotifyModule::RegisterRoutes(server::Router& router) {
  RegisterChannelRoutes(*context_, router);
  RegisterNotificationRoutes(*context_, router);
}

void NotifyModule::SetDeliveryListener(DeliveryListener listener) {
  listener_ = std::move(listener);
}

void NotifyModule::Start() {
  worker_->Start();
}
void NotifyModule::Stop() {
  worker_->Stop();
}
void NotifyModule::Wake() {
  worker_->Wake();
}

}  // namespace failsafe::notify
