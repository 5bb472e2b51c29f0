// Webhook receivers, each authenticated by its source's token (or an API token with
// alerts.write): POST /api/v1/alerts/{alertmanager,grafana,zabbix,generic}.
#include "server/route_helpers.h"
#include "watch/alerts/context.h"
#include "watch/alerts/intake_auth.h"
#include "watch/alerts/payload_decoders.h"

namespace failsafe::watch::alerts {
namespace {

using server::Request;
using server::Response;

struct ReceiverDef {
  const char* kind;
  const char* summary;
};
constexpr ReceiverDef kReceivers[] = {
    {"alertmanager", "Alertmanager webhook receiver (payload version 4)"},
    {"grafana", "Grafana alerting webhook contact point"},
    {"zabbix", "Zabbix webhook media type (the script in docs/watch/alerts.md)"},
    {"generic",
     "Generic JSON alerts: {alerts:[{name, status, labels, ...}]} (docs/watch/alerts.md)"},
};

Result<Response> Receive(AlertsContext& ctx, Request& req, std::string_view kind) {
  FS_ASSIGN_OR_RETURN(Sender sender, SenderOf(ctx, req, kind));
  DecodeOptions o{ctx.now(), ctx.config.resolve_timeout_ms};
  auto alerts = DecoderFor(kind)(req.body, o);
  if (!alerts) {
    ctx.metrics.rejected.With({std::string(kind)}).Inc();
    return Err(alerts.error());
  }
  const auto n = static_cast<int64_t>(alerts->size());
  Ingest(ctx, std::move(*alerts), sender, kind);
  return Response::Json(boost::json::object{{"accepted", n}});
}

}  // namespace

void RegisterReceiverRoutes(AlertsContext& ctx, server::Router& router) {
  for (const auto& def : kReceivers) {
    const std::string kind = def.kind;
    router.Add({"POST",
                "/api/v1/alerts/" + kind,
                std::string(kIntakePermission),
                [&ctx, kind](Request& r) { return Receive(ctx, r, kind); },
                {def.summary,
                 "alerts",
                 server::Schema(R"({"type":"object"})"),
                 server::Schema(R"({"type":"object","properties":{"accepted":
                   {"type":"integer"}}})"),
                 200,
                 {}}});
  }
}

}  // namespace failsafe::watch::alerts
