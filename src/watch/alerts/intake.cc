// Ingest: where every receiver's alerts go (context.h).
#include <algorithm>
#include <climits>

#include "base/clock.h"
#include "watch/alerts/context.h"
#include "watch/alerts/intake_auth.h"

namespace failsafe::watch::alerts {

AlertsMetrics::AlertsMetrics(metrics::Registry& r)
    : received(r.AddCounter("failsafe_alerts_received_total",
                            "Alerts accepted, by receiver (v2, alertmanager, grafana, ...)",
                            {"receiver"})),
      rejected(r.AddCounter("failsafe_alerts_rejected_total",
                            "Alert payloads refused as invalid, by receiver", {"receiver"})),
      flush_errors(r.AddCounter("failsafe_alert_flush_errors_total",
                                "Alert group flushes that failed (retried at the next flush)")
                       .With({})),
      declared(r.AddCounter("failsafe_alert_incidents_declared_total",
                            "Incidents declared from alert groups")
                   .With({})) {}

Result<Sender> SenderOf(AlertsContext& ctx, const server::Request& request,
                        std::string_view payload) {
  const server::Principal& p = *request.principal;
  if (p.role != kSourceRole) return Sender{p.username, {}};
  auto source = ctx.tokens.ById(p.token_id, ctx.now());
  if (!source) return Err(Unauthenticated("the alert source token is no longer valid"));
  const bool fits =
      source->kind == payload ||
      (payload == "v2" && (source->kind == "prometheus" || source->kind == "alertmanager"));
  if (!fits) {
    const std::string where =
        source->kind == "prometheus" ? "/api/v2/alerts" : "/api/v1/alerts/" + source->kind;
    return Err(PermissionDenied("source '" + source->name + "' is a " + source->kind +
                                " source: post to " + where));
  }
  return Sender{p.username, source->default_labels};
}

void Ingest(AlertsContext& ctx, std::vector<Alert> alerts, const Sender& sender,
            std::string_view receiver) {
  const int64_t now = ctx.now();
  int64_t earliest_due = INT64_MAX;  // the earliest flush a touch brought forward
  for (Alert& a : alerts) {
    if (!sender.defaults.empty()) {
      for (const auto& l : sender.defaults) AddLabelIfAbsent(a.labels, l.name, l.value);
      a.fingerprint = AlertFingerprint(a.labels);
    }
    a.source = sender.name;
    Labels changed;
    const uint64_t fp = a.fingerprint;
    Change change = ctx.live.Upsert(std::move(a), now, &changed);
    if (change != Change::kUnchanged) {
      const int64_t due = ctx.groups.Touch(ctx.config.RouteFor(changed), changed, fp, now);
      if (due != 0) earliest_due = std::min(earliest_due, due);
    }
  }
  ctx.metrics.received.With({std::string(receiver)}).Inc(static_cast<double>(alerts.size()));
  if (earliest_due != INT64_MAX && ctx.wake_for) ctx.wake_for(earliest_due);
}

}  // namespace failsafe::watch::alerts
