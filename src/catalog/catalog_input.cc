#include "catalog/catalog_input.h"

#include <algorithm>

#include "base/clock.h"
#include "base/duration.h"
#include "base/json.h"

namespace failsafe::catalog {
namespace {

namespace bj = boost::json;
using json::ObjectReader;

constexpr size_t kNameMax = 200;
constexpr size_t kTextMax = 4000;
constexpr size_t kContactFieldMax = 500;
constexpr int64_t kMaxTargetMs = 366LL * 24 * 3600 * 1000;  // a year: beyond is a typo

bool IsNull(const bj::object& body, std::string_view key) {
  const bj::value* v = body.if_contains(key);
  return v != nullptr && v->is_null();
}

// Reads `key` as a slug (keys, handles) when present.
void ReadSlug(ObjectReader& r, std::string_view key, bool required, std::string& out) {
  auto v = r.OptionalString(key, 63);
  if (!v) {
    if (required) r.RequiredString(key);  // records "required" unless another error came first
    return;
  }
  if (!IsSlug(*v)) {
    r.Fail(key, "field '" + r.FieldName(key) +
                    "' must be 1-63 lowercase letters, digits, '-' or '_' (e.g. \"erp-finance\")");
    return;
  }
  out = *v;
}

// A non-empty display name. (Fail keeps only the first error, so failing after an earlier
// problem is harmless.)
void ReadName(ObjectReader& r, std::string_view key, bool required, std::string& out) {
  auto v = required ? std::optional<std::string>(r.RequiredString(key, kNameMax))
                    : r.OptionalString(key, kNameMax);
  if (!v) return;
  if (v->empty()) {
    r.Fail(key, "field '" + r.FieldName(key) + "' must not be empty");
    return;
  }
  out = *v;
}

void ReadText(ObjectReader& r, std::string_view key, size_t max, std::string& out) {
  if (auto v = r.OptionalString(key, max)) out = *v;
}

void ReadDuration(ObjectReader& r, std::string_view key, bool required, int64_t& out) {
  auto v =
      required ? std::optional<std::string>(r.RequiredString(key, 32)) : r.OptionalString(key, 32);
  if (!v) return;
  auto ms = ReadDurationText(*v, r.FieldName(key));
  if (!ms) {
    r.Fail(key, ms.error().message());
    return;
  }
  out = *ms;
}

void ReadEmail(ObjectReader& r, std::string_view key, std::string& out) {
  auto v = r.OptionalString(key, 254);
  if (!v) return;
  const size_t at = v->find('@');
  if (!v->empty() && (at == std::string::npos || at == 0 || at + 1 == v->size() ||
                      v->find_first_of(" \t\r\n<>,;") != std::string::npos)) {
    r.Fail(key, "field '" + r.FieldName(key) + "' must be an email address like a@example.com");
    return;
  }
  out = *v;
}

void ReadPhone(ObjectReader& r, std::string_view key, std::string& out) {
  auto v = r.OptionalString(key, 40);
  if (!v) return;
  for (char c : *v) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == ' ' ||
          c == '(' || c == ')')) {
      r.Fail(key, "field '" + r.FieldName(key) + "' must be a phone number like +86 10 1234 5678");
      return;
    }
  }
  out = *v;
}

// "audiences": words from kAudiences, each at most once.
void ReadAudiences(ObjectReader& r, std::vector<std::string>& out) {
  const bj::array* a = r.OptionalArray("audiences");
  if (a == nullptr) return;
  std::vector<std::string> items;
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string field = "audiences[" + std::to_string(i) + "]";
    const bj::string* word = (*a)[i].if_string();
    const bool known = word != nullptr && std::find(kAudiences.begin(), kAudiences.end(),
                                                    std::string_view(*word)) != kAudiences.end();
    if (!known) {
      r.Fail(field, "field '" + r.FieldName(field) + "' must be internal, customers or leadership");
      return;
    }
    if (std::find(items.begin(), items.end(), std::string_view(*word)) != items.end()) {
      r.Fail(field, "field '" + r.FieldName(field) + "' repeats '" + std::string(*word) + "'");
      return;
    }
    items.emplace_back(*word);
  }
  out = std::move(items);
}

