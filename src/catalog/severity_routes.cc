// /api/v1/severities: the severity policy (P1..P4), readable by all, edited by admins.
#include "catalog/catalog_input.h"
#include "catalog/catalog_json.h"
#include "catalog/catalog_routes.h"
#include "catalog/crud_routes.h"

namespace failsafe::catalog {
namespace {

namespace bj = boost::json;
using server::Request;
using server::Response;

Result<SeverityLevel> RequireSeverity(store::Tx& tx, const std::string& level) {
  FS_ASSIGN_OR_RETURN(auto s, FindSeverity(tx, level));
  if (!s) return Err(NotFound("severity \"" + level + "\" not found (levels are P1..P4)"));
  return std::move(*s);
}

Result<Response> ListRoute(const auth::ModuleServices& svc) {
  FS_ASSIGN_OR_RETURN(auto levels,
                      store::ReadResult<std::vector<SeverityLevel>>(
                          svc.store, [](store::Tx& tx) { return ListSeverities(tx); }));
  bj::array items;
  for (const auto& l : levels) items.push_back(SeverityJson(l));
  return Response::Json(bj::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
}

Result<Response> GetRoute(const auth::ModuleServices& svc, Request& req) {
  FS_ASSIGN_OR_RETURN(auto level, store::ReadResult<SeverityLevel>(svc.store, [&](store::Tx& tx) {
                        return RequireSeverity(tx, req.Param("level"));
                      }));
  return Response::Json(SeverityJson(level));
}

Result<Response> PatchRoute(const auth::ModuleServices& svc, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  FS_ASSIGN_OR_RETURN(
      auto stored,
      store::WriteResult<SeverityLevel>(svc.store, [&](store::Tx& tx) -> Result<SeverityLevel> {
        FS_ASSIGN_OR_RETURN(SeverityLevel level, RequireSeverity(tx, req.Param("level")));
        FS_RETURN_IF_ERROR(ApplySeverityInput(body, level));
        FS_RETURN_IF_ERROR(UpdateSeverity(tx, level, svc.clock.NowMillis()));
        FS_RETURN_IF_ERROR(
            svc.audit.Append(tx, auth::AuditFor(req, "severity.update", "severity", level.level,
                                                {{"fields", FieldNames(body)}})));
        return RequireSeverity(tx, level.level);
      }));
  return Response::Json(SeverityJson(stored));
}

}  // namespace

void RegisterSeverityRoutes(const auth::ModuleServices& services, server::Router& router) {
  const auth::ModuleServices* svc = &services;
  router.Add({"GET",
              "/api/v1/severities",
              "catalog.read",
              [svc](Request&) { return ListRoute(*svc); },
              {"The severity policy, most severe first",
               "catalog",
               nullptr,
               server::PagedSchema(SeveritySchema(false)),
               200,
               {}}});
  router.Add({"GET",
              "/api/v1/severities/{level}",
              "catalog.read",
              [svc](Request& req) { return GetRoute(*svc, req); },
              {"One severity level (P1..P4)", "catalog", nullptr, SeveritySchema(false), 200, {}}});
  router.Add({"PATCH",
              "/api/v1/severities/{level}",
              "catalog.admin",
              [svc](Request& req) { return PatchRoute(*svc, req); },
              {"Change a severity level's names, criteria, targets, audiences or escalation "
               "policy (null clears it)",
               "catalog",
               SeveritySchema(true),
               SeveritySchema(false),
               200,
               {}}});
}

}  // namespace failsafe::catalog
