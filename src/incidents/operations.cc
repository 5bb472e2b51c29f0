#include "incidents/operations.h"

#include <boost/json.hpp>
#include <map>

#include "auth/audit_log.h"
#include "base/clock.h"
#include "base/json.h"
#include "catalog/catalog.h"
#include "catalog/local_time.h"
#include "incidents/lifecycle.h"
#include "incidents/paging.h"
#include "incidents/timers.h"
#include "notify/notify_module.h"
#include "plans/plan.h"
#include "plans/template.h"
#include "store/tx_result.h"

namespace failsafe::incidents {
namespace {

constexpr std::string_view kStages[] = {"investigating", "identified", "monitoring", "resolved"};

// The five roles of the plan practice, used when the incident runs no plan.
struct DefaultRole {
  const char* key;
  const char* name;
};
constexpr DefaultRole kDefaultRoles[] = {
    {"commander", "Incident commander 应急指挥"},
    {"tech_support", "Technical support 技术支持"},
    {"business_coordinator", "Business coordinator 业务协调"},
    {"comms_liaison", "Communication liaison 对外联络"},
    {"logistics", "Logistics 后勤保障"},
};

bool OneOf(std::string_view v, std::span<const std::string_view> set) {
  for (auto s : set) {
    if (s == v) return true;
  }
  return false;
}

Status Audit(IncidentsContext& ctx, store::Tx& tx, const Actor& actor, std::string action,
             const std::string& target, boost::json::object detail = {}) {
  if (actor.request != nullptr) {
    return ctx.services.audit.Append(tx, auth::AuditFor(*actor.request, std::move(action),
                                                        "incident", target, std::move(detail)));
  }
  auth::AuditEntry e;
  e.actor = actor.name;
  e.action = std::move(action);
  e.target_type = "incident";
  e.target_id = target;
  e.detail = std::move(detail);
  return ctx.services.audit.Append(tx, e);
}

Result<Incident> Require(store::Tx& tx, std::string_view id_or_ref) {
  FS_ASSIGN_OR_RETURN(auto incident, FindIncident(tx, id_or_ref));
  if (!incident) {
    return Err(NotFound("incident '" + std::string(id_or_ref.substr(0, 64)) + "' not found"));
  }
  return std::move(*incident);
}

Status RequireNotMerged(const Incident& incident) {
  if (incident.merged_into_id) {
    return Conflict("incident " + incident.ref + " was merged into incident " +
                    std::to_string(*incident.merged_into_id));
  }
  return Status::Ok();
}

std::string Localized(const std::string& zh, const std::string& en, std::string_view language) {
  return language == "en" ? en : zh;
}

// The lifecycle status in the update's language (templates read "状态：处置中", not "mitigating").
std::string StatusName(const std::string& status, std::string_view language) {
  static const std::map<std::string, std::pair<const char*, const char*>> kNames = {
      {"declared", {"已宣布", "declared"}},     {"acknowledged", {"已确认", "acknowledged"}},
      {"mitigating", {"处置中", "mitigating"}}, {"recovered", {"已恢复", "recovered"}},
      {"verified", {"已验证", "verified"}},     {"closed", {"已关闭", "closed"}}};
  auto it = kNames.find(status);
  if (it == kNames.end()) return status;
  return language == "zh-CN" ? it->second.first : it->second.second;
}

Status Activate(IncidentsContext& ctx, store::Tx& tx, Incident& incident, std::string_view plan_key,
                const Actor& actor, int64_t now) {
  auto approved = plans::ApprovedVersion(tx, plan_key);
  if (!approved) {
    if (approved.error().code() == ErrorCode::kNotFound) {
      return InvalidArgument("unknown plan '" + std::string(plan_key) + "'", "plan");
    }
    return approved.error();
  }
  if (!*approved) {
    return InvalidArgument(
        "plan '" + std::string(plan_key) + "' has no approved version: approve it first", "plan");
  }
  const plans::PlanVersion& plan = **approved;
  FS_RETURN_STATUS_IF_ERROR(StatusOf(tx.Exec(
      "UPDATE incidents SET plan_version_id = ?, plan_key = ?, plan_version = ?, updated_at = ? "
      "WHERE id = ?",
      {plan.id, plan.key, int64_t{plan.version}, now, incident.id})));
  // Roles declared by the plan replace the defaults that nobody holds yet.
  FS_RETURN_STATUS_IF_ERROR(StatusOf(tx.Exec(
      "DELETE FROM incident_roles WHERE incident_id = ? AND person_id IS NULL", {incident.id})));
  for (const auto& role : plan.roles) {
    FS_RETURN_STATUS_IF_ERROR(StatusOf(tx.Exec(
        "INSERT INTO incident_roles (incident_id, role, role_name, assigned_at) VALUES (?, ?, ?, "
        "?) "
        "ON CONFLICT (incident_id, role) DO NOTHING",
        {incident.id, role.key,
         role.name_zh == role.name_en ? role.name_en : role.name_en + " " + role.name_zh, now})));
  }
  int position = 0;
  for (const auto& step : plan.steps) {
    ++position;
    const std::string title =
        step.title_zh == step.title_en ? step.title_en : step.title_en + " / " + step.title_zh;
    const std::string instructions = step.instructions_zh == step.instructions_en
                                         ? step.instructions_en
                                         : step.instructions_en + "\n\n" + step.instructions_zh;
    FS_RETURN_STATUS_IF_ERROR(StatusOf(tx.Exec(
        "INSERT INTO incident_checklist (incident_id, position, step_key, phase, role, title, "
        "instructions, expected_duration_ms, required) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {incident.id, int64_t{position}, step.key, step.phase, step.role, title, instructions,
         step.expected_duration_ms, int64_t{step.required ? 1 : 0}})));
  }
  incident.plan_version_id = plan.id;
  incident.plan_key = plan.key;
  incident.plan_version = plan.version;
  FS_RETURN_STATUS_IF_ERROR(AppendTimeline(
      tx, incident.id, now, actor.name, "plan_activated",
      "Activated plan " + plan.key + " v" + std::to_string(plan.version) + " (" +
          std::to_string(plan.steps.size()) + " steps)",
      json::Serialize(boost::json::object{{"plan", plan.key}, {"version", plan.version}})));
  return Audit(ctx, tx, actor, "incident.plan_activate", incident.ref,
               {{"plan", plan.key}, {"version", plan.version}});
}

template <typename T, typename Fn>
Result<T> Write(IncidentsContext& ctx, Fn&& fn) {
  auto r = store::WriteResult<T>(ctx.store(), std::forward<Fn>(fn));
  if (r) {
    ctx.notify.Wake();
    if (ctx.wake_timers) ctx.wake_timers();
  }
  return r;
}

}  // namespace

