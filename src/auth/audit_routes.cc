// GET /api/v1/audit (filtered, newest first) and GET /api/v1/audit/verify.
#include "auth/auth_context.h"
#include "server/pagination.h"

namespace failsafe::auth {
namespace {

using server::Request;
using server::Response;

Result<Response> ListAuditRoute(AuthContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(server::PageRequest page, server::ParsePageRequest(req));
  AuditQuery q;
  q.limit = page.limit + 1;
  q.before_seq = page.after_id;  // the cursor continues after the last row shown (newest first)
  q.action = req.Query("action");
  q.actor = req.Query("actor");
  if (auto since = req.Query("since")) {
    auto ms = ParseRfc3339(*since);
    if (!ms) {
      return Err(
          InvalidArgument("since must be an RFC 3339 time, e.g. 2026-01-31T08:00:00Z", "since"));
    }
    q.since_ms = *ms;
  }
  FS_ASSIGN_OR_RETURN(auto records,
                      ReadResult<std::vector<AuditRecord>>(
                          ctx.store, [&](store::Tx& tx) { return QueryAudit(tx, q); }));
  std::optional<int64_t> next;
  if (records.size() > static_cast<size_t>(page.limit)) {
    records.resize(static_cast<size_t>(page.limit));
    next = records.back().seq;
  }
  boost::json::array items;
  for (const auto& r : records) items.emplace_back(AuditRecordToJson(r));
  return Response::Json(server::PageJson(std::move(items), next));
}

Result<Response> VerifyAuditRoute(AuthContext& ctx, Request&) {
  FS_ASSIGN_OR_RETURN(AuditVerifyReport report, VerifyAuditChain(ctx.store, ctx.audit_key));
  boost::json::object out{
      {"ok", report.ok}, {"entries_checked", report.entries_checked}, {"reason", report.reason}};
  out["first_bad_seq"] = report.first_bad_seq ? boost::json::value(*report.first_bad_seq)
                                              : boost::json::value(nullptr);
  return Response::Json(out);
}

const char kEntrySchema[] = R"({"type":"object",
  "required":["seq","at","actor","action","target_type","target_id","detail","hash"],
  "properties":{"seq":{"type":"integer"},"at":{"type":"string","format":"date-time"},
  "actor_user_id":{"type":["integer","null"]},"actor":{"type":"string"},
  "action":{"type":"string"},"target_type":{"type":"string"},"target_id":{"type":"string"},
  "detail":{"type":"object"},"remote_addr":{"type":"string"},"hash":{"type":"string"}}})";

const char kVerifySchema[] = R"({"type":"object","required":["ok","entries_checked","reason"],
  "properties":{"ok":{"type":"boolean"},"entries_checked":{"type":"integer"},
  "first_bad_seq":{"type":["integer","null"]},"reason":{"type":"string"}}})";

}  // namespace

void RegisterAuditRoutes(AuthContext& ctx, server::Router& router) {
  router.Add({"GET",
              "/api/v1/audit",
              "audit.read",
              [&ctx](Request& req) { return ListAuditRoute(ctx, req); },
              {"The audit log, newest first (filters: action, actor, since)",
               "audit",
               nullptr,
               PagedSchema(Schema(kEntrySchema)),
               200,
               {"limit", "cursor", "action", "actor", "since"}}});
  router.Add({"GET",
              "/api/v1/audit/verify",
              "audit.read",
              [&ctx](Request& req) { return VerifyAuditRoute(ctx, req); },
              {"Verify the audit hash chain", "audit", nullptr, Schema(kVerifySchema), 200, {}}});
}

}  // namespace failsafe::auth
