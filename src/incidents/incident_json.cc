#include "incidents/incident_json.h"

#include "base/clock.h"
#include "base/json.h"
#include "incidents/lifecycle.h"

namespace failsafe::incidents {
namespace {

boost::json::value Time(const std::optional<int64_t>& ms) {
  if (!ms) return nullptr;
  return boost::json::value(FormatRfc3339(*ms));
}

}  // namespace

boost::json::object IncidentJson(const Incident& i) {
  boost::json::array services;
  for (const auto& s : i.services) services.emplace_back(s);
  boost::json::object o{{"id", i.ref},
                        {"number", i.id},
                        {"title", i.title},
                        {"severity", i.severity},
                        {"status", i.status},
                        {"summary", i.summary},
                        {"services", std::move(services)},
                        {"declared_by", i.declared_by},
                        {"declared_at", FormatRfc3339(i.declared_at)},
                        {"acknowledged_at", Time(i.acknowledged_at)},
                        {"mitigating_at", Time(i.mitigating_at)},
                        {"recovered_at", Time(i.recovered_at)},
                        {"verified_at", Time(i.verified_at)},
                        {"closed_at", Time(i.closed_at)},
                        {"updated_at", FormatRfc3339(i.updated_at)}};
  if (i.plan_version_id) {
    o["plan"] = boost::json::object{{"key", i.plan_key}, {"version", i.plan_version}};
  } else {
    o["plan"] = nullptr;
  }
  o["merged_into"] = i.merged_into_id ? boost::json::value(*i.merged_into_id) : nullptr;
  return o;
}

boost::json::object RoleJson(const RoleAssignment& r) {
  boost::json::object o{{"role", r.role}, {"name", r.role_name}};
  if (r.person_id) {
    o["person"] = boost::json::object{{"handle", r.person_handle}, {"name", r.person_name}};
    o["assigned_at"] = FormatRfc3339(r.assigned_at);
  } else {
    o["person"] = nullptr;
  }
  return o;
}

boost::json::object ChecklistJson(const ChecklistItem& c) {
  return {{"position", c.position},
          {"step", c.step_key},
          {"phase", c.phase},
          {"role", c.role},
          {"title", c.title},
          {"instructions", c.instructions},
          {"expected_duration_ms", c.expected_duration_ms},
          {"required", c.required},
          {"done", c.done_at.has_value()},
          {"done_at", Time(c.done_at)},
          {"done_by", c.done_by},
          {"note", c.note},
          {"assignee", c.assignee_handle.empty()
                           ? boost::json::value(nullptr)
                           : boost::json::value(boost::json::object{{"handle", c.assignee_handle},
                                                                    {"name", c.assignee_name}})}};
}

boost::json::object TimelineJson(const TimelineEvent& e) {
  boost::json::object o{
      {"at", FormatRfc3339(e.at)}, {"actor", e.actor}, {"kind", e.kind}, {"text", e.text}};
  auto detail = json::Parse(e.detail);
  o["detail"] = detail ? *detail : boost::json::value(boost::json::object());
  return o;
}

boost::json::object UpdateJson(const StatusUpdate& u) {
  return {{"id", u.id},
          {"at", FormatRfc3339(u.at)},
          {"author", u.author},
          {"stage", u.stage},
          {"audience", u.audience},
          {"language", u.language},
          {"title", u.title},
          {"body", u.body},
          {"external", u.external()}};
}

boost::json::object TimerJson(const Timer& t) {
  return {{"kind", t.kind},
          {"due_at", FormatRfc3339(t.due_at)},
          {"level", t.level + 1},
          {"round", t.round}};
}

Result<IncidentDetail> LoadDetail(store::Tx& tx, const Incident& incident) {
  IncidentDetail d;
  d.incident = incident;
  FS_ASSIGN_OR_RETURN(d.roles, LoadRoles(tx, incident.id));
  FS_ASSIGN_OR_RETURN(d.checklist, LoadChecklist(tx, incident.id));
  FS_ASSIGN_OR_RETURN(d.timeline, LoadTimeline(tx, incident.id));
  FS_ASSIGN_OR_RETURN(d.updates, LoadStatusUpdates(tx, incident.id));
  FS_ASSIGN_OR_RETURN(d.timers, PendingTimers(tx, incident.id));
  // Links are stored in both directions, so this incident's own rows name every one.
  FS_ASSIGN_OR_RETURN(auto links,
                      tx.Query("SELECT o.ref, o.title, o.severity, o.status, l.kind, l.created_at "
                               "FROM incident_links l JOIN incidents o ON o.id = l.other_id "
                               "WHERE l.incident_id = ? ORDER BY l.created_at, o.id",
                               {incident.id}));
  for (const auto& r : links) {
    d.links.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
  }
  return d;
}

boost::json::object DetailJson(const IncidentDetail& d) {
  boost::json::object o = IncidentJson(d.incident);
  boost::json::array roles, checklist, timeline, updates, timers;
  for (const auto& r : d.roles) roles.emplace_back(RoleJson(r));
  for (const auto& c : d.checklist) checklist.emplace_back(ChecklistJson(c));
  for (const auto& e : d.timeline) timeline.emplace_back(TimelineJson(e));
  for (const auto& u : d.updates) updates.emplace_back(UpdateJson(u));
  for (const auto& t : d.timers) timers.emplace_back(TimerJson(t));
  o["roles"] = std::move(roles);
  o["checklist"] = std::move(checklist);
  o["timeline"] = std::move(timeline);
  o["updates"] = std::move(updates);
  o["timers"] = std::move(timers);
  boost::json::array links;
  for (const auto& l : d.links) {
    links.push_back(boost::json::object{{"id", l.ref},
                                        {"title", l.title},
                                        {"severity", l.severity},
                                        {"status", l.status},
                                        {"kind", l.kind},
                                        {"linked_at", FormatRfc3339(l.linked_at)}});
  }
  o["links"] = std::move(links);
  // What the lifecycle allows from here (the caller's role decides whether they may).
  boost::json::array allowed;
  for (std::string_view action : kActions) {
    if (NextStatus(d.incident.status, action)) allowed.push_back(boost::json::string(action));
  }
  o["allowed_actions"] = std::move(allowed);
  return o;
}

std::string TimelineMarkdown(const IncidentDetail& d) {
  const Incident& i = d.incident;
  std::string md = "# " + i.ref + " " + i.title + "\n\n";
  md += "- Severity 级别: " + i.severity + "\n- Status 状态: " + i.status + "\n";
  md += "- Declared 发起: " + FormatRfc3339(i.declared_at) + " by " + i.declared_by + "\n";
  if (i.plan_version_id) {
    md += "- Plan 预案: " + i.plan_key + " v" + std::to_string(i.plan_version) + "\n";
  }
  md += "\n## Timeline 时间线\n\n| time 时间 | who 人员 | event 事件 |\n|---|---|---|\n";
  for (const auto& e : d.timeline) {
    std::string text = e.text;
    for (size_t p = 0; (p = text.find_first_of("|\n", p)) != std::string::npos; p += 2) {
      text.replace(p, 1, text[p] == '|' ? "\\|" : "  ");
    }
    md += "| " + FormatRfc3339(e.at) + " | " + e.actor + " | " + text + " |\n";
  }
  return md;
}

boost::json::value IncidentSchema() {
  return boost::json::parse(
      R"({"type":"object","required":["id","number","title","severity","status"],
    "properties":{"id":{"type":"string","description":"INC-YYYY-NNNN"},"number":{"type":"integer"},
    "title":{"type":"string"},"severity":{"type":"string","enum":["P1","P2","P3","P4"]},
    "status":{"type":"string","enum":["declared","acknowledged","mitigating","recovered","verified","closed"]},
    "services":{"type":"array","items":{"type":"string"}},
    "plan":{"type":["object","null"]},"declared_at":{"type":"string","format":"date-time"}}})");
}

boost::json::value DetailSchema() {
  boost::json::value s = IncidentSchema();
  auto& props = s.as_object()["properties"].as_object();
  for (const char* list : {"roles", "checklist", "timeline", "updates", "timers", "links"}) {
    props[list] = boost::json::object{{"type", "array"}, {"items", {{"type", "object"}}}};
  }
  props["allowed_actions"] = boost::json::object{
      {"type", "array"},
      {"items",
       {{"type", "string"},
        {"enum", {"ack", "mitigate", "resolve", "verify", "close", "reopen"}}}}};
  return s;
}

}  // namespace failsafe::incidents
