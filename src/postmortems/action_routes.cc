// Action items: /api/v1/postmortems/{id}/actions (add), /{id}/actions/{action_id} (edit, mark
// done) and /api/v1/postmortems/actions (across postmortems; overdue=true for the late ones).
#include <charconv>

#include "auth/audit_log.h"
#include "auth/users.h"
#include "base/json.h"
#include "catalog/catalog.h"
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

// An owner is a person of the catalog (by handle) or a login user (by username).
Status CheckOwner(store::Tx& tx, const std::string& owner) {
  if (owner.empty()) return InvalidArgument("owner must not be empty", "owner");
  FS_ASSIGN_OR_RETURN_STATUS(auto person, catalog::FindPersonByHandle(tx, owner));
  if (person) return Status::Ok();
  FS_ASSIGN_OR_RETURN_STATUS(auto user, auth::FindUserByName(tx, owner));
  if (user) return Status::Ok();
  return InvalidArgument("owner \"" + owner + "\" is neither a person's handle nor a username",
                         "owner");
}

Status CheckDue(const std::string& due) {
  if (!IsIsoDate(due)) {
    return InvalidArgument("due_date must be a day written YYYY-MM-DD, got \"" + due + "\"",
                           "due_date");
  }
  return Status::Ok();
}

Status CheckStatus(const std::string& status) {
  if (!IsActionStatus(status)) {
    return InvalidArgument("status must be one of open, in_progress, done, cancelled", "status");
  }
  return Status::Ok();
}

Result<int64_t> ActionId(const Request& req) {
  const std::string& text = req.Param("action_id");
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    return Err(NotFound("action '" + text.substr(0, 64) + "' not found"));
  }
  return id;
}

Result<Response> AddRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "postmortem"));
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader r(body);
  ActionItem a;
  a.postmortem_id = id;
  a.title = r.RequiredString("title", 500);
  a.owner = r.RequiredString("owner", 100);
  a.due_date = r.RequiredString("due_date", 10);
  a.status = r.OptionalString("status", 32).value_or(std::string(kActionOpen));
  a.notes = r.OptionalString("notes", 4000).value_or("");
  FS_RETURN_IF_ERROR(r.Finish());
  if (a.title.empty()) return Err(InvalidArgument("title must not be empty", "title"));
  FS_RETURN_IF_ERROR(CheckDue(a.due_date));
  FS_RETURN_IF_ERROR(CheckStatus(a.status));
  const int64_t now = s.clock.NowMillis();
  a.created_by = server::Caller(req).username;
  a.created_at = a.updated_at = now;
  if (a.status == kActionDone) a.done_at = now;
  FS_ASSIGN_OR_RETURN(
      a, store::WriteResult<ActionItem>(s.store, [&](store::Tx& tx) -> Result<ActionItem> {
        FS_ASSIGN_OR_RETURN(auto p, FindPostmortem(tx, id));
        if (!p) return Err(NotFound("postmortem " + std::to_string(id) + " not found"));
        FS_RETURN_IF_ERROR(CheckOwner(tx, a.owner));
        FS_ASSIGN_OR_RETURN(int64_t action_id, InsertAction(tx, a));
        FS_RETURN_IF_ERROR(s.audit.Append(
            tx, auth::AuditFor(req, "postmortem_action.create", "postmortem_action",
                               std::to_string(action_id),
                               {{"postmortem_id", id}, {"owner", a.owner}, {"due", a.due_date}})));
        FS_ASSIGN_OR_RETURN(auto stored, FindAction(tx, id, action_id));
        return *stored;
      }));
  return Response::Json(ActionJson(a, UtcDay(now)), 201);
}