Result<Incident> DeclareInTx(IncidentsContext& ctx, store::Tx& tx, const DeclareInput& in,
                             const Actor& actor) {
  if (in.title.empty()) return Err(InvalidArgument("title must not be empty", "title"));
  const int64_t now = ctx.now();
  FS_ASSIGN_OR_RETURN(auto severity, catalog::FindSeverity(tx, in.severity));
  if (!severity) {
    return Err(
        InvalidArgument("unknown severity '" + in.severity + "' (P1, P2, P3 or P4)", "severity"));
  }
  for (size_t i = 0; i < in.services.size(); ++i) {
    FS_ASSIGN_OR_RETURN(auto service, catalog::FindServiceByKey(tx, in.services[i]));
    if (!service) {
      return Err(InvalidArgument("unknown service '" + in.services[i] + "'",
                                 "services[" + std::to_string(i) + "]"));
    }
  }
  FS_ASSIGN_OR_RETURN(
      Incident incident,
      InsertIncident(tx, {in.title, in.severity, in.services, in.summary, actor.name}, now));
  for (const auto& role : kDefaultRoles) {
    FS_RETURN_IF_ERROR(
        StatusOf(tx.Exec("INSERT INTO incident_roles (incident_id, role, role_name, assigned_at) "
                         "VALUES (?, ?, ?, ?)",
                         {incident.id, std::string(role.key), std::string(role.name), now})));
  }
  if (in.plan) FS_RETURN_IF_ERROR(Activate(ctx, tx, incident, *in.plan, actor, now));
  FS_ASSIGN_OR_RETURN(auto paged, StartTimers(ctx, tx, incident, now, /*page_at_once=*/true));
  FS_RETURN_IF_ERROR(AnnounceDeclared(ctx, tx, incident, paged, now));
  FS_RETURN_IF_ERROR(Audit(ctx, tx, actor, "incident.declare", incident.ref,
                           {{"severity", incident.severity}, {"title", incident.title}}));
  return incident;
}

