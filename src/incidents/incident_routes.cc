// /api/v1/incidents: declare, list, show, and everything responders do to an incident.
#include <algorithm>
#include <boost/json.hpp>

#include "auth/audit_log.h"
#include "base/json.h"
#include "incidents/context.h"
#include "incidents/incident_json.h"
#include "incidents/operations.h"
#include "server/pagination.h"
#include "server/route_helpers.h"
#include "store/tx_result.h"

namespace failsafe::incidents {
namespace {

using server::Request;
using server::Response;

Actor ActorOf(const Request& req) {
  return Actor{server::Caller(req).username, &req};
}

std::vector<std::string> StringList(json::ObjectReader& reader, std::string_view key) {
  std::vector<std::string> out;
  const boost::json::array* a = reader.OptionalArray(key);
  if (a == nullptr) return out;
  for (size_t i = 0; i < a->size(); ++i) {
    const auto& v = (*a)[i];
    if (!v.is_string() || v.as_string().empty() || v.as_string().size() > 100) {
      reader.Fail(key, "must be a list of non-empty strings (item " + std::to_string(i) + ")");
      return {};
    }
    out.emplace_back(v.as_string().c_str());
  }
  return out;
}

Result<Response> DetailResponse(IncidentsContext& ctx, const std::string& id_or_ref, int status) {
  FS_ASSIGN_OR_RETURN(
      auto detail,
      store::ReadResult<IncidentDetail>(ctx.store(), [&](store::Tx& tx) -> Result<IncidentDetail> {
        FS_ASSIGN_OR_RETURN(auto i, FindIncident(tx, id_or_ref));
        if (!i) {
          return Err(NotFound("incident '" + id_or_ref.substr(0, 64) + "' not found"));
        }
        return LoadDetail(tx, *i);
      }));
  return Response::Json(DetailJson(detail), status);
}

Result<Response> DeclareRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader reader(body);
  DeclareInput in;
  in.title = reader.RequiredString("title", 300);
  in.severity = reader.RequiredString("severity", 8);
  in.services = StringList(reader, "services");
  in.summary = reader.OptionalString("summary", 10000).value_or("");
  in.plan = reader.OptionalString("plan", 100);
  FS_RETURN_IF_ERROR(reader.Finish());
  FS_ASSIGN_OR_RETURN(Incident incident, Declare(ctx, in, ActorOf(req)));
  return DetailResponse(ctx, std::to_string(incident.id), 201);
}

// "a,b,c" -> its items, each one of `allowed`; a clear 400 naming the parameter otherwise.
Result<std::vector<std::string>> ListParam(const Request& req, const std::string& name,
                                           std::initializer_list<std::string_view> allowed) {
  std::vector<std::string> out;
  const auto text = req.Query(name);
  if (!text || text->empty()) return out;
  size_t start = 0;
  while (start <= text->size()) {
    const size_t end = std::min(text->find(',', start), text->size());
    const std::string item = text->substr(start, end - start);
    if (std::find(allowed.begin(), allowed.end(), item) == allowed.end()) {
      std::string names;
      for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
      return Err(InvalidArgument(
          name + " must be one or more of " + names + " separated by commas, got \"" + item + "\"",
          name));
    }
    out.push_back(item);
    start = end + 1;
  }
  return out;
}

Result<Response> ListRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(server::PageRequest page, server::ParsePageRequest(req));
  IncidentQuery q;
  FS_ASSIGN_OR_RETURN(q.statuses, ListParam(req, "status",
                                            {"open", "declared", "acknowledged", "mitigating",
                                             "recovered", "verified", "closed"}));
  FS_ASSIGN_OR_RETURN(q.severities, ListParam(req, "severity", {"P1", "P2", "P3", "P4"}));
  if (auto text = req.Query("q"); text && !text->empty()) {
    if (text->size() > 200) return Err(InvalidArgument("q is longer than 200 bytes", "q"));
    q.text = *text;
  }
  q.service = req.Query("service");
  q.limit = page.limit + 1;
  if (page.after_id > 0) q.before_id = page.after_id;
  FS_ASSIGN_OR_RETURN(auto list,
                      store::ReadResult<std::vector<Incident>>(
                          ctx.store(), [&](store::Tx& tx) { return ListIncidents(tx, q); }));
  std::optional<int64_t> next;
  if (list.size() > static_cast<size_t>(page.limit)) {
    list.resize(static_cast<size_t>(page.limit));
    next = list.back().id;
  }
  boost::json::array items;
  for (const auto& i : list) items.emplace_back(IncidentJson(i));
  return Response::Json(server::PageJson(std::move(items), next));
}

