// /api/v1/postmortems: create from an incident, list, read, edit, refresh the timeline, export.
#include <optional>

#include "auth/audit_log.h"
#include "base/json.h"
#include "postmortems/export_document.h"
#include "postmortems/patch.h"
#include "postmortems/postmortem_json.h"
#include "postmortems/review.h"
#include "postmortems/routes.h"
#include "server/pagination.h"
#include "server/route_helpers.h"
#include "store/tx_result.h"

namespace failsafe::postmortems {
namespace {

using server::Request;
using server::Response;

Result<std::string> IncidentArgument(const boost::json::object& body) {
  const boost::json::value* v = body.if_contains("incident");
  boost::json::object rest = body;
  rest.erase("incident");
  json::ObjectReader others(rest);
  FS_RETURN_IF_ERROR(others.Finish());
  if (v == nullptr) return Err(InvalidArgument("incident is required", "incident"));
  if (v->is_string() && !v->get_string().empty() && v->get_string().size() <= 64) {
    return std::string(v->get_string());
  }
  if (v->is_int64() && v->get_int64() > 0) return std::to_string(v->get_int64());
  return Err(InvalidArgument("incident must be the incident's ref (INC-2026-0001) or its number",
                             "incident"));
}

Result<Response> CreateRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  FS_ASSIGN_OR_RETURN(std::string incident, IncidentArgument(body));
  const std::string actor = server::Caller(req).username;
  const int64_t now = s.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(
      auto view,
      store::WriteResult<PostmortemView>(s.store, [&](store::Tx& tx) -> Result<PostmortemView> {
        FS_ASSIGN_OR_RETURN(Postmortem p, CreateFromIncident(tx, incident, actor, now));
        FS_RETURN_IF_ERROR(s.audit.Append(
            tx, auth::AuditFor(req, "postmortem.create", "postmortem", std::to_string(p.id),
                               {{"incident", p.incident_ref}})));
        return LoadView(tx, p.id, now);
      }));
  return Response::Json(ViewJson(view), 201);
}

Result<Response> ListRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(server::PageRequest page, server::ParsePageRequest(req));
  PostmortemQuery q;
  q.status = req.Query("status");
  if (q.status && *q.status != kDraft && *q.status != kInReview && *q.status != kPublished) {
    return Err(InvalidArgument("status must be one of draft, in_review, published", "status"));
  }
  q.before_id = page.after_id;  // the cursor continues after the last row shown: newest first
  q.limit = page.limit + 1;
  FS_ASSIGN_OR_RETURN(auto list,
                      store::ReadResult<std::vector<Postmortem>>(
                          s.store, [&](store::Tx& tx) { return ListPostmortems(tx, q); }));
  std::optional<int64_t> next;
  if (list.size() > static_cast<size_t>(page.limit)) {
    list.resize(static_cast<size_t>(page.limit));
    next = list.back().id;
  }
  boost::json::array items;
  for (const auto& p : list) items.emplace_back(SummaryJson(p));
  return Response::Json(server::PageJson(std::move(items), next));
}

Result<Response> GetRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "postmortem"));
  const int64_t now = s.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(auto view, store::ReadResult<PostmortemView>(s.store, [&](store::Tx& tx) {
                        return LoadView(tx, id, now);
                      }));
  return Response::Json(ViewJson(view));
}

