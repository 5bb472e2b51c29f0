// /api/v1/backup: policies (admins edit them and their credentials), run-now and drill-now
// (responders), runs, drills, progress and per-service status (everyone who may read).
#include <algorithm>
#include <charconv>

#include "auth/audit_log.h"
#include "backup/service/backup_service_module.h"
#include "backup/service/policy_json.h"
#include "backup/service/policy_store.h"
#include "backup/service/status.h"
#include "base/json.h"
#include "catalog/catalog.h"
#include "server/route_helpers.h"
#include "store/tx_result.h"

namespace failsafe::backup::service {
namespace {

namespace bj = boost::json;
using server::Request;
using server::Response;

constexpr const char* kTag = "backup";
using PolicyAndCreated = std::pair<Policy, bool>;

// The policy of a request body: {"yaml": "<YAML or JSON text>"} (what `policy apply -f`
// sends) or the policy as a JSON object.
Result<Policy> PolicyFromBody(const Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  if (const bj::value* text = body.if_contains("yaml"); text != nullptr && body.size() == 1) {
    if (!text->is_string()) return Err(InvalidArgument("yaml must be a string", "yaml"));
    return ParsePolicy(std::string(text->as_string()), "policy");
  }
  return ParsePolicy(bj::serialize(body), "policy");
}

Result<Policy> MustFind(store::Tx& tx, const auth::SecretBox& box, const std::string& name) {
  FS_ASSIGN_OR_RETURN(auto p, FindPolicy(tx, box, name));
  if (!p) return Err(NotFound("backup policy '" + name.substr(0, 64) + "' not found"));
  return std::move(*p);
}

int LimitOf(const Request& req) {
  int limit = 50;
  if (auto q = req.Query("limit")) {
    int v = 0;
    auto [ptr, ec] = std::from_chars(q->data(), q->data() + q->size(), v);
    if (ec == std::errc() && ptr == q->data() + q->size() && v > 0) limit = std::min(v, 500);
  }
  return limit;
}

bj::array DestinationUrls(const Policy& p) {
  bj::array out;
  for (const auto& d : p.destinations) out.emplace_back(d.url);
  return out;
}

Result<Response> ApplyRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(Policy policy, PolicyFromBody(req));
  const int64_t now = s.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(
      auto stored,
      store::WriteResult<PolicyAndCreated>(s.store, [&](store::Tx& tx) -> Result<PolicyAndCreated> {
        FS_ASSIGN_OR_RETURN(auto svc, catalog::FindServiceByKey(tx, policy.service));
        if (!svc) {
          return Err(InvalidArgument(
              "policy: service: '" + policy.service + "' is not in the catalog", "service"));
        }
        FS_ASSIGN_OR_RETURN(auto out, UpsertPolicy(tx, s.secrets, policy, now));
        // Only names and where the data goes: never secrets.
        FS_RETURN_IF_ERROR(s.audit.Append(
            tx, auth::AuditFor(req, out.second ? "backup_policy.create" : "backup_policy.update",
                               "backup_policy", out.first.name,
                               {{"service", out.first.service},
                                {"enabled", out.first.enabled},
                                {"destinations", DestinationUrls(out.first)}})));
        return out;
      }));
  return Response::Json(ApiJson(stored.first), stored.second ? 201 : 200);
}

Result<Response> ListRoute(const auth::ModuleServices& s, Request&) {
  FS_ASSIGN_OR_RETURN(auto list,
                      store::ReadResult<std::vector<Policy>>(
                          s.store, [&](store::Tx& tx) { return ListPolicies(tx, s.secrets); }));
  bj::array items;
  for (const auto& p : list) items.push_back(ApiJson(p));
  return Response::Json(bj::object{{"items", std::move(items)}});
}

Result<Response> ShowRoute(const auth::ModuleServices& s, Request& req) {
  const std::string name = req.Param("name");
  FS_ASSIGN_OR_RETURN(
      auto out, store::ReadResult<bj::object>(s.store, [&](store::Tx& tx) -> Result<bj::object> {
        FS_ASSIGN_OR_RETURN(Policy p, MustFind(tx, s.secrets, name));
        bj::object o = ApiJson(p);
        FS_ASSIGN_OR_RETURN(auto runs, LatestRunPerDestination(tx, p.id));
        bj::array latest;
        for (const auto& r : runs) latest.push_back(RunJson(r));
        o["latest_runs"] = std::move(latest);
        FS_ASSIGN_OR_RETURN(auto drill, LastDrill(tx, p.id));
        o["last_drill"] = drill ? bj::value(DrillJson(*drill)) : bj::value(nullptr);
        return o;
      }));
  return Response::Json(out);
}

Result<Response> DeleteRoute(const auth::ModuleServices& s, Request& req) {
  const std::string name = req.Param("name");
  FS_RETURN_IF_ERROR(s.store.Write([&](store::Tx& tx) -> Status {
    FS_ASSIGN_OR_RETURN_STATUS(bool gone, DeletePolicy(tx, name));
    if (!gone) return NotFound("backup policy '" + name.substr(0, 64) + "' not found");
    return s.audit.Append(tx, auth::AuditFor(req, "backup_policy.delete", "backup_policy", name));
  }));
  return Response::NoContent();
}

Result<Response> TriggerRoute(const auth::ModuleServices& s, Scheduler& scheduler, Request& req,
                              JobKind kind) {
  const std::string name = req.Param("name");
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req, /*empty_ok=*/true));
  json::ObjectReader r(body);
  const bool full = kind == JobKind::kBackup && r.OptionalBool("full").value_or(false);
  FS_RETURN_IF_ERROR(r.Finish());
  FS_ASSIGN_OR_RETURN(
      auto policy, store::WriteResult<Policy>(s.store, [&](store::Tx& tx) -> Result<Policy> {
        FS_ASSIGN_OR_RETURN(Policy p, MustFind(tx, s.secrets, name));
        FS_RETURN_IF_ERROR(s.audit.Append(
            tx, auth::AuditFor(
                    req, kind == JobKind::kBackup ? "backup_policy.run" : "backup_policy.drill",
                    "backup_policy", name, {{"full", full}})));
        return p;
      }));
  Job job;
  job.policy_id = policy.id;
  job.policy_name = policy.name;
  job.kind = kind;
  job.full = full;
  job.trigger = "manual";
  const bool queued = scheduler.Enqueue(job);
  return Response::Json(bj::object{{"policy", name},
                                   {"kind", kind == JobKind::kBackup ? "backup" : "drill"},
                                   {"queued", queued},
                                   {"detail", queued ? "queued" : "already queued or running"}},
                        202);
}