Result<Response> TransitionRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader reader(body);
  const std::string action = reader.RequiredString("action", 20);
  const std::string note = reader.OptionalString("note", 10000).value_or("");
  FS_RETURN_IF_ERROR(reader.Finish());
  FS_ASSIGN_OR_RETURN(Incident i, Transition(ctx, req.Param("id"), action, note, ActorOf(req)));
  return DetailResponse(ctx, std::to_string(i.id), 200);
}

Result<Response> PlanRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader reader(body);
  const std::string plan = reader.RequiredString("plan", 100);
  FS_RETURN_IF_ERROR(reader.Finish());
  FS_ASSIGN_OR_RETURN(Incident i, ActivatePlan(ctx, req.Param("id"), plan, ActorOf(req)));
  return DetailResponse(ctx, std::to_string(i.id), 200);
}

Result<Response> PatchRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader reader(body);
  const std::string severity = reader.RequiredString("severity", 8);
  FS_RETURN_IF_ERROR(reader.Finish());
  FS_ASSIGN_OR_RETURN(Incident i, ChangeSeverity(ctx, req.Param("id"), severity, ActorOf(req)));
  return DetailResponse(ctx, std::to_string(i.id), 200);
}

Result<Response> AssignRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader reader(body);
  const std::string role = reader.RequiredString("role", 64);
  const std::string person = reader.RequiredString("person", 100);
  FS_RETURN_IF_ERROR(reader.Finish());
  FS_ASSIGN_OR_RETURN(auto r, AssignRole(ctx, req.Param("id"), role, person, ActorOf(req)));
  return Response::Json(RoleJson(r));
}

Result<Response> CheckRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader reader(body);
  const std::string step = reader.RequiredString("step", 100);
  const bool done = reader.OptionalBool("done").value_or(true);
  const std::string note = reader.OptionalString("note", 10000).value_or("");
  FS_RETURN_IF_ERROR(reader.Finish());
  FS_ASSIGN_OR_RETURN(auto item, CheckStep(ctx, req.Param("id"), step, done, note, ActorOf(req)));
  return Response::Json(ChecklistJson(item));
}

// PATCH /incidents/{id}/checklist/{step} {"assignee": "handle" | null}: null or "" clears it.
Result<Response> AssignStepRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  if (!body.contains("assignee")) {
    return Err(
        InvalidArgument("field 'assignee' is required (a person's handle, or null)", "assignee"));
  }
  json::ObjectReader reader(body);
  const std::string handle = reader.OptionalString("assignee", 100).value_or("");
  FS_RETURN_IF_ERROR(reader.Finish());
  FS_ASSIGN_OR_RETURN(auto item,
                      AssignStep(ctx, req.Param("id"), req.Param("step"), handle, ActorOf(req)));
  return Response::Json(ChecklistJson(item));
}

Result<Response> NoteRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader reader(body);
  const std::string text = reader.RequiredString("text", 20000);
  FS_RETURN_IF_ERROR(reader.Finish());
  FS_ASSIGN_OR_RETURN(auto e, AddNote(ctx, req.Param("id"), text, ActorOf(req)));
  return Response::Json(TimelineJson(e), 201);
}

Result<UpdateInput> ReadUpdateInput(Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader reader(body);
  UpdateInput in;
  in.stage = reader.RequiredString("stage", 20);
  in.audience = reader.OptionalString("audience", 20).value_or("internal");
  in.language = reader.OptionalString("language", 8).value_or("");
  in.title = reader.OptionalString("title", 300);
  in.body = reader.OptionalString("body", 20000);
  in.message = reader.OptionalString("message", 10000).value_or("");
  in.eta = reader.OptionalString("eta", 100).value_or("");
  FS_RETURN_IF_ERROR(reader.Finish());
  return in;
}

