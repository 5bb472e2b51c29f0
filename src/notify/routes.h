#pragma once
// The notify module's REST routes: /api/v1/channels and /api/v1/notifications.
#include "auth/module_services.h"
#include "notify/outbox_worker.h"
#include "server/router.h"

namespace failsafe::notify {

struct NotifyContext {
  const auth::ModuleServices& services;
  OutboxWorker& worker;
};

void RegisterChannelRoutes(NotifyContext& ctx, server::Router& router);
void RegisterNotificationRoutes(NotifyContext& ctx, server::Router& router);

}  // namespace failsafe::notify