Result<Incident> Declare(IncidentsContext& ctx, const DeclareInput& in, const Actor& actor) {
  if (in.title.empty()) return Err(InvalidArgument("title must not be empty", "title"));
  return Write<Incident>(
      ctx, [&](store::Tx& tx) -> Result<Incident> { return DeclareInTx(ctx, tx, in, actor); });
}

Result<Incident> ActivatePlan(IncidentsContext& ctx, std::string_view id_or_ref,
                              std::string_view plan_key, const Actor& actor) {
  return Write<Incident>(ctx, [&](store::Tx& tx) -> Result<Incident> {
    FS_ASSIGN_OR_RETURN(Incident incident, Require(tx, id_or_ref));
    FS_RETURN_IF_ERROR(RequireNotMerged(incident));
    if (incident.plan_version_id) {
      return Err(Conflict("incident " + incident.ref + " already runs plan " + incident.plan_key +
                          " v" + std::to_string(incident.plan_version)));
    }
    if (!IsOpen(incident.status)) {
      return Err(Conflict("incident " + incident.ref + " is " + incident.status +
                          ": plans are activated on open incidents"));
    }
    FS_RETURN_IF_ERROR(Activate(ctx, tx, incident, plan_key, actor, ctx.now()));
    return incident;
  });
}

namespace {

Result<Incident> TransitionIn(IncidentsContext& ctx, store::Tx& tx, Incident incident,
                              std::string_view action, const std::string& note,
                              const Actor& actor) {
  FS_RETURN_IF_ERROR(RequireNotMerged(incident));
  FS_ASSIGN_OR_RETURN(std::string next, NextStatus(incident.status, action));
  const int64_t now = ctx.now();
  // Resolving or mitigating an unacknowledged incident acknowledges it too.
  if (!incident.acknowledged_at && next != kAcknowledged && action != "reopen") {
    FS_RETURN_IF_ERROR(StatusOf(
        tx.Exec("UPDATE incidents SET acknowledged_at = ? WHERE id = ?", {now, incident.id})));
  }
  FS_RETURN_IF_ERROR(StoreStatus(tx, incident.id, next, now, actor.name));
  if (action == "reopen") {
    FS_RETURN_IF_ERROR(StatusOf(
        tx.Exec("UPDATE incidents SET recovered_at = NULL, verified_at = NULL, closed_at = NULL "
                "WHERE id = ?",
                {incident.id})));
  }
  if (next != kDeclared) {
    FS_RETURN_IF_ERROR(CancelTimers(tx, incident.id, kTimerEscalation, now));
  }
  if (!IsOpen(next)) {
    FS_RETURN_IF_ERROR(CancelTimers(tx, incident.id, kTimerUpdateReminder, now));
  } else if (action == "reopen") {
    FS_ASSIGN_OR_RETURN(auto severity, catalog::FindSeverity(tx, incident.severity));
    if (severity && severity->update_cadence_ms > 0) {
      FS_RETURN_IF_ERROR(
          ScheduleTimer(tx, incident.id, kTimerUpdateReminder, now + severity->update_cadence_ms));
    }
  }
  if (!note.empty()) {
    FS_RETURN_IF_ERROR(AppendTimeline(tx, incident.id, now, actor.name, "note", note));
  }
  FS_RETURN_IF_ERROR(Audit(ctx, tx, actor, "incident." + std::string(action), incident.ref,
                           {{"from", incident.status}, {"to", next}}));
  FS_ASSIGN_OR_RETURN(auto stored, FindIncidentById(tx, incident.id));
  return std::move(*stored);
}

}  // namespace

Result<Incident> TransitionInTx(IncidentsContext& ctx, store::Tx& tx, int64_t incident_id,
                                std::string_view action, const std::string& note,
                                const Actor& actor) {
  FS_ASSIGN_OR_RETURN(auto incident, FindIncidentById(tx, incident_id));
  if (!incident) return Err(NotFound("incident " + std::to_string(incident_id) + " not found"));
  return TransitionIn(ctx, tx, std::move(*incident), action, note, actor);
}

