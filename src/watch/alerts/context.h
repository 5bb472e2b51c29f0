#pragma once
// Module-internal: what the alerts module's files share.
#include <functional>
#include <memory>

#include "auth/module_services.h"
#include "base/metrics.h"
#include "incidents/incidents_module.h"
#include "server/http_types.h"
#include "watch/alerts/groups.h"
#include "watch/alerts/live_alerts.h"
#include "watch/alerts/maintenance.h"
#include "watch/alerts/routing_config.h"
#include "watch/alerts/silences.h"
#include "watch/alerts/sources.h"

namespace failsafe::watch::alerts {

struct AlertsMetrics {
  explicit AlertsMetrics(metrics::Registry& r);
  metrics::Family<metrics::Counter>& received;  // {receiver}
  metrics::Family<metrics::Counter>& rejected;  // {receiver}: payloads refused as invalid
  metrics::Counter& flush_errors;
  metrics::Counter& declared;
};

struct AlertsContext {
  const auth::ModuleServices& services;
  incidents::IncidentsModule& incidents;
  RoutingConfig config;
  LiveAlerts live;
  Groups groups;
  Silences silences;
  MaintenanceWindows maintenance;
  SourceTokens tokens;
  AlertsMetrics metrics;
  int64_t started_at = 0;
  std::string version;         // of the binary, for GET /api/v2/status
  std::function<void()> wake;  // wakes the flush worker (set by the module)
  // Wakes it only if it would sleep past `due_ms` (a group became due then).
  std::function<void(int64_t due_ms)> wake_for;

  int64_t now() const { return services.clock.NowMillis(); }
};

// The intake every receiver ends in: adds the source's default labels, merges into the live
// alerts and schedules the groups of alerts whose state changed. Counts per receiver.
struct Sender {
  std::string name;  // "source:prom-1" or a username
  Labels defaults;   // the source's default labels (never override the alert's own)
};
// The sender of `request` on the receiver for payloads of `payload` kind (v2, alertmanager,
// grafana, zabbix, generic). kPermissionDenied when a source token of another kind is used
// ("source 'zbx' is a zabbix source: post to /api/v1/alerts/zabbix"), so a misconfigured
// sender is told at once.
Result<Sender> SenderOf(AlertsContext& ctx, const server::Request& request,
                        std::string_view payload);
void Ingest(AlertsContext& ctx, std::vector<Alert> alerts, const Sender& sender,
            std::string_view receiver);

// Route registration, one function per file.
void RegisterApiV2Routes(AlertsContext& ctx, server::Router& router);
void RegisterSilenceRoutes(AlertsContext& ctx, server::Router& router);
void RegisterReceiverRoutes(AlertsContext& ctx, server::Router& router);
void RegisterAdminRoutes(AlertsContext& ctx, server::Router& router);

}  // namespace failsafe::watch::alerts