Result<int64_t> PolicyFilter(store::Tx& tx, const auth::SecretBox& box, const Request& req) {
  auto name = req.Query("policy");
  if (!name || name->empty()) return int64_t{0};
  FS_ASSIGN_OR_RETURN(Policy p, MustFind(tx, box, *name));
  return p.id;
}

Result<Response> RunsRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(
      auto items, store::ReadResult<bj::array>(s.store, [&](store::Tx& tx) -> Result<bj::array> {
        FS_ASSIGN_OR_RETURN(int64_t id, PolicyFilter(tx, s.secrets, req));
        FS_ASSIGN_OR_RETURN(auto runs, ListRuns(tx, id, LimitOf(req)));
        bj::array out;
        for (const auto& r : runs) out.push_back(RunJson(r));
        return out;
      }));
  return Response::Json(bj::object{{"items", std::move(items)}});
}

Result<Response> DrillsRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(
      auto items, store::ReadResult<bj::array>(s.store, [&](store::Tx& tx) -> Result<bj::array> {
        FS_ASSIGN_OR_RETURN(int64_t id, PolicyFilter(tx, s.secrets, req));
        FS_ASSIGN_OR_RETURN(auto drills, ListDrills(tx, id, LimitOf(req)));
        bj::array out;
        for (const auto& d : drills) out.push_back(DrillJson(d));
        return out;
      }));
  return Response::Json(bj::object{{"items", std::move(items)}});
}