Result<Incident> Transition(IncidentsContext& ctx, std::string_view id_or_ref,
                            std::string_view action, const std::string& note, const Actor& actor) {
  return Write<Incident>(ctx, [&](store::Tx& tx) -> Result<Incident> {
    FS_ASSIGN_OR_RETURN(Incident incident, Require(tx, id_or_ref));
    return TransitionIn(ctx, tx, std::move(incident), action, note, actor);
  });
}

Result<Incident> AcknowledgeByLink(IncidentsContext& ctx, std::string_view token) {
  return Write<Incident>(ctx, [&](store::Tx& tx) -> Result<Incident> {
    FS_ASSIGN_OR_RETURN(int64_t id, UseAckToken(tx, token, ctx.now()));
    FS_ASSIGN_OR_RETURN(auto incident, FindIncidentById(tx, id));
    if (!incident) return Err(NotFound("incident not found"));
    if (incident->status != kDeclared) return std::move(*incident);  // someone was quicker
    return TransitionIn(ctx, tx, std::move(*incident), "ack", "", Actor{"ack-link", nullptr});
  });
}

Result<RoleAssignment> AssignRole(IncidentsContext& ctx, std::string_view id_or_ref,
                                  std::string_view role, std::string_view person_handle,
                                  const Actor& actor) {
  return Write<RoleAssignment>(ctx, [&](store::Tx& tx) -> Result<RoleAssignment> {
    FS_ASSIGN_OR_RETURN(Incident incident, Require(tx, id_or_ref));
    FS_RETURN_IF_ERROR(RequireNotMerged(incident));
    FS_ASSIGN_OR_RETURN(auto roles, LoadRoles(tx, incident.id));
    const RoleAssignment* existing = nullptr;
    std::string known;
    for (const auto& r : roles) {
      known += (known.empty() ? "" : ", ") + r.role;
      if (r.role == role) existing = &r;
    }
    if (existing == nullptr) {
      return Err(InvalidArgument("unknown role '" + std::string(role) + "' for " + incident.ref +
                                     " (roles: " + known + ")",
                                 "role"));
    }
    FS_ASSIGN_OR_RETURN(auto person, catalog::FindPersonByHandle(tx, person_handle));
    if (!person) {
      return Err(InvalidArgument("unknown person '" + std::string(person_handle) + "'", "person"));
    }
    const int64_t now = ctx.now();
    FS_RETURN_IF_ERROR(StatusOf(
        tx.Exec("UPDATE incident_roles SET person_id = ?, person_handle = ?, person_name = ?, "
                "assigned_at = ? WHERE incident_id = ? AND role = ?",
                {person->id, person->handle, person->name, now, incident.id, std::string(role)})));
    FS_RETURN_IF_ERROR(
        AppendTimeline(tx, incident.id, now, actor.name, "role_assigned",
                       existing->role_name + ": " + person->name + " (" + person->handle + ")",
                       json::Serialize(boost::json::object{{"role", std::string(role)},
                                                           {"role_name", existing->role_name},
                                                           {"person", person->handle},
                                                           {"person_name", person->name}})));
    FS_RETURN_IF_ERROR(Audit(ctx, tx, actor, "incident.assign", incident.ref,
                             {{"role", std::string(role)}, {"person", person->handle}}));
    RoleAssignment out = *existing;
    out.person_id = person->id;
    out.person_handle = person->handle;
    out.person_name = person->name;
    out.assigned_at = now;
    return out;
  });
}

namespace {

// The step named by key or 1-based position.
Result<ChecklistItem> RequireStep(store::Tx& tx, const Incident& incident, std::string_view step) {
  FS_ASSIGN_OR_RETURN(auto items, LoadChecklist(tx, incident.id));
  for (auto& c : items) {
    if (c.step_key == step || std::to_string(c.position) == step) return std::move(c);
  }
  return Err(InvalidArgument("incident " + incident.ref + " has no checklist step '" +
                                 std::string(step.substr(0, 64)) + "'" +
                                 (items.empty() ? " (no plan activated)" : ""),
                             "step"));
}

// What every checklist timeline entry says about its step, so that readers need not look the
// step up (its title, phase and role as they were when the entry was written).
boost::json::object StepDetail(const ChecklistItem& item) {
  return {{"step", item.step_key},
          {"position", item.position},
          {"title", item.title},
          {"phase", item.phase},
          {"role", item.role}};
}

}  // namespace