// An array of slugs (member handles, audiences); duplicates are refused.
void ReadSlugList(ObjectReader& r, std::string_view key, std::vector<std::string>& out) {
  const bj::array* a = r.OptionalArray(key);
  if (a == nullptr) return;
  if (a->size() > 500) {
    r.Fail(key, "field '" + r.FieldName(key) + "' holds more than 500 entries");
    return;
  }
  std::vector<std::string> items;
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string item_field = std::string(key) + "[" + std::to_string(i) + "]";
    if (!(*a)[i].is_string() || !IsSlug((*a)[i].as_string())) {
      r.Fail(item_field, "field '" + r.FieldName(item_field) +
                             "' must be a key such as \"alice\" or \"on-call-team\"");
      return;
    }
    items.emplace_back((*a)[i].as_string());
  }
  out = std::move(items);
}

Status ReadContacts(ObjectReader& r, const bj::object& body, std::vector<Contact>& out) {
  const bj::array* a = r.OptionalArray("contacts");
  if (a == nullptr) return Status::Ok();
  if (a->size() > 100) return InvalidArgument("at most 100 contacts", r.FieldName("contacts"));
  std::vector<Contact> contacts;
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string prefix = "contacts[" + std::to_string(i) + "]";
    if (!(*a)[i].is_object()) return InvalidArgument("a contact must be an object", prefix);
    ObjectReader c((*a)[i].as_object(), prefix);
    Contact contact;
    contact.kind = c.RequiredString("kind", 16);
    if (contact.kind != "internal" && contact.kind != "external") {
      c.Fail("kind", "field '" + c.FieldName("kind") + "' must be internal or external");
    }
    ReadName(c, "name", true, contact.name);
    ReadText(c, "organisation", kContactFieldMax, contact.organisation);
    ReadText(c, "role", kContactFieldMax, contact.role);
    ReadPhone(c, "phone", contact.phone);
    ReadEmail(c, "email", contact.email);
    ReadText(c, "notes", kTextMax, contact.notes);
    FS_RETURN_STATUS_IF_ERROR(c.Finish());
    contacts.push_back(std::move(contact));
  }
  (void)body;
  out = std::move(contacts);
  return Status::Ok();
}

Status ReadTarget(const bj::value& v, const std::string& prefix, EscalationTarget& out) {
  if (!v.is_object()) return InvalidArgument("a target must be an object", prefix);
  ObjectReader r(v.as_object(), prefix);
  out.type = r.RequiredString("type", 16);
  if (out.type.empty()) return r.Finish();
  if (out.type == "role") {
    ReadSlug(r, "role", true, out.role);
  } else if (out.type == "person" || out.type == "schedule" || out.type == "team") {
    ReadSlug(r, "key", true, out.key);
  } else {
    r.Fail("type", "field '" + r.FieldName("type") + "' must be person, schedule, team or role");
  }
  return r.Finish();
}

Status ReadLevels(ObjectReader& r, std::vector<EscalationLevel>& out) {
  const bj::array* a = r.OptionalArray("levels");
  if (a == nullptr) return r.Finish();
  if (a->empty() || a->size() > 20) {
    return InvalidArgument("an escalation policy has 1 to 20 levels", "levels");
  }
  std::vector<EscalationLevel> levels;
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string prefix = "levels[" + std::to_string(i) + "]";
    if (!(*a)[i].is_object()) return InvalidArgument("a level must be an object", prefix);
    ObjectReader l((*a)[i].as_object(), prefix);
    EscalationLevel level;
    ReadDuration(l, "delay", false, level.delay_ms);
    const bj::array* targets = l.OptionalArray("targets");
    FS_RETURN_STATUS_IF_ERROR(l.Finish());
    if (targets == nullptr || targets->empty() || targets->size() > 50) {
      return InvalidArgument("a level has 1 to 50 targets", prefix + ".targets");
    }
    for (size_t j = 0; j < targets->size(); ++j) {
      EscalationTarget t;
      FS_RETURN_STATUS_IF_ERROR(
          ReadTarget((*targets)[j], prefix + ".targets[" + std::to_string(j) + "]", t));
      level.targets.push_back(std::move(t));
    }
    levels.push_back(std::move(level));
  }
  out = std::move(levels);
  return Status::Ok();
}

}  // namespace