Result<Response> ProgressRoute(Scheduler& scheduler, Request&) {
  bj::array running, queued;
  for (const auto& r : scheduler.Running()) running.push_back(RunningJobJson(r));
  for (const auto& j : scheduler.Queued()) {
    queued.push_back(bj::object{{"policy", j.policy_name},
                                {"kind", j.kind == JobKind::kBackup ? "backup" : "drill"},
                                {"full", j.full},
                                {"trigger", j.trigger}});
  }
  return Response::Json(bj::object{{"running", std::move(running)}, {"queued", std::move(queued)}});
}

Result<Response> StatusRoute(const auth::ModuleServices& s, Request& req) {
  const std::string only = req.Query("service").value_or("");
  const int64_t now = s.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(auto items, store::ReadResult<bj::array>(s.store, [&](store::Tx& tx) {
                        return ServiceStatuses(tx, s.secrets, now, only);
                      }));
  return Response::Json(bj::object{{"items", std::move(items)}});
}

constexpr const char* kPolicySchema =
    R"({"type":"object","description":)"
    R"("A policy as JSON, or {\"yaml\": \"<YAML or JSON text>\"}. Fields: name, service, )"
    R"(sources [{kind: paths|command|sqlite|store, ...}], schedule, full_schedule, )"
    R"(drill_schedule, time_zone, retention {keep_last, keep_hourly, keep_daily, keep_weekly, )"
    R"(keep_monthly, keep_yearly}, destinations [{url, media, offsite, init, password, )"
    R"(key_file, s3_access_key_id, s3_secret_access_key, sftp_*}], enabled. Secrets omitted )"
    R"(for a URL already stored keep their stored values.",)"
    R"("properties":{"yaml":{"type":"string"},"name":{"type":"string"},)"
    R"("service":{"type":"string"},"schedule":{"type":"string"},"sources":{"type":"array"},)"
    R"("destinations":{"type":"array"},"retention":{"type":"object"}}})";

constexpr const char* kPolicyOutSchema = R"({"type":"object","required":["id","name","service",
  "sources","schedule","destinations","retention","enabled"],"properties":{"id":{"type":"integer"},
  "name":{"type":"string"},"service":{"type":"string"},"schedule":{"type":"string"},
  "full_schedule":{"type":"string"},"drill_schedule":{"type":"string"},
  "time_zone":{"type":"string"},"enabled":{"type":"boolean"},"sources":{"type":"array"},
  "retention":{"type":"object"},"destinations":{"type":"array","items":{"type":"object",
  "properties":{"url":{"type":"string"},"media":{"type":"string"},"offsite":{"type":"boolean"},
  "secrets_set":{"type":"object","description":"which secrets are stored - never their values"}}}}}})";

constexpr const char* kRunSchema = R"({"type":"object","properties":{"id":{"type":"integer"},
  "policy":{"type":"string"},"service":{"type":"string"},"destination":{"type":"string"},
  "trigger":{"type":"string","enum":["schedule","manual","catch-up"]},"full":{"type":"boolean"},
  "snapshot_id":{"type":"string"},"started_at":{"type":"integer"},"duration_ms":{"type":"integer"},
  "bytes_read":{"type":"integer"},"data_added":{"type":"integer"},"files":{"type":"integer"},
  "error_count":{"type":"integer"},"errors":{"type":"string"},"retention":{"type":"string"},
  "status":{"type":"string","enum":["ok","failed","incomplete","missed"]}}})";

constexpr const char* kDrillSchema = R"({"type":"object","properties":{"id":{"type":"integer"},
  "policy":{"type":"string"},"service":{"type":"string"},"destination":{"type":"string"},
  "snapshot_id":{"type":"string"},"started_at":{"type":"integer"},"duration_ms":{"type":"integer"},
  "restored_bytes":{"type":"integer"},"verified_bytes":{"type":"integer"},
  "snapshot_bytes":{"type":"integer"},"projected_ms":{"type":"integer"},"rto_ms":{"type":"integer"},
  "margin_ms":{"type":["integer","null"]},"status":{"type":"string","enum":["pass","fail"]},
  "detail":{"type":"string"}}})";