Result<ChecklistItem> CheckStep(IncidentsContext& ctx, std::string_view id_or_ref,
                                std::string_view step, bool done, const std::string& note,
                                const Actor& actor) {
  return Write<ChecklistItem>(ctx, [&](store::Tx& tx) -> Result<ChecklistItem> {
    FS_ASSIGN_OR_RETURN(Incident incident, Require(tx, id_or_ref));
    FS_RETURN_IF_ERROR(RequireNotMerged(incident));
    FS_ASSIGN_OR_RETURN(ChecklistItem found, RequireStep(tx, incident, step));
    ChecklistItem* item = &found;
    const int64_t now = ctx.now();
    if (done) {
      item->done_at = now;
      item->done_by = actor.name;
    } else {
      item->done_at.reset();
      item->done_by.clear();
    }
    if (!note.empty()) item->note = note;
    FS_RETURN_IF_ERROR(StatusOf(
        tx.Exec("UPDATE incident_checklist SET done_at = ?, done_by = ?, note = ? WHERE id = ?",
                {store::OptionalInt(item->done_at), item->done_by, item->note, item->id})));
    boost::json::object detail = StepDetail(*item);
    detail["done"] = done;
    FS_RETURN_IF_ERROR(AppendTimeline(tx, incident.id, now, actor.name, "checklist",
                                      std::string(done ? "Done: " : "Undone: ") +
                                          std::to_string(item->position) + ". " + item->title +
                                          (note.empty() ? "" : " — " + note),
                                      json::Serialize(detail)));
    FS_RETURN_IF_ERROR(Audit(ctx, tx, actor, "incident.check", incident.ref,
                             {{"step", item->step_key}, {"done", done}}));
    return *item;
  });
}

Result<ChecklistItem> AssignStep(IncidentsContext& ctx, std::string_view id_or_ref,
                                 std::string_view step, std::string_view person_handle,
                                 const Actor& actor) {
  return Write<ChecklistItem>(ctx, [&](store::Tx& tx) -> Result<ChecklistItem> {
    FS_ASSIGN_OR_RETURN(Incident incident, Require(tx, id_or_ref));
    FS_RETURN_IF_ERROR(RequireNotMerged(incident));
    FS_ASSIGN_OR_RETURN(ChecklistItem item, RequireStep(tx, incident, step));
    item.assignee_id.reset();
    item.assignee_handle.clear();
    item.assignee_name.clear();
    if (!person_handle.empty()) {
      FS_ASSIGN_OR_RETURN(auto person, catalog::FindPersonByHandle(tx, person_handle));
      if (!person) {
        return Err(InvalidArgument(
            "unknown person '" + std::string(person_handle.substr(0, 64)) + "'", "assignee"));
      }
      item.assignee_id = person->id;
      item.assignee_handle = person->handle;
      item.assignee_name = person->name;
    }
    FS_RETURN_IF_ERROR(StatusOf(tx.Exec(
        "UPDATE incident_checklist SET assignee_id = ?, assignee_handle = ?, assignee_name = ? "
        "WHERE id = ?",
        {store::OptionalInt(item.assignee_id), item.assignee_handle, item.assignee_name,
         item.id})));
    boost::json::object detail = StepDetail(item);
    detail["person"] = item.assignee_handle;
    detail["person_name"] = item.assignee_name;
    const std::string heading = std::to_string(item.position) + ". " + item.title;
    FS_RETURN_IF_ERROR(AppendTimeline(tx, incident.id, ctx.now(), actor.name, "step_assigned",
                                      item.assignee_handle.empty()
                                          ? "Unassigned: " + heading
                                          : "Assigned " + heading + " to " + item.assignee_name +
                                                " (" + item.assignee_handle + ")",
                                      json::Serialize(detail)));
    FS_RETURN_IF_ERROR(Audit(ctx, tx, actor, "incident.assign_step", incident.ref,
                             {{"step", item.step_key}, {"person", item.assignee_handle}}));
    return item;
  });
}