bool IsSlug(std::string_view text) {
  if (text.empty() || text.size() > 63) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_'))) return false;
  }
  return true;
}

Result<int64_t> ReadDurationText(std::string_view text, const std::string& field) {
  auto d = ParseDuration(text);
  if (!d) {
    return Err(InvalidArgument(
        "field '" + field +
            "' must be a duration such as 4h, 30m, 5s or 1h30m: " + d.error().message(),
        field));
  }
  if (d->count() > kMaxTargetMs) {
    return Err(InvalidArgument("field '" + field + "' may be at most 366d", field));
  }
  return d->count();
}

Status ApplyServiceInput(const bj::object& body, bool creating, Service& s) {
  ObjectReader r(body);
  ReadSlug(r, "key", creating, s.key);
  ReadName(r, "name", creating, s.name);
  if (auto tier = creating ? std::optional<std::string>(r.RequiredString("tier", 16))
                           : r.OptionalString("tier", 16)) {
    if (*tier != "critical" && *tier != "high" && *tier != "medium" && *tier != "low") {
      r.Fail("tier", "field 'tier' must be critical, high, medium or low");
    } else {
      s.tier = *tier;
    }
  }
  if (auto team = r.OptionalString("owner_team", 63)) {
    if (!team->empty() && !IsSlug(*team)) {
      r.Fail("owner_team", "field 'owner_team' must be a team key");
    } else {
      s.owner_team_key = *team;
    }
  } else if (IsNull(body, "owner_team")) {
    s.owner_team_key.clear();
  }
  ReadDuration(r, "rto", false, s.rto_ms);
  ReadDuration(r, "rpo", false, s.rpo_ms);
  if (auto group = r.OptionalString("status_group", 63)) {
    if (!IsSlug(*group)) {
      r.Fail("status_group", "field 'status_group' must be a key such as \"default\"");
    } else {
      s.group = *group;
    }
  }
  ReadSlugList(r, "depends_on", s.depends_on);
  FS_RETURN_STATUS_IF_ERROR(ReadContacts(r, body, s.contacts));
  return r.Finish();
}

Status ApplyTeamInput(const bj::object& body, bool creating, Team& t) {
  ObjectReader r(body);
  ReadSlug(r, "key", creating, t.key);
  ReadName(r, "name", creating, t.name);
  ReadSlugList(r, "members", t.members);
  return r.Finish();
}

Status ApplyPersonInput(const bj::object& body, bool creating, Person& p) {
  ObjectReader r(body);
  ReadSlug(r, "handle", creating, p.handle);
  ReadName(r, "name", creating, p.name);
  if (auto lang = r.OptionalString("language", 8)) {
    if (*lang != "zh-CN" && *lang != "en") {
      r.Fail("language", "field 'language' must be zh-CN or en");
    } else {
      p.language = *lang;
    }
  }
  if (auto uid = r.OptionalInt("user_id")) {
    if (*uid <= 0) {
      r.Fail("user_id", "field 'user_id' must be a positive user id");
    } else {
      p.user_id = *uid;
    }
  } else if (IsNull(body, "user_id")) {
    p.user_id.reset();
  }
  ReadEmail(r, "email", p.email);
  ReadPhone(r, "phone", p.phone);
  ReadText(r, "dingtalk_user_id", 128, p.dingtalk_user_id);
  ReadText(r, "feishu_user_id", 128, p.feishu_user_id);
  ReadText(r, "wecom_user_id", 128, p.wecom_user_id);
  return r.Finish();
}

