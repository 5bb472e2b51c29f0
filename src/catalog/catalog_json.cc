#include "catalog/catalog_json.h"

#include <chrono>

#include "base/clock.h"
#include "base/duration.h"
#include "server/route_helpers.h"

namespace failsafe::catalog {
namespace {

namespace bj = boost::json;
using server::Schema;

std::string Dur(int64_t ms) {
  return FormatDuration(std::chrono::milliseconds(ms));
}

bj::value KeyOrNull(const std::string& key) {
  return key.empty() ? bj::value(nullptr) : bj::value(key);
}

bj::array Strings(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// Adds {"required": [...]} only to request schemas that need it, and marks responses'
// "id" etc. Schemas are built from text so they read like the API documentation.
bj::value WithRequired(bj::value schema, std::initializer_list<const char*> required) {
  bj::array r;
  for (const char* k : required) r.emplace_back(k);
  schema.as_object()["required"] = std::move(r);
  return schema;
}

constexpr const char* kDuration =
    R"({"type":"string","description":"duration such as 4h, 30m, 5s or 1h30m"})";

}  // namespace

bj::object ServiceJson(const Service& s) {
  bj::array contacts;
  for (const Contact& c : s.contacts) {
    contacts.push_back(bj::object{{"kind", c.kind},
                                  {"name", c.name},
                                  {"organisation", c.organisation},
                                  {"role", c.role},
                                  {"phone", c.phone},
                                  {"email", c.email},
                                  {"notes", c.notes}});
  }
  return {{"id", s.id},
          {"key", s.key},
          {"name", s.name},
          {"tier", s.tier},
          {"owner_team", KeyOrNull(s.owner_team_key)},
          {"rto", Dur(s.rto_ms)},
          {"rto_ms", s.rto_ms},
          {"rpo", Dur(s.rpo_ms)},
          {"rpo_ms", s.rpo_ms},
          {"status_group", s.group},
          {"depends_on", Strings(s.depends_on)},
          {"contacts", std::move(contacts)}};
}

bj::object TeamJson(const Team& t) {
  return {{"id", t.id}, {"key", t.key}, {"name", t.name}, {"members", Strings(t.members)}};
}

bj::object PersonJson(const Person& p) {
  return {{"id", p.id},
          {"handle", p.handle},
          {"name", p.name},
          {"language", p.language},
          {"user_id", p.user_id ? bj::value(*p.user_id) : bj::value(nullptr)},
          {"email", p.email},
          {"phone", p.phone},
          {"dingtalk_user_id", p.dingtalk_user_id},
          {"feishu_user_id", p.feishu_user_id},
          {"wecom_user_id", p.wecom_user_id}};
}

bj::object ScheduleJson(const Schedule& s) {
  return {{"id", s.id},
          {"key", s.key},
          {"name", s.name},
          {"rotation", RotationKindName(s.rotation)},
          {"handoff_time", FormatHandoffTime(s.handoff_minutes)},
          {"time_zone", s.time_zone},
          {"start_date", s.start_date},
          {"members", Strings(s.members)}};
}

bj::object OverrideJson(const ScheduleOverride& o) {
  return {{"id", o.id},
          {"person", o.person},
          {"start", FormatRfc3339(o.start_ms)},
          {"end", FormatRfc3339(o.end_ms)}};
}

bj::object PolicyJson(const EscalationPolicy& p) {
  bj::array levels;
  for (const EscalationLevel& l : p.levels) {
    bj::array targets;
    for (const EscalationTarget& t : l.targets) {
      if (t.type == "role") {
        targets.push_back(bj::object{{"type", t.type}, {"role", t.role}});
      } else {
        targets.push_back(bj::object{{"type", t.type}, {"key", t.key}, {"id", t.id}});
      }
    }
    levels.push_back(
        bj::object{{"delay", Dur(l.delay_ms)}, {"delay_ms", l.delay_ms}, {"targets", targets}});
  }
  return {{"id", p.id},
          {"key", p.key},
          {"name", p.name},
          {"repeat", p.repeat},
          {"levels", std::move(levels)}};
}

bj::object SeverityJson(const SeverityLevel& s) {
  return {{"level", s.level},
          {"rank", s.rank},
          {"name_zh", s.name_zh},
          {"name_en", s.name_en},
          {"criteria_zh", s.criteria_zh},
          {"criteria_en", s.criteria_en},
          {"ack_target", Dur(s.ack_target_ms)},
          {"ack_target_ms", s.ack_target_ms},
          {"update_cadence", Dur(s.update_cadence_ms)},
          {"update_cadence_ms", s.update_cadence_ms},
          {"resolve_target", Dur(s.resolve_target_ms)},
          {"resolve_target_ms", s.resolve_target_ms},
          {"audiences", Strings(s.audiences)},
          {"escalation_policy", KeyOrNull(s.escalation_policy_key)}};
}

bj::value ServiceSchema(bool request) {
  bj::value s = Schema(std::string(R"({"type":"object","additionalProperties":false,"properties":{
    "key":{"type":"string","pattern":"^[a-z0-9][a-z0-9_-]{0,62}$"},
    "name":{"type":"string","minLength":1,"maxLength":200},
    "tier":{"type":"string","enum":["critical","high","medium","low"]},
    "owner_team":{"type":["string","null"],"description":"team key"},
    "rto":)") + kDuration +
                       R"(,"rpo":)" + kDuration + R"(,
    "status_group":{"type":"string","description":"status page group","default":"default"},
    "depends_on":{"type":"array","items":{"type":"string"},"description":"service keys; no cycles"},
    "contacts":{"type":"array","items":{"type":"object","required":["kind","name"],"properties":{
      "kind":{"type":"string","enum":["internal","external"]},"name":{"type":"string"},
      "organisation":{"type":"string"},"role":{"type":"string"},"phone":{"type":"string"},
      "email":{"type":"string"},"notes":{"type":"string"}}}}}})");
  if (request) return WithRequired(std::move(s), {"key", "name", "tier"});
  auto& props = s.as_object()["properties"].as_object();
  props["id"] = {{"type", "integer"}};
  props["rto_ms"] = {{"type", "integer"}};
  props["rpo_ms"] = {{"type", "integer"}};
  return s;
}