Result<TimelineEvent> AddNote(IncidentsContext& ctx, std::string_view id_or_ref,
                              const std::string& text, const Actor& actor) {
  if (text.empty()) return Err(InvalidArgument("note text must not be empty", "text"));
  return Write<TimelineEvent>(ctx, [&](store::Tx& tx) -> Result<TimelineEvent> {
    FS_ASSIGN_OR_RETURN(Incident incident, Require(tx, id_or_ref));
    const int64_t now = ctx.now();
    FS_RETURN_IF_ERROR(AppendTimeline(tx, incident.id, now, actor.name, "note", text));
    FS_RETURN_IF_ERROR(Audit(ctx, tx, actor, "incident.note", incident.ref));
    return TimelineEvent{0, now, actor.name, "note", text, "{}"};
  });
}

namespace {

Status CheckUpdateInput(const UpdateInput& in) {
  if (!OneOf(in.stage, kStages)) {
    return InvalidArgument("stage must be one of investigating, identified, monitoring, resolved",
                           "stage");
  }
  if (!OneOf(in.audience, catalog::kAudiences)) {
    return InvalidArgument("audience must be one of internal, customers, leadership", "audience");
  }
  if (!in.language.empty() && in.language != "zh-CN" && in.language != "en") {
    return InvalidArgument("language must be zh-CN or en", "language");
  }
  return Status::Ok();
}

// The update as it would go out now: free text, or the plan's template for the stage,
// audience and language filled in. Reads only.
Result<StatusUpdate> ComposeUpdate(IncidentsContext& ctx, store::Tx& tx, const Incident& incident,
                                   const UpdateInput& in, const Actor& actor, int64_t now) {
  StatusUpdate u;
  u.at = now;
  u.author = actor.name;
  u.stage = in.stage;
  u.audience = in.audience;
  u.language = in.language.empty() ? "zh-CN" : in.language;
  const std::string& language = u.language;
  if (in.body) {
    u.body = *in.body;
    u.title = in.title.value_or("[" + incident.severity + "] " + incident.title + " — " + in.stage);
  } else {
    if (!incident.plan_version_id) {
      return Err(InvalidArgument(
          "incident " + incident.ref + " runs no plan, so there is no template: give a body",
          "body"));
    }
    FS_ASSIGN_OR_RETURN(auto plan, plans::LoadVersion(tx, *incident.plan_version_id));
    const plans::PlanTemplate* t = plans::FindTemplate(plan, in.stage, in.audience, language);
    if (t == nullptr) {
      return Err(InvalidArgument("plan " + plan.key + " has no template for stage " + in.stage +
                                     " and audience " + in.audience + ": give a body",
                                 "stage"));
    }
    plans::TemplateVars vars = plans::PlanTemplateVars(plan, language);
    FS_ASSIGN_OR_RETURN(auto severity, catalog::FindSeverity(tx, incident.severity));
    std::string services;
    for (const auto& s : incident.services) services += (services.empty() ? "" : ", ") + s;
    FS_ASSIGN_OR_RETURN(auto roles, LoadRoles(tx, incident.id));
    std::string commander;
    for (const auto& r : roles) {
      if (r.role == "commander") commander = r.person_name;
    }
    vars["incident.id"] = incident.ref;
    vars["incident.title"] = incident.title;
    vars["incident.severity"] = incident.severity;
    vars["incident.severity_name"] =
        severity ? Localized(severity->name_zh, severity->name_en, language) : incident.severity;
    vars["incident.status"] = StatusName(incident.status, language);
    vars["incident.services"] = services;
    vars["incident.url"] = ctx.IncidentUrl(incident.ref);
    vars["incident.started_at"] =
        catalog::FormatForPeople(incident.declared_at, ctx.services.time_zone);
    vars["incident.commander"] = commander;
    vars["eta"] = in.eta;
    vars["message"] = in.message;
    vars["now"] = catalog::FormatForPeople(now, ctx.services.time_zone);
    u.title = in.title.value_or(plans::RenderTemplate(t->title, vars));
    u.body = plans::RenderTemplate(t->body, vars);
  }
  if (u.body.empty()) return Err(InvalidArgument("the update's body is empty", "body"));
  return u;
}

}  // namespace