Result<Response> UpdateRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(UpdateInput in, ReadUpdateInput(req));
  FS_ASSIGN_OR_RETURN(auto u, PostUpdate(ctx, req.Param("id"), in, ActorOf(req)));
  return Response::Json(UpdateJson(u), 201);
}

Result<Response> PreviewUpdateRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(UpdateInput in, ReadUpdateInput(req));
  FS_ASSIGN_OR_RETURN(auto u, PreviewUpdate(ctx, req.Param("id"), in, ActorOf(req)));
  boost::json::object o = UpdateJson(u);
  o.erase("id");  // not stored
  return Response::Json(o, 200);
}

Result<Response> LinkRoute(IncidentsContext& ctx, Request& req) {
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader reader(body);
  const std::string other = reader.RequiredString("other", 64);
  const std::string kind = reader.OptionalString("kind", 20).value_or("related");
  FS_RETURN_IF_ERROR(reader.Finish());
  FS_RETURN_IF_ERROR(LinkIncidents(ctx, req.Param("id"), other, kind, ActorOf(req)));
  return DetailResponse(ctx, req.Param("id"), 200);
}

Result<Response> TimelineRoute(IncidentsContext& ctx, Request& req) {
  const std::string format = req.Query("format").value_or("json");
  if (format != "json" && format != "md") {
    return Err(InvalidArgument("format must be json or md", "format"));
  }
  FS_ASSIGN_OR_RETURN(
      auto detail,
      store::ReadResult<IncidentDetail>(ctx.store(), [&](store::Tx& tx) -> Result<IncidentDetail> {
        FS_ASSIGN_OR_RETURN(auto i, FindIncident(tx, req.Param("id")));
        if (!i) return Err(NotFound("incident not found"));
        return LoadDetail(tx, *i);
      }));
  if (format == "md")
    return Response::Text(TimelineMarkdown(detail), "text/markdown; charset=utf-8");
  boost::json::array events;
  for (const auto& e : detail.timeline) events.emplace_back(TimelineJson(e));
  return Response::Json(
      boost::json::object{{"id", detail.incident.ref}, {"timeline", std::move(events)}});
}

const char kDeclareSchema[] = R"({"type":"object","required":["title","severity"],
  "additionalProperties":false,"properties":{"title":{"type":"string","maxLength":300},
  "severity":{"type":"string","enum":["P1","P2","P3","P4"]},
  "services":{"type":"array","items":{"type":"string"}},"summary":{"type":"string"},
  "plan":{"type":"string","description":"key of a plan with an approved version: activated at once"}}})";
const char kTransitionSchema[] =
    R"({"type":"object","required":["action"],"additionalProperties":false,
  "properties":{"action":{"type":"string","enum":["ack","mitigate","resolve","verify","close","reopen"]},
  "note":{"type":"string"}}})";
const char kUpdateSchema[] = R"({"type":"object","required":["stage"],"additionalProperties":false,
  "properties":{"stage":{"type":"string","enum":["investigating","identified","monitoring","resolved"]},
  "audience":{"type":"string","enum":["internal","customers","leadership"]},
  "language":{"type":"string","enum":["zh-CN","en"]},"title":{"type":"string"},
  "body":{"type":"string","description":"free text; without it the plan's template is rendered"},
  "message":{"type":"string"},"eta":{"type":"string"}}})";

}  // namespace

