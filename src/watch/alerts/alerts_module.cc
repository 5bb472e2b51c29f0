#include "watch/alerts/alerts_module.h"

#include "base/env.h"
#include "watch/alerts/context.h"
#include "watch/alerts/flush_worker.h"
#include "watch/alerts/intake_auth.h"

namespace failsafe::watch::alerts {

AlertsModule::AlertsModule() = default;

AlertsModule::~AlertsModule() {
  Stop();
}

Result<std::unique_ptr<AlertsModule>> AlertsModule::Create(const auth::ModuleServices& services,
                                                           incidents::IncidentsModule& incidents,
                                                           server::Authenticator& authenticator,
                                                           const server::Authorizer& authorizer,
                                                           AlertsSettings settings) {
  RoutingConfig config;
  if (!settings.routing_file.empty()) {
    auto text = Env::Default()->ReadFile(settings.routing_file);
    if (!text) return Err(text.error().WithContext("reading the alert routing file"));
    FS_ASSIGN_OR_RETURN(config, ParseRoutingConfig(*text, settings.routing_file));
  }
  std::unique_ptr<AlertsModule> m(new AlertsModule());
  m->ctx_.reset(new AlertsContext{services,
                                  incidents,
                                  std::move(config),
                                  {},
                                  {},
                                  {},
                                  {},
                                  SourceTokens(services.store),
                                  AlertsMetrics(services.metrics),
                                  services.clock.NowMillis(),
                                  settings.version,
                                  {},
                                  {}});
  AlertsContext* ctx = m->ctx_.get();
  FS_RETURN_IF_ERROR(ctx->silences.Reload(services.store));
  FS_RETURN_IF_ERROR(ctx->maintenance.Reload(services.store));
  m->auth_ = std::make_unique<IntakeAuth>(authenticator, authorizer, ctx->tokens, services.clock);
  m->worker_ = std::make_unique<FlushWorker>(*ctx);
  ctx->wake = [w = m->worker_.get()] { w->Wake(); };
  ctx->wake_for = [w = m->worker_.get()](int64_t due_ms) { w->WakeFor(due_ms); };
  auto& live =
      services.metrics
          .AddGauge("failsafe_alerts_live", "Alerts held in memory (firing or recently resolved)")
          .With({});
  auto& groups =
      services.metrics.AddGauge("failsafe_alert_groups", "Alert groups held in memory").With({});
  services.metrics.AddCollector([ctx, &live, &groups] {
    live.Set(static_cast<double>(ctx->live.size()));
    groups.Set(static_cast<double>(ctx->groups.size()));
  });
  return m;
}

void AlertsModule::RegisterRoutes(server::Router& router) {
  RegisterApiV2Routes(*ctx_, router);
  RegisterSilenceRoutes(*ctx_, router);
  RegisterReceiverRoutes(*ctx_, router);
  RegisterAdminRoutes(*ctx_, router);
}

server::Authenticator& AlertsModule::authenticator() {
  return *auth_;
}

const server::Authorizer& AlertsModule::authorizer() const {
  return *auth_;
}

void AlertsModule::PostInternal(std::vector<Alert> alerts, const std::string& source) {
  const int64_t now = ctx_->now();
  for (Alert& a : alerts) {
    a.labels = SortedLabels(std::move(a.labels));
    a.annotations = SortedLabels(std::move(a.annotations));
    a.fingerprint = AlertFingerprint(a.labels);
    a.updated_at = now;
    a.ends_at_given = a.ends_at != 0;
    if (a.starts_at == 0) a.starts_at = now;
    // Without an end the alert holds until the sender goes quiet, as for a posted alert.
    if (!a.ends_at_given) a.ends_at = std::max(a.starts_at, now) + ctx_->config.resolve_timeout_ms;
  }
  Ingest(*ctx_, std::move(alerts), Sender{source, {}}, source);
}

void AlertsModule::Start() {
  worker_->Start();
}

void AlertsModule::Stop() {
  if (worker_) worker_->Stop();
}

}  // namespace failsafe::watch::alerts