Result<StatusUpdate> PreviewUpdate(IncidentsContext& ctx, std::string_view id_or_ref,
                                   const UpdateInput& in, const Actor& actor) {
  FS_RETURN_IF_ERROR(CheckUpdateInput(in));
  return store::ReadResult<StatusUpdate>(ctx.store(), [&](store::Tx& tx) -> Result<StatusUpdate> {
    FS_ASSIGN_OR_RETURN(Incident incident, Require(tx, id_or_ref));
    return ComposeUpdate(ctx, tx, incident, in, actor, ctx.now());
  });
}

Result<StatusUpdate> PostUpdate(IncidentsContext& ctx, std::string_view id_or_ref,
                                const UpdateInput& in, const Actor& actor) {
  FS_RETURN_IF_ERROR(CheckUpdateInput(in));
  return Write<StatusUpdate>(ctx, [&](store::Tx& tx) -> Result<StatusUpdate> {
    FS_ASSIGN_OR_RETURN(Incident incident, Require(tx, id_or_ref));
    FS_RETURN_IF_ERROR(RequireNotMerged(incident));
    const int64_t now = ctx.now();
    FS_ASSIGN_OR_RETURN(StatusUpdate u, ComposeUpdate(ctx, tx, incident, in, actor, now));
    FS_ASSIGN_OR_RETURN(
        u.id,
        tx.Insert("INSERT INTO incident_status_updates (incident_id, at, author, stage, "
                  "audience, language, title, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                  "RETURNING id",
                  {incident.id, now, u.author, u.stage, u.audience, u.language, u.title, u.body}));
    FS_RETURN_IF_ERROR(
        StatusOf(tx.Exec("UPDATE incidents SET last_update_at = ?, updated_at = ? WHERE id = ?",
                         {now, now, incident.id})));
    notify::Notification n = IncidentNotification(
        incident, "inc-" + std::to_string(incident.id) + "-update-" + std::to_string(u.id),
        "status_update", u.audience);
    n.message.title = u.title;
    n.message.markdown = u.body;
    n.message.language = u.language;
    if (u.audience != "customers") {
      n.message.links.push_back({"Open incident 查看事件", ctx.IncidentUrl(incident.ref)});
    }
    FS_ASSIGN_OR_RETURN(auto queued, notify::Enqueue(tx, n, now));
    FS_RETURN_IF_ERROR(
        AppendTimeline(tx, incident.id, now, actor.name, "status_update",
                       "Status update (" + u.stage + ", " + u.audience + "): " + u.title +
                           " — queued for " + std::to_string(queued.size()) + " channel(s)",
                       json::Serialize(boost::json::object{
                           {"update_id", u.id}, {"stage", u.stage}, {"audience", u.audience}})));
    FS_RETURN_IF_ERROR(Audit(ctx, tx, actor, "incident.update", incident.ref,
                             {{"stage", u.stage}, {"audience", u.audience}}));
    return u;
  });
}

