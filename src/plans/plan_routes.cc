#include "plans/plan_routes.h"

#include <charconv>

#include "auth/audit_log.h"
#include "base/json.h"
#include "plans/plan_json.h"
#include "plans/plan_store.h"
#include "plans/plan_yaml.h"
#include "server/pagination.h"
#include "server/route_helpers.h"
#include "store/tx_result.h"

namespace failsafe::plans {
namespace {

namespace bj = boost::json;
using server::Request;
using server::Response;

constexpr int kMaxVersion = 1'000'000;

Result<std::optional<int>> ParseVersionText(std::string_view text, const std::string& field) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1 || v > kMaxVersion) {
    return Err(InvalidArgument(field + " must be a positive version number", field));
  }
  return std::optional<int>(v);
}

// ?version=N (absent: nullopt).
Result<std::optional<int>> QueryVersion(const Request& req) {
  auto v = req.Query("version");
  if (!v) return std::optional<int>();
  return ParseVersionText(*v, "version");
}

// {"version": N} in a lifecycle move's body (empty body or no field: nullopt).
Result<std::optional<int>> BodyVersion(const Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req, /*empty_ok=*/true));
  json::ObjectReader reader(body);
  auto v = reader.OptionalInt("version");
  FS_RETURN_IF_ERROR(reader.Finish());
  if (!v) return std::optional<int>();
  if (*v < 1 || *v > kMaxVersion) {
    return Err(InvalidArgument("version must be a positive version number", "version"));
  }
  return std::optional<int>(static_cast<int>(*v));
}

std::string ContentType(const Request& req) {
  std::string ct = req.Header("content-type");
  ct = ct.substr(0, ct.find(';'));
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  for (auto& c : ct) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ct;
}

// The YAML text and the file name for messages, from a YAML body (?filename=) or a JSON one
// ({"yaml": "...", "filename": "..."}, for clients that only speak JSON).
Status ReadImportBody(const Request& req, std::string& yaml, std::string& file_name) {
  const std::string ct = ContentType(req);
  if (ct == "application/yaml" || ct == "text/yaml" || ct == "application/x-yaml" ||
      ct == "text/x-yaml") {
    yaml = req.body;
    file_name = req.Query("filename").value_or("plan.yaml");
  } else if (ct == "application/json") {
    FS_ASSIGN_OR_RETURN_STATUS(auto body, server::BodyObject(req));
    json::ObjectReader reader(body);
    yaml = reader.RequiredString("yaml", kMaxPlanYamlBytes);
    file_name = reader.OptionalString("filename", 255).value_or("plan.yaml");
    FS_RETURN_STATUS_IF_ERROR(reader.Finish());
  } else {
    return {ErrorCode::kUnsupportedMedia,
            "send the plan as Content-Type: application/yaml (or JSON {\"yaml\": ...})",
            "Content-Type"};
  }
  if (file_name.empty() || file_name.size() > 255 ||
      file_name.find_first_of("\r\n") != std::string::npos) {
    return InvalidArgument("filename must be a short file name", "filename");
  }
  if (yaml.empty()) return InvalidArgument("the plan YAML is empty", "body");
  return Status::Ok();
}

Result<Response> ImportRoute(const auth::ModuleServices& s, Request& req) {
  std::string yaml, file_name;
  FS_RETURN_IF_ERROR(ReadImportBody(req, yaml, file_name));
  FS_ASSIGN_OR_RETURN(PlanVersion content, ParsePlanYaml(yaml, file_name));
  // A dry run checks the document as an import would (every check is in the parser) and shows
  // the plan it describes, without storing a version: the editor validates before saving.
  const auto dry_run = req.Query("dry_run");
  if (dry_run && *dry_run != "true" && *dry_run != "false") {
    return Err(InvalidArgument("dry_run must be true or false", "dry_run"));
  }
  if (dry_run == "true") return Response::Json(VersionJson(content, false), 200);
  const std::string actor = server::Caller(req).username;
  FS_ASSIGN_OR_RETURN(
      auto stored,
      store::WriteResult<PlanVersion>(s.store, [&](store::Tx& tx) -> Result<PlanVersion> {
        FS_ASSIGN_OR_RETURN(auto v, InsertDraft(tx, content, s.clock.NowMillis(), actor));
        FS_RETURN_IF_ERROR(s.audit.Append(
            tx, auth::AuditFor(
                    req, "plan.import", "plan", v.key,
                    {{"version", v.version}, {"plan_version_id", v.id}, {"title", v.title_en}})));
        return v;
      }));
  return Response::Json(VersionJson(stored, false), 201);
}

