#include "postmortems/postmortem_json.h"

#include "base/clock.h"
#include "server/route_helpers.h"

namespace failsafe::postmortems {
namespace {

namespace bj = boost::json;

bj::value OptTime(const std::optional<int64_t>& ms) {
  return ms ? bj::value(FormatRfc3339(*ms)) : bj::value(nullptr);
}

bj::value OptInt(const std::optional<int64_t>& v) {
  return v ? bj::value(*v) : bj::value(nullptr);
}

bj::array Strings(const std::vector<std::string>& list) {
  bj::array a;
  for (const auto& s : list) a.emplace_back(s);
  return a;
}

bj::object MeasureJson(const Measure& m) {
  return {{"name", m.name},
          {"duration_ms", OptInt(m.duration_ms)},
          {"target_ms", OptInt(m.target_ms)},
          {"result", m.result},
          {"delta_ms", OptInt(m.delta_ms)}};
}

}  // namespace

bj::object ActionJson(const ActionItem& a, std::string_view today) {
  return {{"id", a.id},
          {"postmortem_id", a.postmortem_id},
          {"incident_ref", a.incident_ref},
          {"title", a.title},
          {"owner", a.owner},
          {"due_date", a.due_date},
          {"status", a.status},
          {"overdue", IsOverdue(a, today)},
          {"notes", a.notes},
          {"created_by", a.created_by},
          {"created_at", FormatRfc3339(a.created_at)},
          {"updated_at", FormatRfc3339(a.updated_at)},
          {"done_at", OptTime(a.done_at)}};
}

bj::object SummaryJson(const Postmortem& p) {
  return {{"id", p.id},
          {"incident_id", p.incident_id},
          {"incident_ref", p.incident_ref},
          {"title", p.title},
          {"status", p.status},
          {"created_by", p.created_by},
          {"created_at", FormatRfc3339(p.created_at)},
          {"updated_at", FormatRfc3339(p.updated_at)},
          {"published_at", OptTime(p.published_at)}};
}

bj::object ViewJson(const PostmortemView& v) {
  const Postmortem& p = v.postmortem;
  bj::object out = SummaryJson(p);
  out["published_by"] = p.published_by;
  out["summary"] = p.summary;
  bj::object incident{{"id", v.incident.id},
                      {"ref", v.incident.ref},
                      {"title", v.incident.title},
                      {"severity", v.incident.severity},
                      {"status", v.incident.status},
                      {"services", Strings(v.incident.services)},
                      {"declared_at", FormatRfc3339(v.incident.declared_at)},
                      {"acknowledged_at", OptTime(v.incident.acknowledged_at)},
                      {"mitigating_at", OptTime(v.incident.mitigating_at)},
                      {"recovered_at", OptTime(v.incident.recovered_at)},
                      {"verified_at", OptTime(v.incident.verified_at)},
                      {"closed_at", OptTime(v.incident.closed_at)}};
  if (v.severity) {
    incident["severity_name_en"] = v.severity->name_en;
    incident["severity_name_zh"] = v.severity->name_zh;
  }
  out["incident"] = std::move(incident);
  out["impact"] = bj::object{{"duration_ms", OptInt(ImpactDurationMs(v.incident))},
                             {"services", Strings(p.impacted_services)},
                             {"users_affected", p.users_affected},
                             {"users_affected_count", OptInt(p.users_affected_count)},
                             {"description", p.impact}};
  bj::array measures;
  for (const auto& m : v.measures) measures.emplace_back(MeasureJson(m));
  out["measures"] = std::move(measures);
  bj::array timeline;
  for (const auto& e : p.timeline) {
    timeline.emplace_back(bj::object{
        {"at", FormatRfc3339(e.at)}, {"actor", e.actor}, {"kind", e.kind}, {"text", e.text}});
  }
  out["timeline"] = std::move(timeline);
  out["timeline_refreshed_at"] = FormatRfc3339(p.timeline_refreshed_at);
  bj::array causes;
  for (const auto& c : p.root_causes) {
    causes.emplace_back(bj::object{
        {"category", c.category}, {"description", c.description}, {"whys", Strings(c.whys)}});
  }
  out["root_causes"] = std::move(causes);
  out["went_well"] = Strings(p.went_well);
  out["went_badly"] = Strings(p.went_badly);
  out["plan"] = p.plan_key.empty()
                    ? bj::value(nullptr)
                    : bj::value(bj::object{{"key", p.plan_key},
                                           {"version", p.plan_version},
                                           {"version_id", OptInt(p.plan_version_id)}});
  bj::array evals;
  for (const auto& e : p.step_evaluations) {
    evals.emplace_back(bj::object{{"step_key", e.step_key},
                                  {"position", e.position},
                                  {"phase", e.phase},
                                  {"role", e.role},
                                  {"title", e.title},
                                  {"done", e.done},
                                  {"verdict", e.verdict},
                                  {"comment", e.comment}});
  }
  out["step_evaluations"] = std::move(evals);
  out["extra_revisions"] = Strings(p.extra_revisions);
  bj::array revisions;
  for (const auto& r : v.revisions) {
    revisions.emplace_back(bj::object{
        {"source", r.source}, {"action", r.action}, {"step_key", r.step_key}, {"text", r.text}});
  }
  out["proposed_revisions"] = std::move(revisions);
  bj::array actions;
  for (const auto& a : v.actions) actions.emplace_back(ActionJson(a, v.today));
  out["actions"] = std::move(actions);
  return out;
}

bj::value ActionSchema() {
  return server::Schema(R"({"type":"object","required":["id","title","owner","due_date","status",
  "overdue"],"properties":{"id":{"type":"integer"},"postmortem_id":{"type":"integer"},
  "incident_ref":{"type":"string"},"title":{"type":"string"},
  "owner":{"type":"string","description":"person handle or username"},
  "due_date":{"type":"string","format":"date"},
  "status":{"type":"string","enum":["open","in_progress","done","cancelled"]},
  "overdue":{"type":"boolean"},"notes":{"type":"string"},"created_by":{"type":"string"},
  "created_at":{"type":"string","format":"date-time"},
  "updated_at":{"type":"string","format":"date-time"},
  "done_at":{"type":["string","null"],"format":"date-time"}}})");
}