Result<Incident> ChangeSeverity(IncidentsContext& ctx, std::string_view id_or_ref,
                                std::string_view severity, const Actor& actor) {
  return Write<Incident>(ctx, [&](store::Tx& tx) -> Result<Incident> {
    FS_ASSIGN_OR_RETURN(Incident incident, Require(tx, id_or_ref));
    FS_RETURN_IF_ERROR(RequireNotMerged(incident));
    FS_ASSIGN_OR_RETURN(auto level, catalog::FindSeverity(tx, severity));
    if (!level) {
      return Err(InvalidArgument(
          "unknown severity '" + std::string(severity) + "' (P1, P2, P3 or P4)", "severity"));
    }
    if (incident.severity == severity) return incident;
    const int64_t now = ctx.now();
    FS_RETURN_IF_ERROR(
        StatusOf(tx.Exec("UPDATE incidents SET severity = ?, updated_at = ? WHERE id = ?",
                         {std::string(severity), now, incident.id})));
    FS_RETURN_IF_ERROR(
        AppendTimeline(tx, incident.id, now, actor.name, "severity_changed",
                       "Severity " + incident.severity + " -> " + std::string(severity),
                       json::Serialize(boost::json::object{{"from", incident.severity},
                                                           {"to", std::string(severity)}})));
    FS_RETURN_IF_ERROR(Audit(ctx, tx, actor, "incident.severity", incident.ref,
                             {{"from", incident.severity}, {"to", std::string(severity)}}));
    // The new level's cadence and escalation apply from now on: one chain of each.
    incident.severity = std::string(severity);
    FS_RETURN_IF_ERROR(CancelTimers(tx, incident.id, "", now));
    if (incident.status == kDeclared) {
      FS_ASSIGN_OR_RETURN(auto paged, StartTimers(ctx, tx, incident, now, /*page_at_once=*/false));
      (void)paged;  // empty: without an announcement, level 0 is paged by its timer
    } else if (IsOpen(incident.status) && level->update_cadence_ms > 0) {
      FS_RETURN_IF_ERROR(
          ScheduleTimer(tx, incident.id, kTimerUpdateReminder, now + level->update_cadence_ms));
    }
    FS_ASSIGN_OR_RETURN(auto stored, FindIncidentById(tx, incident.id));
    return std::move(*stored);
  });
}

Status LinkIncidents(IncidentsContext& ctx, std::string_view id_or_ref, std::string_view other,
                     std::string_view kind, const Actor& actor) {
  if (kind != "related" && kind != "merge") {
    return InvalidArgument("kind must be related or merge", "kind");
  }
  auto r = Write<bool>(ctx, [&](store::Tx& tx) -> Result<bool> {
    FS_ASSIGN_OR_RETURN(Incident a, Require(tx, id_or_ref));
    FS_ASSIGN_OR_RETURN(Incident b, Require(tx, other));
    if (a.id == b.id)
      return Err(InvalidArgument("an incident cannot be linked to itself", "other"));
    FS_RETURN_IF_ERROR(RequireNotMerged(a));
    FS_RETURN_IF_ERROR(RequireNotMerged(b));
    const int64_t now = ctx.now();
    for (auto [x, y] : {std::pair{a.id, b.id}, std::pair{b.id, a.id}}) {
      FS_RETURN_IF_ERROR(
          StatusOf(tx.Exec("INSERT INTO incident_links (incident_id, other_id, kind, created_at) "
                           "VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (incident_id, other_id) DO UPDATE SET kind = excluded.kind",
                           {x, y, std::string(kind == "merge" ? "merged" : "related"), now})));
    }
    if (kind == "merge") {
      FS_RETURN_IF_ERROR(
          StatusOf(tx.Exec("UPDATE incidents SET merged_into_id = ?, status = ?, closed_at = "
                           "COALESCE(closed_at, ?), "
                           "updated_at = ? WHERE id = ?",
                           {a.id, std::string(kClosed), now, now, b.id})));
      FS_RETURN_IF_ERROR(CancelTimers(tx, b.id, "", now));
      FS_RETURN_IF_ERROR(AppendTimeline(tx, b.id, now, actor.name, "merged", "Merged into " + a.ref,
                                        json::Serialize(boost::json::object{{"into", a.ref}})));
      FS_RETURN_IF_ERROR(AppendTimeline(
          tx, a.id, now, actor.name, "merged",
          "Merged " + b.ref + " (" + b.title + ") into this incident",
          json::Serialize(boost::json::object{{"merged", b.ref}, {"title", b.title}})));
    } else {
      FS_RETURN_IF_ERROR(AppendTimeline(tx, a.id, now, actor.name, "linked", "Related to " + b.ref,
                                        json::Serialize(boost::json::object{{"other", b.ref}})));
      FS_RETURN_IF_ERROR(AppendTimeline(tx, b.id, now, actor.name, "linked", "Related to " + a.ref,
                                        json::Serialize(boost::json::object{{"other", a.ref}})));
    }
    FS_RETURN_IF_ERROR(Audit(ctx, tx, actor, "incident.link", a.ref,
                             {{"other", b.ref}, {"kind", std::string(kind)}}));
    return true;
  });
  return r ? Status::Ok() : r.error();
}

}  // namespace failsafe::incidents