Result<Response> PatchActionRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(int64_t id, server::PathId(req, "postmortem"));
  FS_ASSIGN_OR_RETURN(int64_t action_id, ActionId(req));
  FS_ASSIGN_OR_RETURN(auto body, server::BodyObject(req));
  json::ObjectReader r(body);
  const auto title = r.OptionalString("title", 500);
  const auto owner = r.OptionalString("owner", 100);
  const auto due = r.OptionalString("due_date", 10);
  const auto status = r.OptionalString("status", 32);
  const auto notes = r.OptionalString("notes", 4000);
  FS_RETURN_IF_ERROR(r.Finish());
  if (title && title->empty()) return Err(InvalidArgument("title must not be empty", "title"));
  if (due) FS_RETURN_IF_ERROR(CheckDue(*due));
  if (status) FS_RETURN_IF_ERROR(CheckStatus(*status));
  const int64_t now = s.clock.NowMillis();
  FS_ASSIGN_OR_RETURN(
      auto a, store::WriteResult<ActionItem>(s.store, [&](store::Tx& tx) -> Result<ActionItem> {
        FS_ASSIGN_OR_RETURN(auto found, FindAction(tx, id, action_id));
        if (!found) {
          return Err(NotFound("action " + std::to_string(action_id) + " of postmortem " +
                              std::to_string(id) + " not found"));
        }
        ActionItem a = std::move(*found);
        const std::string before = a.status;
        if (title) a.title = *title;
        if (owner) {
          FS_RETURN_IF_ERROR(CheckOwner(tx, *owner));
          a.owner = *owner;
        }
        if (due) a.due_date = *due;
        if (notes) a.notes = *notes;
        if (status) {
          a.status = *status;
          if (a.status == kActionDone && before != kActionDone) a.done_at = now;
          if (a.status != kActionDone) a.done_at.reset();
        }
        a.updated_at = now;
        FS_RETURN_IF_ERROR(UpdateAction(tx, a));
        boost::json::array fields;
        for (const auto& [key, value] : body) fields.emplace_back(key);
        boost::json::object detail{{"postmortem_id", id}, {"fields", std::move(fields)}};
        if (a.status != before) {
          detail["from"] = before;
          detail["to"] = a.status;
        }
        FS_RETURN_IF_ERROR(
            s.audit.Append(tx, auth::AuditFor(req, "postmortem_action.update", "postmortem_action",
                                              std::to_string(action_id), std::move(detail))));
        return a;
      }));
  return Response::Json(ActionJson(a, UtcDay(now)));
}

Result<Response> ListActionsRoute(const auth::ModuleServices& s, Request& req) {
  FS_ASSIGN_OR_RETURN(server::PageRequest page, server::ParsePageRequest(req));
  const int64_t now = s.clock.NowMillis();
  ActionQuery q;
  if (auto overdue = req.Query("overdue")) {
    if (*overdue != "true" && *overdue != "false") {
      return Err(InvalidArgument("overdue must be true or false", "overdue"));
    }
    if (*overdue == "true") q.overdue_on = UtcDay(now);
  }
  q.status = req.Query("status");
  if (q.status) FS_RETURN_IF_ERROR(CheckStatus(*q.status));
  q.owner = req.Query("owner");
  q.after_id = page.after_id;
  q.limit = page.limit + 1;
  FS_ASSIGN_OR_RETURN(auto list, store::ReadResult<std::vector<ActionItem>>(
                                     s.store, [&](store::Tx& tx) { return ListActions(tx, q); }));
  std::optional<int64_t> next;
  if (list.size() > static_cast<size_t>(page.limit)) {
    list.resize(static_cast<size_t>(page.limit));
    next = list.back().id;
  }
  boost::json::array items;
  const std::string today = UtcDay(now);
  for (const auto& a : list) items.emplace_back(ActionJson(a, today));
  return Response::Json(server::PageJson(std::move(items), next));
}

const char kAddSchema[] = R"({"type":"object","required":["title","owner","due_date"],
  "additionalProperties":false,"properties":{"title":{"type":"string","minLength":1},
  "owner":{"type":"string","description":"a person's handle or a username"},
  "due_date":{"type":"string","format":"date"},
  "status":{"type":"string","enum":["open","in_progress","done","cancelled"],"default":"open"},
  "notes":{"type":"string"}}})";

const char kPatchSchema[] = R"({"type":"object","additionalProperties":false,"properties":{
  "title":{"type":"string","minLength":1},"owner":{"type":"string"},
  "due_date":{"type":"string","format":"date"},
  "status":{"type":"string","enum":["open","in_progress","done","cancelled"]},
  "notes":{"type":"string"}}})";

}  // namespace

void RegisterActionRoutes(const auth::ModuleServices& s, server::Router& router) {
  const auto& svc = s;
  router.Add({"POST",
              "/api/v1/postmortems/{id}/actions",
              "postmortems.write",
              [&svc](Request& req) { return AddRoute(svc, req); },
              {"Add an action item to a postmortem",
               "postmortems",
               server::Schema(kAddSchema),
               ActionSchema(),
               201,
               {}}});
  router.Add({"PATCH",
              "/api/v1/postmortems/{id}/actions/{action_id}",
              "postmortems.write",
              [&svc](Request& req) { return PatchActionRoute(svc, req); },
              {"Edit an action item or move its status (open, in_progress, done, cancelled)",
               "postmortems",
               server::Schema(kPatchSchema),
               ActionSchema(),
               200,
               {}}});
  router.Add({"GET",
              "/api/v1/postmortems/actions",
              "postmortems.read",
              [&svc](Request& req) { return ListActionsRoute(svc, req); },
              {"Action items across postmortems (overdue=true: pending and past their due date)",
               "postmortems",
               nullptr,
               server::PagedSchema(ActionSchema()),
               200,
               {"overdue", "status", "owner", "limit", "cursor"}}});
}

}  // namespace failsafe::postmortems
