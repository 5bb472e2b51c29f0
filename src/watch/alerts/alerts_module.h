#pragma once
// The alerts module's public face: the Alertmanager-compatible intake (API v2, webhooks from
// Alertmanager, Grafana, Zabbix and a generic format), grouping, silences, inhibition,
// maintenance windows, and routing of alert groups to incidents (docs/watch/alerts.md).
#include <memory>
#include <string>
#include <vector>

#include "auth/module_services.h"
#include "base/result.h"
#include "server/auth_hooks.h"
#include "server/router.h"
#include "store/migrations.h"
#include "watch/alerts/alert.h"

namespace failsafe::incidents {
class IncidentsModule;
}

namespace failsafe::watch::alerts {

// Schema migrations of this module (see app/migrations.cc for the numbering rule).
std::vector<store::Migration> Migrations();

struct AlertsSettings {
  std::string routing_file;  // empty: the built-in default routing (docs/watch/alerts.md)
  std::string version;       // of the binary, shown by GET /api/v2/status
};

struct AlertsContext;
class IntakeAuth;
class FlushWorker;

class AlertsModule {
 public:
  // Fails with the routing file's error (file:line: key: message) or the store's.
  // `services`, `incidents` and the wrapped authenticator/authorizer must outlive the module.
  static Result<std::unique_ptr<AlertsModule>> Create(const auth::ModuleServices& services,
                                                      incidents::IncidentsModule& incidents,
                                                      server::Authenticator& authenticator,
                                                      const server::Authorizer& authorizer,
                                                      AlertsSettings settings);
  ~AlertsModule();  // stops the worker
  AlertsModule(const AlertsModule&) = delete;
  AlertsModule& operator=(const AlertsModule&) = delete;

  void RegisterRoutes(server::Router& router);
  // The server's authenticator/authorizer with alert-source tokens added (intake_auth.h):
  // give these to the Dispatcher.
  server::Authenticator& authenticator();
  const server::Authorizer& authorizer() const;

  // Alerts raised inside failsafe (rule groups, log rules) take the same path as alerts posted
  // to /api/v2/alerts, under the sender name `source` ("rules", "logs"). Each alert needs its
  // labels and times; the fingerprint is computed here. Thread-safe.
  void PostInternal(std::vector<Alert> alerts, const std::string& source);

  // Starts the worker that flushes due groups to incidents; Stop() joins it. Idempotent.
  void Start();
  void Stop();

 private:
  AlertsModule();
  std::unique_ptr<AlertsContext> ctx_;
  std::unique_ptr<IntakeAuth> auth_;
  std::unique_ptr<FlushWorker> worker_;
};

}  // namespace failsafe::watch::alerts