bj::value SummarySchema() {
  return server::Schema(R"({"type":"object","required":["id","incident_id","incident_ref",
  "title","status"],"properties":{"id":{"type":"integer"},"incident_id":{"type":"integer"},
  "incident_ref":{"type":"string"},"title":{"type":"string"},
  "status":{"type":"string","enum":["draft","in_review","published"]},
  "created_by":{"type":"string"},"created_at":{"type":"string","format":"date-time"},
  "updated_at":{"type":"string","format":"date-time"},
  "published_at":{"type":["string","null"],"format":"date-time"}}})");
}

bj::value ViewSchema() {
  bj::value s = SummarySchema();
  bj::object& props = s.as_object()["properties"].as_object();
  props["summary"] = {{"type", "string"}};
  props["incident"] = {{"type", "object"}};
  props["impact"] = server::Schema(R"({"type":"object","properties":{
    "duration_ms":{"type":["integer","null"]},"services":{"type":"array","items":{"type":"string"}},
    "users_affected":{"type":"string"},"users_affected_count":{"type":["integer","null"]},
    "description":{"type":"string"}}})");
  props["measures"] = server::Schema(R"({"type":"array","items":{"type":"object","properties":{
    "name":{"type":"string","enum":["to_acknowledge","to_mitigate","to_recover","to_verify",
    "update_gap"]},"duration_ms":{"type":["integer","null"]},"target_ms":{"type":["integer","null"]},
    "result":{"type":"string","enum":["met","missed","pending","no_target","not_reached"]},
    "delta_ms":{"type":["integer","null"],"description":"duration - target: positive = missed by"}}}})");
  props["timeline"] = server::Schema(R"({"type":"array","items":{"type":"object"}})");
  props["root_causes"] = server::Schema(R"({"type":"array","items":{"type":"object"}})");
  props["went_well"] = server::Schema(R"({"type":"array","items":{"type":"string"}})");
  props["went_badly"] = server::Schema(R"({"type":"array","items":{"type":"string"}})");
  props["step_evaluations"] = server::Schema(R"({"type":"array","items":{"type":"object"}})");
  props["proposed_revisions"] = server::Schema(R"({"type":"array","items":{"type":"object",
    "properties":{"source":{"type":"string","enum":["step","free"]},
    "action":{"type":"string","enum":["add","change","other"]},"step_key":{"type":"string"},
    "text":{"type":"string"}}}})");
  props["actions"] = bj::object{{"type", "array"}, {"items", ActionSchema()}};
  return s;
}

}  // namespace failsafe::postmortems