Result<Response> PatchRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "postmortem"));
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  const std::string actor = server::Caller(req).username;
  const int64_t now = s.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(
      auto view,
      store::WriteResult<PostmortemView>(s.store, [&](store::Tx& tx) -> Result<PostmortemView> {
        FS_ASSIGN_OR_RETURN(auto found, FindPostmortem(tx, id));
        if (!found) return Err(NotFound("postmortem " + std::to_string(id) + " not found"));
        Postmortem p = std::move(*found);
        const std::string before = p.status;
        FS_RETURN_IF_ERROR(ApplyPatch(p, body, actor, now));
        FS_RETURN_IF_ERROR(UpdatePostmortem(tx, p));
        boost::json::array fields;
        for (const auto& [key, value] : body) fields.emplace_back(key);
        boost::json::object detail{{"fields", std::move(fields)}};
        if (p.status != before) {
          detail["from"] = before;
          detail["to"] = p.status;
          FS_RETURN_IF_ERROR(NoteOnIncident(tx, p, now, actor, "postmortem " + p.status));
        }
        FS_RETURN_IF_ERROR(
            s.audit.Append(tx, auth::AuditFor(req, "postmortem.update", "postmortem",
                                              std::to_string(id), std::move(detail))));
        return LoadView(tx, id, now);
      }));
  return Response::Json(ViewJson(view));
}

Result<Response> RefreshRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "postmortem"));
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req, true));
  FS_RETURN_IF_ERROR(json::ObjectReader(body).Finish());
  const int64_t now = s.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(
      auto view,
      store::WriteResult<PostmortemView>(s.store, [&](store::Tx& tx) -> Result<PostmortemView> {
        FS_ASSIGN_OR_RETURN(auto found, FindPostmortem(tx, id));
        if (!found) return Err(NotFound("postmortem " + std::to_string(id) + " not found"));
        FS_RETURN_IF_ERROR(RefreshTimeline(tx, *found, now));
        FS_RETURN_IF_ERROR(s.audit.Append(
            tx, auth::AuditFor(req, "postmortem.refresh_timeline", "postmortem", std::to_string(id),
                               {{"events", static_cast<int64_t>(found->timeline.size())}})));
        return LoadView(tx, id, now);
      }));
  return Response::Json(ViewJson(view));
}

Result<Response> ExportRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "postmortem"));
  const std::string format = req.Query("format").value_or("md");
  if (format != "md" && format != "html") {
    return Err(InvalidArgument("format must be md or html, got \"" + format + "\"", "format"));
  }
  FS_ASSIGN_OR_RETURN(Lang lang, ParseLang(req.Query("lang")));
  const int64_t now = s.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(auto view, store::ReadResult<PostmortemView>(s.store, [&](store::Tx& tx) {
                        return LoadView(tx, id, now);
                      }));
  const Document doc = BuildDocument(view, lang, now);
  const std::string base = "postmortem-" + view.incident.ref;
  if (format == "html") {
    Response r =
        DocumentResponse(req, "html", "text/html; charset=utf-8", base + ".html", RenderHtml(doc));
    // Defence in depth: the page needs no script and loads nothing.
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'");
    return r;
  }
  return DocumentResponse(req, "md", "text/markdown; charset=utf-8", base + ".md",
                          RenderMarkdown(doc));
}

const char kCreateSchema[] = R"({"type":"object","required":["incident"],
  "additionalProperties":false,"properties":{"incident":{"oneOf":[
  {"type":"string","description":"the incident's ref, e.g. INC-2026-0001, or its number"},
  {"type":"integer","minimum":1}]}}})";

const char kPatchSchema[] = R"({"type":"object","additionalProperties":false,"properties":{
  "title":{"type":"string","minLength":1},"summary":{"type":"string"},"impact":{"type":"string"},
  "impacted_services":{"type":"array","items":{"type":"string"}},
  "users_affected":{"oneOf":[{"type":"string"},{"type":"integer","minimum":0},{"type":"null"}]},
  "root_causes":{"type":"array","items":{"type":"object","required":["category"],
    "additionalProperties":false,"properties":{
    "category":{"type":"string","enum":["hardware","network","software_defect","human_error",
      "natural_disaster","malicious_attack","process","vendor","other"]},
    "description":{"type":"string"},
    "whys":{"type":"array","maxItems":5,"items":{"type":"string"}}}}},
  "went_well":{"type":"array","items":{"type":"string"}},
  "went_badly":{"type":"array","items":{"type":"string"}},
  "step_evaluations":{"type":"array","items":{"type":"object","required":["step_key"],
    "additionalProperties":false,"properties":{"step_key":{"type":"string"},
    "verdict":{"type":"string","enum":["worked","missing","wrong","not_used"]},
    "comment":{"type":"string"}}}},
  "extra_revisions":{"type":"array","items":{"type":"string"}},
  "status":{"type":"string","enum":["draft","in_review","published"],
    "description":"draft -> in_review -> published; publishing needs a summary and a root cause"}}})";

}  // namespace