bj::value TeamSchema(bool request) {
  bj::value s = Schema(R"({"type":"object","additionalProperties":false,"properties":{
    "key":{"type":"string","pattern":"^[a-z0-9][a-z0-9_-]{0,62}$"},
    "name":{"type":"string","minLength":1,"maxLength":200},
    "members":{"type":"array","items":{"type":"string"},"description":"person handles"}}})");
  if (request) return WithRequired(std::move(s), {"key", "name"});
  s.as_object()["properties"].as_object()["id"] = {{"type", "integer"}};
  return s;
}

bj::value PersonSchema(bool request) {
  bj::value s = Schema(R"({"type":"object","additionalProperties":false,"properties":{
    "handle":{"type":"string","pattern":"^[a-z0-9][a-z0-9_-]{0,62}$"},
    "name":{"type":"string","minLength":1,"maxLength":200},
    "language":{"type":"string","enum":["zh-CN","en"],"default":"zh-CN"},
    "user_id":{"type":["integer","null"],"description":"the person's login user, if any"},
    "email":{"type":"string"},"phone":{"type":"string"},
    "dingtalk_user_id":{"type":"string"},"feishu_user_id":{"type":"string"},
    "wecom_user_id":{"type":"string"}}})");
  if (request) return WithRequired(std::move(s), {"handle", "name"});
  s.as_object()["properties"].as_object()["id"] = {{"type", "integer"}};
  return s;
}

bj::value ScheduleSchema(bool request) {
  bj::value s = Schema(R"({"type":"object","additionalProperties":false,"properties":{
    "key":{"type":"string","pattern":"^[a-z0-9][a-z0-9_-]{0,62}$"},
    "name":{"type":"string","minLength":1,"maxLength":200},
    "rotation":{"type":"string","enum":["daily","weekly"],"default":"weekly"},
    "handoff_time":{"type":"string","pattern":"^[0-2][0-9]:[0-5][0-9]$","default":"09:00"},
    "time_zone":{"type":"string","description":"IANA zone, e.g. Asia/Shanghai","default":"UTC"},
    "start_date":{"type":"string","format":"date","description":"the first shift's day"},
    "members":{"type":"array","items":{"type":"string"},"description":"person handles in rotation order"}}})");
  if (request) return WithRequired(std::move(s), {"key", "name", "start_date"});
  s.as_object()["properties"].as_object()["id"] = {{"type", "integer"}};
  return s;
}

bj::value OverrideSchema(bool request) {
  bj::value s = Schema(R"({"type":"object","additionalProperties":false,"properties":{
    "person":{"type":"string","description":"person handle"},
    "start":{"type":"string","format":"date-time"},
    "end":{"type":"string","format":"date-time"}}})");
  if (request) return WithRequired(std::move(s), {"person", "start", "end"});
  s.as_object()["properties"].as_object()["id"] = {{"type", "integer"}};
  return s;
}

bj::value PolicySchema(bool request) {
  bj::value s = Schema(std::string(R"({"type":"object","additionalProperties":false,"properties":{
    "key":{"type":"string","pattern":"^[a-z0-9][a-z0-9_-]{0,62}$"},
    "name":{"type":"string","minLength":1,"maxLength":200},
    "repeat":{"type":"integer","minimum":0,"maximum":10},
    "levels":{"type":"array","minItems":1,"items":{"type":"object","properties":{
      "delay":)") + kDuration +
                       R"(,
      "targets":{"type":"array","minItems":1,"items":{"type":"object","required":["type"],
        "properties":{"type":{"type":"string","enum":["person","schedule","team","role"]},
        "key":{"type":"string","description":"person handle, schedule key or team key"},
        "role":{"type":"string","description":"incident role key, e.g. commander"}}}}}}}}})");
  if (request) return WithRequired(std::move(s), {"key", "name", "levels"});
  s.as_object()["properties"].as_object()["id"] = {{"type", "integer"}};
  return s;
}

bj::value SeveritySchema(bool request) {
  bj::value s = Schema(std::string(R"({"type":"object","additionalProperties":false,"properties":{
    "rank":{"type":"integer","minimum":1,"maximum":99},
    "name_zh":{"type":"string"},"name_en":{"type":"string"},
    "criteria_zh":{"type":"string"},"criteria_en":{"type":"string"},
    "ack_target":)") + kDuration +
                       R"(,"update_cadence":)" + kDuration + R"(,"resolve_target":)" + kDuration +
                       R"(,
    "audiences":{"type":"array","items":{"type":"string","enum":["internal","customers","leadership"]},"description":"who is told"},
    "escalation_policy":{"type":["string","null"],"description":"escalation policy key"}}})");
  if (request) return s;
  auto& props = s.as_object()["properties"].as_object();
  props["level"] = {{"type", "string"}};
  for (const char* k : {"ack_target_ms", "update_cadence_ms", "resolve_target_ms"}) {
    props[k] = {{"type", "integer"}};
  }
  return s;
}

}  // namespace failsafe::catalog