void RegisterIncidentRoutes(IncidentsContext& ctx, server::Router& router) {
  using server::Schema;
  auto add = [&](const char* method, const char* pattern, const char* permission,
                 Result<Response> (*fn)(IncidentsContext&, Request&), const char* summary,
                 boost::json::value request, boost::json::value response, int status,
                 std::vector<std::string> query = {}) {
    router.Add({method,
                pattern,
                permission,
                [&ctx, fn](Request& req) { return fn(ctx, req); },
                {summary, "incidents", std::move(request), std::move(response), status,
                 std::move(query)}});
  };
  add("POST", "/api/v1/incidents", "incidents.write", DeclareRoute,
      "Declare an incident (optionally activating a plan)", Schema(kDeclareSchema), DetailSchema(),
      201);
  add("GET", "/api/v1/incidents", "incidents.read", ListRoute,
      "List incidents, newest first. status: comma-separated statuses or open; severity: "
      "comma-separated P1..P4; service: a service key; q: words that must all occur in the id, "
      "title or a service key",
      nullptr, server::PagedSchema(IncidentSchema()), 200,
      {"limit", "cursor", "status", "severity", "service", "q"});
  add(
      "GET", "/api/v1/incidents/{id}", "incidents.read",
      [](IncidentsContext& c, Request& r) { return DetailResponse(c, r.Param("id"), 200); },
      "An incident with roles, checklist, timeline, status updates and pending timers", nullptr,
      DetailSchema(), 200);
  add("PATCH", "/api/v1/incidents/{id}", "incidents.write", PatchRoute,
      "Change an incident's severity",
      Schema(R"({"type":"object","required":["severity"],"additionalProperties":false,
        "properties":{"severity":{"type":"string","enum":["P1","P2","P3","P4"]}}})"),
      DetailSchema(), 200);
  add("POST", "/api/v1/incidents/{id}/transition", "incidents.write", TransitionRoute,
      "Move an incident along its lifecycle", Schema(kTransitionSchema), DetailSchema(), 200);
  add("POST", "/api/v1/incidents/{id}/plan", "incidents.write", PlanRoute,
      "Activate a plan's approved version on an incident",
      Schema(R"({"type":"object","required":["plan"],"additionalProperties":false,
        "properties":{"plan":{"type":"string"}}})"),
      DetailSchema(), 200);
  add("POST", "/api/v1/incidents/{id}/roles", "incidents.write", AssignRoute,
      "Assign a role (commander, tech_support, ...) to a person",
      Schema(R"({"type":"object","required":["role","person"],"additionalProperties":false,
        "properties":{"role":{"type":"string"},"person":{"type":"string","description":"handle"}}})"),
      Schema(R"({"type":"object"})"), 200);
  add("POST", "/api/v1/incidents/{id}/checklist", "incidents.write", CheckRoute,
      "Tick (or untick) a checklist step",
      Schema(R"({"type":"object","required":["step"],"additionalProperties":false,
        "properties":{"step":{"type":"string","description":"step key or 1-based position"},
        "done":{"type":"boolean"},"note":{"type":"string"}}})"),
      Schema(R"({"type":"object"})"), 200);
  add("PATCH", "/api/v1/incidents/{id}/checklist/{step}", "incidents.write", AssignStepRoute,
      "Assign a checklist step (key or 1-based position) to a person, or clear it with null",
      Schema(R"({"type":"object","required":["assignee"],"additionalProperties":false,
        "properties":{"assignee":{"type":["string","null"],"description":"person handle"}}})"),
      Schema(R"({"type":"object"})"), 200);
  add("POST", "/api/v1/incidents/{id}/notes", "incidents.write", NoteRoute,
      "Add a note to the timeline",
      Schema(R"({"type":"object","required":["text"],"additionalProperties":false,
        "properties":{"text":{"type":"string"}}})"),
      Schema(R"({"type":"object"})"), 201);
  add("POST", "/api/v1/incidents/{id}/updates", "incidents.write", UpdateRoute,
      "Post a status update (from the plan's template or free text) to its audience",
      Schema(kUpdateSchema), Schema(R"({"type":"object"})"), 201);
  add("POST", "/api/v1/incidents/{id}/updates/preview", "incidents.write", PreviewUpdateRoute,
      "The status update as it would be posted now (template filled in); nothing is stored "
      "or sent",
      Schema(kUpdateSchema), Schema(R"({"type":"object"})"), 200);
  add("POST", "/api/v1/incidents/{id}/links", "incidents.write", LinkRoute,
      "Link a related incident, or merge one into this one",
      Schema(R"({"type":"object","required":["other"],"additionalProperties":false,
        "properties":{"other":{"type":"string"},"kind":{"type":"string","enum":["related","merge"]}}})"),
      DetailSchema(), 200);
  add("GET", "/api/v1/incidents/{id}/timeline", "incidents.read", TimelineRoute,
      "The timeline as JSON or Markdown (format=md)", nullptr, Schema(R"({"type":"object"})"), 200,
      {"format"});
}

}  // namespace failsafe::incidents