server::Response DocumentResponse(const server::Request& req, std::string format,
                                  std::string content_type, std::string filename,
                                  std::string content) {
  const std::string accept = req.Header("accept");
  if (accept.find("application/json") != std::string::npos &&
      accept.find("text/") == std::string::npos && accept.find("*/*") == std::string::npos) {
    return Response::Json(boost::json::object{{"format", format},
                                              {"content_type", content_type},
                                              {"filename", filename},
                                              {"content", content}});
  }
  Response r = Response::Text(std::move(content), std::move(content_type));
  r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + filename + "\"");
  return r;
}

boost::json::value DocumentEnvelopeSchema() {
  return server::Schema(
      R"({"type":"object","description":"the document itself (text/markdown, text/html or text/csv) unless the client accepts only application/json, which gets this envelope",
  "required":["format","content_type","filename","content"],"properties":{
  "format":{"type":"string"},"content_type":{"type":"string"},"filename":{"type":"string"},
  "content":{"type":"string"}}})");
}

void RegisterPostmortemRoutes(const auth::ModuleServices& s, server::Router& router) {
  const auto& svc = s;
  router.Add({"GET",
              "/api/v1/postmortems",
              "postmortems.read",
              [&svc](Request& req) { return ListRoute(svc, req); },
              {"List postmortems, newest first",
               "postmortems",
               nullptr,
               server::PagedSchema(SummarySchema()),
               200,
               {"status", "limit", "cursor"}}});
  router.Add({"POST",
              "/api/v1/postmortems",
              "postmortems.write",
              [&svc](Request& req) { return CreateRoute(svc, req); },
              {"Start the postmortem of a recovered incident (one per incident; 409 otherwise)",
               "postmortems",
               server::Schema(kCreateSchema),
               ViewSchema(),
               201,
               {}}});
  router.Add({"GET",
              "/api/v1/postmortems/{id}",
              "postmortems.read",
              [&svc](Request& req) { return GetRoute(svc, req); },
              {"A postmortem with its incident, measured times, timeline, evaluation, proposed "
               "plan revisions and actions",
               "postmortems",
               nullptr,
               ViewSchema(),
               200,
               {}}});
  router.Add({"PATCH",
              "/api/v1/postmortems/{id}",
              "postmortems.write",
              [&svc](Request& req) { return PatchRoute(svc, req); },
              {"Edit a postmortem or move its status (draft -> in_review -> published)",
               "postmortems",
               server::Schema(kPatchSchema),
               ViewSchema(),
               200,
               {}}});
  router.Add({"POST",
              "/api/v1/postmortems/{id}/timeline/refresh",
              "postmortems.write",
              [&svc](Request& req) { return RefreshRoute(svc, req); },
              {"Replace the timeline snapshot with the incident's current timeline",
               "postmortems",
               nullptr,
               ViewSchema(),
               200,
               {}}});
  router.Add({"GET",
              "/api/v1/postmortems/{id}/export",
              "postmortems.read",
              [&svc](Request& req) { return ExportRoute(svc, req); },
              {"Export a postmortem as Markdown or HTML (labels in zh-CN or en)",
               "postmortems",
               nullptr,
               DocumentEnvelopeSchema(),
               200,
               {"format", "lang"}}});
}

}  // namespace failsafe::postmortems
