// Alert sources (/api/v1/alert-sources: admins create them and see each token once) and
// maintenance windows per service (/api/v1/maintenance-windows).
#include <boost/json.hpp>

#include "auth/audit_log.h"
#include "base/clock.h"
#include "base/json.h"
#include "catalog/catalog.h"
#include "server/route_helpers.h"
#include "store/tx_result.h"
#include "watch/alerts/context.h"

namespace failsafe::watch::alerts {
namespace {

namespace bj = boost::json;
using server::Request;
using server::Response;

bj::object SourceJson(const AlertSource& s) {
  bj::object labels;
  for (const auto& l : s.default_labels) labels[l.name] = l.value;
  return {{"id", s.id},
          {"name", s.name},
          {"kind", s.kind},
          {"default_labels", std::move(labels)},
          {"created_by", s.created_by},
          {"created_at", FormatRfc3339(s.created_at)}};
}

bj::object WindowJson(const MaintenanceWindow& w, int64_t now) {
  return {{"id", w.id},
          {"service", w.service},
          {"starts_at", FormatRfc3339(w.starts_at)},
          {"ends_at", FormatRfc3339(w.ends_at)},
          {"reason", w.reason},
          {"created_by", w.created_by},
          {"active", w.starts_at <= now && now < w.ends_at}};
}

Result<Response> CreateSourceRoute(AlertsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader r(body);
  AlertSource s;
  s.name = r.RequiredString("name", 100);
  s.kind = r.RequiredString("kind", 32);
  const bj::object* labels = r.OptionalObject("default_labels");
  FS_RETURN_IF_ERROR(r.Finish());
  if (s.name.empty()) return Err(InvalidArgument("must not be empty", "name"));
  if (!ValidSourceKind(s.kind)) {
    return Err(InvalidArgument("must be one of prometheus, alertmanager, grafana, zabbix, generic",
                               "kind"));
  }
  if (labels != nullptr) {
    FS_ASSIGN_OR_RETURN(s.default_labels, LabelsFromJson(*labels, "default_labels"));
  }
  s.created_by = server::Caller(req).username;
  s.created_at = ctx.now();
  using Created = std::pair<AlertSource, std::string>;
  FS_ASSIGN_OR_RETURN(
      auto created,
      store::WriteResult<Created>(ctx.services.store, [&](store::Tx& tx) -> Result<Created> {
        FS_ASSIGN_OR_RETURN(auto c, CreateSource(tx, s));
        FS_RETURN_IF_ERROR(ctx.services.audit.Append(
            tx, auth::AuditFor(req, "alert_source.create", "alert_source",
                               std::to_string(c.first.id), {{"name", s.name}, {"kind", s.kind}})));
        return c;
      }));
  bj::object out = SourceJson(created.first);
  out["token"] = created.second;
  return Response::Json(out, 201);
}

Result<Response> ListSourcesRoute(AlertsContext& ctx) {
  FS_ASSIGN_OR_RETURN(auto sources,
                      store::ReadResult<std::vector<AlertSource>>(
                          ctx.services.store, [](store::Tx& tx) { return ListSources(tx); }));
  bj::array items;
  for (const auto& s : sources) items.push_back(SourceJson(s));
  return Response::Json(bj::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

Result<Response> DeleteSourceRoute(AlertsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "alert source"));
  FS_ASSIGN_OR_RETURN(
      bool found, store::WriteResult<bool>(ctx.services.store, [&](store::Tx& tx) -> Result<bool> {
        FS_ASSIGN_OR_RETURN(bool f, DeleteSource(tx, id));
        if (!f) return false;
        FS_RETURN_IF_ERROR(ctx.services.audit.Append(
            tx, auth::AuditFor(req, "alert_source.delete", "alert_source", std::to_string(id))));
        return true;
      }));
  if (!found) return Err(NotFound("alert source " + std::to_string(id) + " not found"));
  ctx.tokens.Forget(id);
  return Response::NoContent();
}

Result<Response> CreateWindowRoute(AlertsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader r(body);
  MaintenanceWindow w;
  w.service = r.RequiredString("service", 100);
  std::string starts = r.OptionalString("starts_at", 64).value_or("");
  std::string ends = r.RequiredString("ends_at", 64);
  w.reason = r.OptionalString("reason", 1000).value_or("");
  FS_RETURN_IF_ERROR(r.Finish());
  const int64_t now = ctx.now();
  auto st = starts.empty() ? std::optional<int64_t>(now) : ParseRfc3339(starts);
  if (!st) return Err(InvalidArgument("must be an RFC 3339 time", "starts_at"));
  auto en = ParseRfc3339(ends);
  if (!en) return Err(InvalidArgument("must be an RFC 3339 time", "ends_at"));
  if (*en <= *st) return Err(InvalidArgument("must be after starts_at", "ends_at"));
  w.starts_at = *st;
  w.ends_at = *en;
  w.created_by = server::Caller(req).username;
  w.created_at = now;
  FS_ASSIGN_OR_RETURN(
      w.id, store::WriteResult<int64_t>(ctx.services.store, [&](store::Tx& tx) -> Result<int64_t> {
        FS_ASSIGN_OR_RETURN(auto service, catalog::FindServiceByKey(tx, w.service));
        if (!service) return Err(InvalidArgument("unknown service '" + w.service + "'", "service"));
        FS_ASSIGN_OR_RETURN(int64_t id, MaintenanceWindows::Insert(tx, w));
        FS_RETURN_IF_ERROR(ctx.services.audit.Append(
            tx, auth::AuditFor(req, "maintenance.create", "maintenance_window", std::to_string(id),
                               {{"service", w.service}, {"ends_at", w.ends_at}})));
        return id;
      }));
  ctx.maintenance.Remember(w);
  ctx.groups.TouchAll(now);
  if (ctx.wake) ctx.wake();
  return Response::Json(WindowJson(w, now), 201);
}

Result<Response> ListWindowsRoute(AlertsContext& ctx) {
  const int64_t now = ctx.now();
  bj::array items;
  for (const auto& w : ctx.maintenance.List()) items.push_back(WindowJson(w, now));
  return Response::Json(bj::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

Result<Response> EndWindowRoute(AlertsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "maintenance window"));
  const int64_t now = ctx.now();
  FS_ASSIGN_OR_RETURN(
      bool found, store::WriteResult<bool>(ctx.services.store, [&](store::Tx& tx) -> Result<bool> {
        FS_ASSIGN_OR_RETURN(bool f, MaintenanceWindows::End(tx, id, now));
        if (!f) return false;
        FS_RETURN_IF_ERROR(ctx.services.audit.Append(
            tx, auth::AuditFor(req, "maintenance.end", "maintenance_window", std::to_string(id))));
        return true;
      }));
  if (!found) return Err(NotFound("maintenance window " + std::to_string(id) + " not found"));
  ctx.maintenance.Forget(id, now);
  ctx.groups.TouchAll(now);
  if (ctx.wake) ctx.wake();
  return Response::NoContent();
}

}  // namespace

void RegisterAdminRoutes(AlertsContext& ctx, server::Router& router) {
  using server::Schema;
  const auto object = Schema(R"({"type":"object"})");
  router.Add({"GET",
              "/api/v1/alert-sources",
              "alert_sources.read",
              [&ctx](Request&) { return ListSourcesRoute(ctx); },
              {"Alert sources (告警来源), without their tokens",
               "alerts",
               nullptr,
               server::PagedSchema(object),
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/alert-sources",
              "alert_sources.admin",
              [&ctx](Request& r) { return CreateSourceRoute(ctx, r); },
              {"Create an alert source; the answer carries its token once",
               "alerts",
               Schema(R"({"type":"object","required":["name","kind"],"properties":{
                 "name":{"type":"string"},"kind":{"type":"string","enum":["prometheus",
                 "alertmanager","grafana","zabbix","generic"]},"default_labels":{
                 "type":"object"}}})"),
               object,
               201,
               {}}});
  router.Add(
      {"DELETE",
       "/api/v1/alert-sources/{id}",
       "alert_sources.admin",
       [&ctx](Request& r) { return DeleteSourceRoute(ctx, r); },
       {"Delete an alert source (its token stops working)", "alerts", nullptr, nullptr, 204, {}}});
  router.Add({"GET",
              "/api/v1/maintenance-windows",
              "maintenance.read",
              [&ctx](Request&) { return ListWindowsRoute(ctx); },
              {"Maintenance windows (维护窗口) per service",
               "alerts",
               nullptr,
               server::PagedSchema(object),
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/maintenance-windows",
              "maintenance.write",
              [&ctx](Request& r) { return CreateWindowRoute(ctx, r); },
              {"Open a maintenance window: the service's alerts are muted and marked",
               "alerts",
               Schema(R"({"type":"object","required":["service","ends_at"],"properties":{
                 "service":{"type":"string"},"starts_at":{"type":"string"},
                 "ends_at":{"type":"string"},"reason":{"type":"string"}}})"),
               object,
               201,
               {}}});
  router.Add({"DELETE",
              "/api/v1/maintenance-windows/{id}",
              "maintenance.write",
              [&ctx](Request& r) { return EndWindowRoute(ctx, r); },
              {"End a maintenance window now (kept for the record)",
               "alerts",
               nullptr,
               nullptr,
               204,
               {}}});
}

}  // namespace failsafe::watch::alerts
