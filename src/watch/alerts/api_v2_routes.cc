// The Alertmanager API v2 read and write side for alerts: what Prometheus posts to and what
// amtool reads (`amtool --alertmanager.url=... alert query`). Silences are in
// silence_routes.cc.
#include <algorithm>

#include "base/clock.h"
#include "server/route_helpers.h"
#include "watch/alerts/alert_json.h"
#include "watch/alerts/incident_bridge.h"
#include "watch/alerts/intake_auth.h"
#include "watch/alerts/payload_decoders.h"

namespace failsafe::watch::alerts {
namespace {

using server::Request;
using server::Response;

constexpr std::string_view kAlertArraySchema = R"({"type":"array","items":{"type":"object",
  "required":["labels"],"properties":{"labels":{"type":"object"},"annotations":{"type":"object"},
  "startsAt":{"type":"string","format":"date-time"},"endsAt":{"type":"string",
  "format":"date-time"},"generatorURL":{"type":"string"}}}})";

Result<Response> PostAlerts(AlertsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(Sender sender, SenderOf(ctx, req, "v2"));
  DecodeOptions o{ctx.now(), ctx.config.resolve_timeout_ms};
  auto alerts = DecodeV2Alerts(req.body, o);
  if (!alerts) {
    ctx.metrics.rejected.With({"v2"}).Inc();
    return Err(alerts.error());
  }
  Ingest(ctx, std::move(*alerts), sender, "v2");
  return Response::Text("", "application/json", 200);
}

// The alerts passing the filter with their mute state and receiver, sorted by fingerprint.
struct Listed {
  Alert alert;
  MuteState state;
  std::string receiver;
};
std::vector<Listed> ListAlerts(AlertsContext& ctx, const AlertFilter& f) {
  const int64_t now = ctx.now();
  Inhibitor inhibitor(ctx.config.inhibit_rules, ctx.live, now);
  Muters muters{ctx.silences, ctx.maintenance, inhibitor};
  std::vector<Listed> out;
  for (Alert& a : ctx.live.Snapshot()) {
    const Route& route = ctx.config.RouteFor(a.labels);
    MuteState state = muters.StateOf(a, ServiceOf(route, a.labels), now);
    if (!Passes(f, a, state, route.name, now)) continue;
    out.push_back({std::move(a), std::move(state), route.name});
  }
  std::sort(out.begin(), out.end(), [](const Listed& x, const Listed& y) {
    return x.alert.fingerprint < y.alert.fingerprint;
  });
  return out;
}

Result<Response> GetAlerts(AlertsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(AlertFilter f, FilterFrom(req));
  std::string body;
  json::Writer w(body);
  w.BeginArray();
  for (const auto& l : ListAlerts(ctx, f)) WriteAlert(w, l.alert, l.state, l.receiver);
  w.EndArray();
  return Response::JsonText(std::move(body));
}

Result<Response> GetGroups(AlertsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(AlertFilter f, FilterFrom(req));
  // Grouped as the routing groups them: route + group_by labels.
  std::map<std::string, std::vector<Listed>> groups;
  std::map<std::string, Labels> group_labels;
  for (auto& l : ListAlerts(ctx, f)) {
    Labels labels;
    std::string key = Groups::KeyFor(ctx.config.RouteFor(l.alert.labels), l.alert.labels, &labels);
    group_labels[key] = std::move(labels);
    groups[key].push_back(std::move(l));
  }
  std::string body;
  json::Writer w(body);
  w.BeginArray();
  for (const auto& [key, members] : groups) {
    w.BeginObject();
    w.Key("alerts");
    w.BeginArray();
    for (const auto& l : members) WriteAlert(w, l.alert, l.state, l.receiver);
    w.EndArray();
    w.Key("labels");
    w.BeginObject();
    for (const auto& lb : group_labels[key]) w.Field(lb.name, lb.value);
    w.EndObject();
    w.Key("receiver");
    w.BeginObject();
    w.Field("name", members.front().receiver);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  return Response::JsonText(std::move(body));
}

Result<Response> GetStatus(AlertsContext& ctx) {
  boost::json::object version{{"branch", "main"},        {"buildDate", ""},
                              {"buildUser", "failsafe"}, {"goVersion", "none (C++)"},
                              {"revision", ctx.version}, {"version", ctx.version}};
  return Response::Json(boost::json::object{
      {"cluster", boost::json::object{{"status", "disabled"}, {"peers", boost::json::array{}}}},
      {"config", boost::json::object{{"original", ctx.config.original}}},
      {"uptime", FormatRfc3339(ctx.started_at)},
      {"versionInfo", std::move(version)}});
}

Result<Response> GetReceivers(AlertsContext& ctx) {
  boost::json::array out;
  for (const auto& name : ctx.config.ReceiverNames())
    out.push_back(boost::json::object{{"name", name}});
  return Response::Json(out);
}

}  // namespace

void RegisterApiV2Routes(AlertsContext& ctx, server::Router& router) {
  using server::Schema;
  const std::vector<std::string> filters = {"active",      "silenced", "inhibited",
                                            "unprocessed", "filter",   "receiver"};
  router.Add({"POST",
              "/api/v2/alerts",
              std::string(kIntakePermission),
              [&ctx](Request& r) { return PostAlerts(ctx, r); },
              {"Push alerts (Alertmanager API v2; what Prometheus sends). Source token or an "
               "API token with alerts.write",
               "alerts",
               Schema(kAlertArraySchema),
               nullptr,
               200,
               {}}});
  router.Add({"GET",
              "/api/v2/alerts",
              "alerts.read",
              [&ctx](Request& r) { return GetAlerts(ctx, r); },
              {"Live alerts (Alertmanager API v2 gettableAlerts)", "alerts", nullptr,
               Schema(R"({"type":"array","items":{"type":"object"}})"), 200, filters}});
  router.Add({"GET",
              "/api/v2/alerts/groups",
              "alerts.read",
              [&ctx](Request& r) { return GetGroups(ctx, r); },
              {"Live alerts by routing group (Alertmanager API v2 alertGroups)", "alerts", nullptr,
               Schema(R"({"type":"array","items":{"type":"object"}})"), 200, filters}});
  router.Add({"GET",
              "/api/v2/status",
              "alerts.read",
              [&ctx](Request&) { return GetStatus(ctx); },
              {"Alertmanager API v2 status (cluster disabled; config is the routing file)",
               "alerts",
               nullptr,
               Schema(R"({"type":"object"})"),
               200,
               {}}});
  router.Add({"GET",
              "/api/v2/receivers",
              "alerts.read",
              [&ctx](Request&) { return GetReceivers(ctx); },
              {"Receivers: the routes of the routing file (Alertmanager API v2)",
               "alerts",
               nullptr,
               Schema(R"({"type":"array","items":{"type":"object"}})"),
               200,
               {}}});
}

}  // namespace failsafe::watch::alerts