Result<Response> ListRoute(const auth::ModuleServices& s, Request& req) {
  bool overdue = false;
  if (auto review = req.Query("review")) {
    if (*review != "overdue") return Err(InvalidArgument("review must be 'overdue'", "review"));
    overdue = true;
  }
  FS_ASSIGN_OR_RETURN(server::PageRequest page, server::ParsePageRequest(req));
  const int64_t now = s.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(auto plans,
                      store::ReadResult<std::vector<PlanSummary>>(s.store, [&](store::Tx& tx) {
                        return ListPlans(tx, page.after_id, page.limit + 1, now, overdue);
                      }));
  std::optional<int64_t> next;
  if (plans.size() > static_cast<size_t>(page.limit)) {
    plans.resize(static_cast<size_t>(page.limit));
    next = plans.back().plan_id;
  }
  bj::array items;
  for (const auto& p : plans) items.emplace_back(SummaryJson(p));
  return Response::Json(server::PageJson(std::move(items), next));
}

Result<Response> ShowRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(auto version, QueryVersion(req));
  const std::string key = req.Param("key");
  FS_ASSIGN_OR_RETURN(auto v, store::ReadResult<PlanVersion>(s.store, [&](store::Tx& tx) {
                        return LoadByKey(tx, key, version);
                      }));
  return Response::Json(VersionJson(v, true));
}

Result<Response> VersionsRoute(const auth::ModuleServices& s, Request& req) {
  const std::string key = req.Param("key");
  FS_ASSIGN_OR_RETURN(auto versions,
                      store::ReadResult<std::vector<PlanVersion>>(
                          s.store, [&](store::Tx& tx) { return ListVersions(tx, key); }));
  bj::array items;
  for (const auto& v : versions) items.emplace_back(VersionJson(v, false));
  return Response::Json(server::PageJson(std::move(items), std::nullopt));
}

Result<Response> ExportRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(auto version, QueryVersion(req));
  const auto format = req.Query("format").value_or("yaml");
  if (format != "yaml" && format != "json") {
    return Err(InvalidArgument("format must be yaml or json", "format"));
  }
  const std::string key = req.Param("key");
  FS_ASSIGN_OR_RETURN(auto v, store::ReadResult<PlanVersion>(s.store, [&](store::Tx& tx) {
                        return LoadByKey(tx, key, version);
                      }));
  std::string yaml = EmitPlanYaml(v);
  const std::string file_name = v.key + ".yaml";
  if (format == "json") {
    return Response::Json(bj::object{{"key", v.key},
                                     {"version", v.version},
                                     {"status", v.status},
                                     {"filename", file_name},
                                     {"yaml", std::move(yaml)}});
  }
  Response r = Response::Text(std::move(yaml), "application/yaml; charset=utf-8");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
  return r;
}

enum class Move { kSubmit, kApprove, kRetire, kReviewed };

Result<Response> MoveRoute(const auth::ModuleServices& s, Request& req, Move move) {
  FS_ASSIGN_OR_RETURN(auto version, BodyVersion(req));
  const std::string key = req.Param("key");
  const std::string actor = server::Caller(req).username;
  FS_ASSIGN_OR_RETURN(
      auto v, store::WriteResult<PlanVersion>(s.store, [&](store::Tx& tx) -> Result<PlanVersion> {
        const int64_t now = s.clock.NowMillis();
        int retired = 0;
        PlanVersion moved;
        std::string action;
        switch (move) {
          case Move::kSubmit: {
            FS_ASSIGN_OR_RETURN(moved, SubmitVersion(tx, key, version, now, actor));
            action = "plan.submit";
            break;
          }
          case Move::kApprove: {
            FS_ASSIGN_OR_RETURN(moved, ApproveVersion(tx, key, version, now, actor, &retired));
            action = "plan.approve";
            break;
          }
          case Move::kRetire: {
            FS_ASSIGN_OR_RETURN(moved, RetireVersion(tx, key, version, now, actor));
            action = "plan.retire";
            break;
          }
          case Move::kReviewed: {
            FS_ASSIGN_OR_RETURN(moved, MarkReviewed(tx, key, version, now));
            action = "plan.review";
            break;
          }
        }
        bj::object detail{{"version", moved.version}, {"plan_version_id", moved.id}};
        if (move == Move::kReviewed) detail["next_review_at"] = moved.next_review_at;
        if (retired != 0) detail["retired_version"] = retired;
        FS_RETURN_IF_ERROR(
            s.audit.Append(tx, auth::AuditFor(req, action, "plan", moved.key, std::move(detail))));
        return moved;
      }));
  return Response::Json(VersionJson(v, false));
}

