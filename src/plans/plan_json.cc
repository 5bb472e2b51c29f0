#include "plans/plan_json.h"

#include "base/clock.h"
#include "server/route_helpers.h"

namespace failsafe::plans {
namespace {

namespace bj = boost::json;

bj::value Time(int64_t ms) {
  return ms == 0 ? bj::value(nullptr) : bj::value(FormatRfc3339(ms));
}

bj::object Local(const std::string& en, const std::string& zh) {
  return {{"en", en}, {"zh-CN", zh}};
}

}  // namespace

bj::object VersionJson(const PlanVersion& v, bool with_content) {
  bj::array services;
  for (const auto& s : v.services) services.emplace_back(s);
  bj::object o{{"id", v.id},
               {"key", v.key},
               {"version", v.version},
               {"status", v.status},
               {"title", Local(v.title_en, v.title_zh)},
               {"owner", v.owner},
               {"services", std::move(services)},
               {"review_interval_days", v.review_interval_days},
               {"next_review_at", Time(v.next_review_at)},
               {"created_at", Time(v.created_at)},
               {"created_by", v.created_by},
               {"submitted_at", Time(v.submitted_at)},
               {"submitted_by", v.submitted_by},
               {"approved_at", Time(v.approved_at)},
               {"approved_by", v.approved_by},
               {"retired_at", Time(v.retired_at)},
               {"retired_by", v.retired_by}};
  if (!with_content) return o;
  o["summary"] = Local(v.summary_en, v.summary_zh);
  bj::array scenarios;
  for (const auto& s : v.scenarios) {
    scenarios.push_back(bj::object{{"key", s.key},
                                   {"type", s.type},
                                   {"title", Local(s.title_en, s.title_zh)},
                                   {"criteria", Local(s.criteria_en, s.criteria_zh)},
                                   {"default_severity", s.default_severity}});
  }
  o["scenarios"] = std::move(scenarios);
  bj::array roles;
  for (const auto& r : v.roles) {
    roles.push_back(
        bj::object{{"key", r.key},
                   {"name", Local(r.name_en, r.name_zh)},
                   {"responsibilities", Local(r.responsibilities_en, r.responsibilities_zh)}});
  }
  o["roles"] = std::move(roles);
  bj::array steps;
  for (const auto& s : v.steps) {
    steps.push_back(bj::object{{"key", s.key},
                               {"phase", s.phase},
                               {"role", s.role},
                               {"title", Local(s.title_en, s.title_zh)},
                               {"instructions", Local(s.instructions_en, s.instructions_zh)},
                               {"expected_duration_ms", s.expected_duration_ms},
                               {"required", s.required}});
  }
  o["steps"] = std::move(steps);
  bj::array templates;
  for (const auto& t : v.templates) {
    templates.push_back(bj::object{{"stage", t.stage},
                                   {"audience", t.audience},
                                   {"language", t.language},
                                   {"title", t.title},
                                   {"body", t.body}});
  }
  o["templates"] = std::move(templates);
  o["fallback"] = bj::object{{"tool", Local(v.fallback_tool_en, v.fallback_tool_zh)},
                             {"location", v.fallback_location},
                             {"instructions", Local(v.fallback_md_en, v.fallback_md_zh)}};
  auto checks = [](const std::vector<PlanCheck>& list) {
    bj::array a;
    for (const auto& c : list) {
      a.push_back(bj::object{{"key", c.key},
                             {"title", Local(c.title_en, c.title_zh)},
                             {"instructions", Local(c.instructions_en, c.instructions_zh)}});
    }
    return a;
  };
  o["recovery"] = checks(v.recovery);
  o["verification"] = checks(v.verification);
  bj::array contacts;
  for (const auto& c : v.contacts) {
    contacts.push_back(bj::object{{"name", c.name},
                                  {"organization", c.organization},
                                  {"purpose", Local(c.purpose_en, c.purpose_zh)},
                                  {"phone", c.phone},
                                  {"email", c.email},
                                  {"notes", Local(c.notes_en, c.notes_zh)}});
  }
  o["contacts"] = std::move(contacts);
  return o;
}

bj::object SummaryJson(const PlanSummary& s) {
  return {{"key", s.key},
          {"title", Local(s.title_en, s.title_zh)},
          {"owner", s.owner},
          {"latest_version", s.latest_version},
          {"latest_status", s.latest_status},
          {"approved_version",
           s.approved_version == 0 ? bj::value(nullptr) : bj::value(s.approved_version)},
          {"next_review_at", Time(s.next_review_at)},
          {"review_overdue", s.review_overdue}};
}

bj::value VersionJsonSchema(bool with_content) {
  static const char kLocal[] =
      R"({"type":"object","properties":{"en":{"type":"string"},"zh-CN":{"type":"string"}}})";
  bj::value schema = server::Schema(R"({"type":"object",
    "required":["id","key","version","status","title","owner","services"],
    "properties":{"id":{"type":"integer"},"key":{"type":"string"},"version":{"type":"integer"},
    "status":{"type":"string","enum":["draft","in_review","approved","retired"]},
    "owner":{"type":"string"},"services":{"type":"array","items":{"type":"string"}},
    "review_interval_days":{"type":"integer"},
    "next_review_at":{"type":["string","null"],"format":"date-time"},
    "created_at":{"type":["string","null"],"format":"date-time"},"created_by":{"type":"string"},
    "submitted_at":{"type":["string","null"],"format":"date-time"},"submitted_by":{"type":"string"},
    "approved_at":{"type":["string","null"],"format":"date-time"},"approved_by":{"type":"string"},
    "retired_at":{"type":["string","null"],"format":"date-time"},"retired_by":{"type":"string"}}})");
  auto& props = schema.as_object()["properties"].as_object();
  props["title"] = server::Schema(kLocal);
  if (with_content) {
    props["summary"] = server::Schema(kLocal);
    for (const char* list :
         {"scenarios", "roles", "steps", "templates", "recovery", "verification", "contacts"}) {
      props[list] = server::Schema(R"({"type":"array","items":{"type":"object"}})");
    }
    props["fallback"] = server::Schema(R"({"type":"object"})");
  }
  return schema;
}

bj::value SummaryJsonSchema() {
  return server::Schema(R"({"type":"object",
    "required":["key","title","latest_version","latest_status","review_overdue"],
    "properties":{"key":{"type":"string"},
    "title":{"type":"object","properties":{"en":{"type":"string"},"zh-CN":{"type":"string"}}},
    "owner":{"type":"string"},"latest_version":{"type":"integer"},
    "latest_status":{"type":"string"},"approved_version":{"type":["integer","null"]},
    "next_review_at":{"type":["string","null"],"format":"date-time"},
    "review_overdue":{"type":"boolean"}}})");
}

}  // namespace failsafe::plans