bj::value ItemsOf(const char* item) {
  return bj::object{
      {"type", "object"},
      {"properties",
       bj::object{{"items", bj::object{{"type", "array"}, {"items", server::Schema(item)}}}}}};
}

}  // namespace

void RegisterBackupRoutes(const auth::ModuleServices& services, Scheduler& scheduler,
                          server::Router& router) {
  const auto& s = services;
  Scheduler& sch = scheduler;
  router.Add({"GET",
              "/api/v1/backup/policies",
              "backups.read",
              [&s](Request& req) { return ListRoute(s, req); },
              {"Backup policies (secrets are never returned, only whether they are set)",
               kTag,
               nullptr,
               ItemsOf(kPolicyOutSchema),
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/backup/policies",
              "backups.admin",
              [&s](Request& req) { return ApplyRoute(s, req); },
              {"Create or replace a backup policy by name (YAML or JSON); 201 when created",
               kTag,
               server::Schema(kPolicySchema),
               server::Schema(kPolicyOutSchema),
               200,
               {}}});
  router.Add({"GET",
              "/api/v1/backup/policies/{name}",
              "backups.read",
              [&s](Request& req) { return ShowRoute(s, req); },
              {"One backup policy with its newest run per destination and its last drill",
               kTag,
               nullptr,
               server::Schema(kPolicyOutSchema),
               200,
               {}}});
  router.Add({"DELETE",
              "/api/v1/backup/policies/{name}",
              "backups.admin",
              [&s](Request& req) { return DeleteRoute(s, req); },
              {"Delete a backup policy (its runs and drills stay in the history)",
               kTag,
               nullptr,
               nullptr,
               204,
               {}}});
  router.Add({"POST",
              "/api/v1/backup/policies/{name}/run",
              "backups.write",
              [&s, &sch](Request& req) { return TriggerRoute(s, sch, req, JobKind::kBackup); },
              {"Run the policy's backup now ({\"full\": true} reads every file again)",
               kTag,
               server::Schema(R"({"type":"object","properties":{"full":{"type":"boolean"}}})"),
               server::Schema(R"({"type":"object","properties":{"queued":{"type":"boolean"}}})"),
               202,
               {}}});
  router.Add({"POST",
              "/api/v1/backup/policies/{name}/drill",
              "backups.write",
              [&s, &sch](Request& req) { return TriggerRoute(s, sch, req, JobKind::kDrill); },
              {"Run a restore drill of the policy's newest snapshot now",
               kTag,
               nullptr,
               server::Schema(R"({"type":"object","properties":{"queued":{"type":"boolean"}}})"),
               202,
               {}}});
  router.Add({"GET",
              "/api/v1/backup/runs",
              "backups.read",
              [&s](Request& req) { return RunsRoute(s, req); },
              {"Backup runs, newest first",
               kTag,
               nullptr,
               ItemsOf(kRunSchema),
               200,
               {"policy", "limit"}}});
  router.Add({"GET",
              "/api/v1/backup/drills",
              "backups.read",
              [&s](Request& req) { return DrillsRoute(s, req); },
              {"Restore drills, newest first",
               kTag,
               nullptr,
               ItemsOf(kDrillSchema),
               200,
               {"policy", "limit"}}});
  router.Add({"GET",
              "/api/v1/backup/progress",
              "backups.read",
              [&sch](Request& req) { return ProgressRoute(sch, req); },
              {"What runs now (files, bytes, rate, ETA) and what is queued",
               kTag,
               nullptr,
               server::Schema(R"({"type":"object","properties":{"running":{"type":"array"},
                 "queued":{"type":"array"}}})"),
               200,
               {}}});
  router.Add({"GET",
              "/api/v1/backup/status",
              "backups.read",
              [&s](Request& req) { return StatusRoute(s, req); },
              {"Per service: last good backup against the RPO, last verified restore against "
               "the RTO, 3-2-1 report",
               kTag,
               nullptr,
               server::Schema(R"({"type":"object","properties":{"items":{"type":"array"}}})"),
               200,
               {"service"}}});
}

}  // namespace failsafe::backup::service