const char kMoveSchema[] = R"({"type":"object","additionalProperties":false,
  "properties":{"version":{"type":"integer","minimum":1,
  "description":"the version to move; default: see the route summary"}}})";

}  // namespace

void RegisterPlanRoutes(const auth::ModuleServices& s, server::Router& router) {
  using server::Schema;
  router.Add({"GET",
              "/api/v1/plans",
              "plans.read",
              [&s](Request& req) { return ListRoute(s, req); },
              {"List plans with their latest and approved versions (review=overdue: only "
               "plans whose review date has passed)",
               "plans",
               nullptr,
               server::PagedSchema(SummaryJsonSchema()),
               200,
               {"review", "limit", "cursor"}}});
  router.Add({"POST",
              "/api/v1/plans/import",
              "plans.write",
              [&s](Request& req) { return ImportRoute(s, req); },
              {"Import a plan from YAML (docs/plans-yaml.md; body as application/yaml, "
               "?filename= names it in errors, or JSON {yaml, filename}); a known key gets a "
               "new draft version. ?dry_run=true: only check it (200, nothing stored)",
               "plans",
               nullptr,
               VersionJsonSchema(false),
               201,
               {"filename", "dry_run"}}});
  router.Add({"GET",
              "/api/v1/plans/{key}",
              "plans.read",
              [&s](Request& req) { return ShowRoute(s, req); },
              {"A plan version with its content (default: the latest version)",
               "plans",
               nullptr,
               VersionJsonSchema(true),
               200,
               {"version"}}});
  router.Add({"GET",
              "/api/v1/plans/{key}/versions",
              "plans.read",
              [&s](Request& req) { return VersionsRoute(s, req); },
              {"Every version of a plan, oldest first",
               "plans",
               nullptr,
               server::PagedSchema(VersionJsonSchema(false)),
               200,
               {}}});
  router.Add({"GET",
              "/api/v1/plans/{key}/export",
              "plans.read",
              [&s](Request& req) { return ExportRoute(s, req); },
              {"A plan version as YAML that imports back to the same content (default: the "
               "latest; format=json wraps it as {key, version, status, filename, yaml})",
               "plans",
               nullptr,
               nullptr,
               200,
               {"version", "format"}}});
  router.Add({"POST",
              "/api/v1/plans/{key}/submit",
              "plans.write",
              [&s](Request& req) { return MoveRoute(s, req, Move::kSubmit); },
              {"Submit a draft for review (default: the latest version)",
               "plans",
               Schema(kMoveSchema),
               VersionJsonSchema(false),
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/plans/{key}/approve",
              "plans.admin",
              [&s](Request& req) { return MoveRoute(s, req, Move::kApprove); },
              {"Approve a draft or in-review version (default: the latest); the previously "
               "approved version is retired. Audited.",
               "plans",
               Schema(kMoveSchema),
               VersionJsonSchema(false),
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/plans/{key}/retire",
              "plans.admin",
              [&s](Request& req) { return MoveRoute(s, req, Move::kRetire); },
              {"Retire a version (default: the approved one, else the latest)",
               "plans",
               Schema(kMoveSchema),
               VersionJsonSchema(false),
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/plans/{key}/reviewed",
              "plans.admin",
              [&s](Request& req) { return MoveRoute(s, req, Move::kReviewed); },
              {"Record the periodic review of the approved version: it still holds, so its next "
               "review date moves to now + review interval (a changed plan is a new version "
               "instead). Audited.",
               "plans",
               Schema(kMoveSchema),
               VersionJsonSchema(false),
               200,
               {}}});
}

}  // namespace failsafe::plans