Status ApplyScheduleInput(const bj::object& body, bool creating, Schedule& s) {
  ObjectReader r(body);
  ReadSlug(r, "key", creating, s.key);
  ReadName(r, "name", creating, s.name);
  auto rotation = r.OptionalString("rotation", 16);
  auto handoff = r.OptionalString("handoff_time", 8);
  auto zone = r.OptionalString("time_zone", 64);
  auto start = creating ? std::optional<std::string>(r.RequiredString("start_date", 16))
                        : r.OptionalString("start_date", 16);
  ReadSlugList(r, "members", s.members);
  FS_RETURN_STATUS_IF_ERROR(r.Finish());
  if (rotation) {
    FS_ASSIGN_OR_RETURN_STATUS(s.rotation, ParseRotationKind(*rotation));
  }
  if (handoff) {
    FS_ASSIGN_OR_RETURN_STATUS(s.handoff_minutes, ParseHandoffTime(*handoff));
  }
  if (zone) {
    FS_RETURN_STATUS_IF_ERROR(ValidateTimeZone(*zone));
    s.time_zone = *zone;
  }
  if (start) {
    FS_RETURN_STATUS_IF_ERROR(ValidateDate(*start));
    s.start_date = *start;
  }
  return Status::Ok();
}

Status ApplyPolicyInput(const bj::object& body, bool creating, EscalationPolicy& p) {
  ObjectReader r(body);
  ReadSlug(r, "key", creating, p.key);
  ReadName(r, "name", creating, p.name);
  if (auto repeat = r.OptionalInt("repeat")) {
    if (*repeat < 0 || *repeat > 10) {
      r.Fail("repeat", "field 'repeat' must be 0..10");
    } else {
      p.repeat = static_cast<int>(*repeat);
    }
  }
  if (creating && body.if_contains("levels") == nullptr) {
    r.Fail("levels", "field 'levels' is required");
  }
  return ReadLevels(r, p.levels);
}

Status ApplySeverityInput(const bj::object& body, SeverityLevel& s) {
  ObjectReader r(body);
  if (auto rank = r.OptionalInt("rank")) {
    if (*rank < 1 || *rank > 99) {
      r.Fail("rank", "field 'rank' must be 1..99");
    } else {
      s.rank = static_cast<int>(*rank);
    }
  }
  ReadName(r, "name_zh", false, s.name_zh);
  ReadName(r, "name_en", false, s.name_en);
  ReadText(r, "criteria_zh", kTextMax, s.criteria_zh);
  ReadText(r, "criteria_en", kTextMax, s.criteria_en);
  ReadDuration(r, "ack_target", false, s.ack_target_ms);
  ReadDuration(r, "update_cadence", false, s.update_cadence_ms);
  ReadDuration(r, "resolve_target", false, s.resolve_target_ms);
  ReadAudiences(r, s.audiences);
  if (auto policy = r.OptionalString("escalation_policy", 63)) {
    if (!policy->empty() && !IsSlug(*policy)) {
      r.Fail("escalation_policy", "field 'escalation_policy' must be a policy key");
    } else {
      s.escalation_policy_key = *policy;
    }
  } else if (IsNull(body, "escalation_policy")) {
    s.escalation_policy_key.clear();
  }
  return r.Finish();
}

Status ReadOverrideInput(const bj::object& body, ScheduleOverride& out) {
  ObjectReader r(body);
  ReadSlug(r, "person", true, out.person);
  const std::string start = r.RequiredString("start", 40);
  const std::string end = r.RequiredString("end", 40);
  FS_RETURN_STATUS_IF_ERROR(r.Finish());
  auto s = ParseRfc3339(start);
  if (!s) return InvalidArgument("field 'start' must be an RFC 3339 time", "start");
  auto e = ParseRfc3339(end);
  if (!e) return InvalidArgument("field 'end' must be an RFC 3339 time", "end");
  if (*e <= *s) return InvalidArgument("field 'end' must be after 'start'", "end");
  if (*e - *s > kMaxTargetMs) return InvalidArgument("an override lasts at most 366 days", "end");
  out.start_ms = *s;
  out.end_ms = *e;
  return Status::Ok();
}

}  // namespace failsafe::catalog
