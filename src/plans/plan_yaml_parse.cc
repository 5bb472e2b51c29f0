// ParsePlanYaml: YAML text -> PlanVersion, validated; the first problem is reported with its
// line and field path.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/clock.h"
#include "base/duration.h"
#include "base/utf8.h"
#include "plans/plan_yaml.h"

namespace failsafe::plans {
namespace {

constexpr size_t kMaxShortText = 500;       // keys, titles, names
constexpr size_t kMaxLongText = 64 * 1024;  // Markdown bodies
constexpr size_t kMaxListItems = 500;
// Aliases let a small document repeat big texts many times; this bounds the text read.
constexpr size_t kTextBudget = 8 * 1024 * 1024;
constexpr int kMaxReviewIntervalDays = 3650;
constexpr int64_t kMaxStepDurationMs = 30LL * 24 * 3600 * 1000;
constexpr int64_t kEarliestReview = 946'684'800'000;    // 2000-01-01
constexpr int64_t kLatestReview = 253'402'300'800'000;  // 10000-01-01

struct LocalText {
  std::string en, zh;
};

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool Contains(const std::vector<std::string>& items, std::string_view v) {
  return std::find(items.begin(), items.end(), v) != items.end();
}

// Keys of plans, steps, roles, ...: lower-case words joined by '-' or '_'.
bool IsValidKey(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  if (!((key[0] >= 'a' && key[0] <= 'z') || (key[0] >= '0' && key[0] <= '9'))) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

class Parser {
 public:
  Parser(std::string_view source, std::string_view file, const ParseOptions& options)
      : source_(source), file_(file), options_(options) {}

  Status Fail(const YAML::Node& at, const std::string& field, const std::string& message) {
    const int line = at.IsDefined() ? at.Mark().line : -1;
    return FailAtLine(line >= 0 ? line + 1 : 1, field, message);
  }
  Status FailAtLine(int line, const std::string& field, const std::string& message) {
    std::string where = file_ + ":" + std::to_string(line) + ": ";
    if (!field.empty()) where += field + ": ";
    return InvalidArgument(where + message, field);
  }

  // A map's fields, read one by one; Finish() reports fields nobody asked for.
  class Map {
   public:
    Map(Parser& p, YAML::Node node, std::string path) : p_(p), node_(node), path_(path) {}
    Status Open() {
      if (!node_.IsMap())
        return p_.Fail(node_, path_.empty() ? "(document)" : path_, "expected a mapping of fields");
      std::set<std::string> keys;
      for (auto it = node_.begin(); it != node_.end(); ++it) {
        YAML::Node k = it->first;
        YAML::Node v = it->second;
        if (!k.IsScalar()) return p_.Fail(k, path_, "field names must be plain strings");
        const std::string name = k.Scalar();
        if (!keys.insert(name).second) return p_.Fail(k, Field(name), "duplicate field");
        fields_.push_back({name, k, v});
      }
      return Status::Ok();
    }
    // The value of `name`, or an undefined node when absent.
    YAML::Node Get(const std::string& name) {
      seen_.insert(name);
      for (const auto& f : fields_) {
        if (f.name == name) return f.value;
      }
      return YAML::Node(YAML::NodeType::Undefined);
    }
    bool Has(const std::string& name) const {
      return std::any_of(fields_.begin(), fields_.end(),
                         [&](const FieldEntry& f) { return f.name == name; });
    }
    Status Finish(const std::vector<std::string>& known) {
      for (const auto& f : fields_) {
        if (!seen_.contains(f.name)) {
          return p_.Fail(f.key, Field(f.name), "unknown field (known: " + Join(known) + ")");
        }
      }
      return Status::Ok();
    }
    std::string Field(const std::string& name) const {
      return path_.empty() ? name : path_ + "." + name;
    }
    const YAML::Node& node() const { return node_; }

   private:
    struct FieldEntry {
      std::string name;
      YAML::Node key, value;
    };
    Parser& p_;
    YAML::Node node_;
    std::string path_;
    std::vector<FieldEntry> fields_;
    std::set<std::string> seen_;
  };

  // A scalar string; an absent or null value is "" (then `required` fails).
  Status String(const YAML::Node& node, const YAML::Node& parent, const std::string& field,
                size_t max_len, bool required, std::string& out) {
    out.clear();
    if (!node.IsDefined() || node.IsNull()) {
      if (required) return Fail(node.IsDefined() ? node : parent, field, "required");
      return Status::Ok();
    }
    if (!node.IsScalar()) return Fail(node, field, "expected a string");
    out = node.Scalar();
    if (out.size() > budget_) return Fail(node, field, "document has too much text");
    budget_ -= out.size();
    if (out.size() > max_len) {
      return Fail(node, field, "too long (at most " + std::to_string(max_len) + " bytes)");
    }
    if (!IsValidUtf8(out)) return Fail(node, field, "not valid UTF-8");
    if (required && out.empty()) return Fail(node, field, "must not be empty");
    return Status::Ok();
  }

  Status Key(const YAML::Node& node, const YAML::Node& parent, const std::string& field,
             std::string& out) {
    FS_RETURN_STATUS_IF_ERROR(String(node, parent, field, 64, true, out));
    if (!IsValidKey(out)) {
      return Fail(node, field,
                  "'" + out +
                      "' is not a valid key (lower-case letters, digits, '-' and '_', "
                      "at most 64)");
    }
    return Status::Ok();
  }

  Status Enum(const YAML::Node& node, const YAML::Node& parent, const std::string& field,
              const std::vector<std::string>& allowed, std::string& out) {
    FS_RETURN_STATUS_IF_ERROR(String(node, parent, field, kMaxShortText, true, out));
    if (!Contains(allowed, out)) {
      return Fail(node, field, "'" + out + "' is not one of " + Join(allowed));
    }
    return Status::Ok();
  }

  // A localised text: a plain string (both languages) or {en: ..., zh-CN: ...}; a missing
  // language takes the other's text.
  Status Local(const YAML::Node& node, const YAML::Node& parent, const std::string& field,
               size_t max_len, bool required, LocalText& out) {
    out = {};
    if (node.IsDefined() && node.IsMap()) {
      Map m(*this, node, field);
      FS_RETURN_STATUS_IF_ERROR(m.Open());
      FS_RETURN_STATUS_IF_ERROR(String(m.Get("en"), node, field + ".en", max_len, false, out.en));
      FS_RETURN_STATUS_IF_ERROR(
          String(m.Get("zh-CN"), node, field + ".zh-CN", max_len, false, out.zh));
      FS_RETURN_STATUS_IF_ERROR(m.Finish(TemplateLanguages()));
      if (out.en.empty()) out.en = out.zh;
      if (out.zh.empty()) out.zh = out.en;
      if (required && out.en.empty()) return Fail(node, field, "needs an en or zh-CN text");
      return Status::Ok();
    }
    std::string s;
    FS_RETURN_STATUS_IF_ERROR(String(node, parent, field, max_len, required, s));
    out.en = out.zh = s;
    return Status::Ok();
  }

  // A sequence (absent = empty); calls item(node, field) for each element.
  template <typename Fn>
  Status List(const YAML::Node& node, const std::string& field, Fn&& item) {
    if (!node.IsDefined() || node.IsNull()) return Status::Ok();
    if (!node.IsSequence()) return Fail(node, field, "expected a list");
    if (node.size() > kMaxListItems) {
      return Fail(node, field, "too many items (at most " + std::to_string(kMaxListItems) + ")");
    }
    for (size_t i = 0; i < node.size(); ++i) {
      YAML::Node element = node[i];
      FS_RETURN_STATUS_IF_ERROR(item(element, field + "[" + std::to_string(i) + "]"));
    }
    return Status::Ok();
  }

  // A template text: well-formed and, unless disabled, using known variables only. The
  // error's line is the one of the offending "{{" when the text is a block scalar.
  Status TemplateText(const YAML::Node& node, const std::string& field, const std::string& text) {
    size_t offset = 0;
    Status st = CheckTemplate(text, &offset);
    if (st.ok()) return st;
    if (!options_.check_template_variables &&
        st.message().rfind("unknown template variable", 0) == 0) {
      return Status::Ok();
    }
    int line = node.Mark().line + 1;
    const size_t pos = static_cast<size_t>(std::max(0, node.Mark().pos));
    if (pos < source_.size() && (source_[pos] == '|' || source_[pos] == '>')) {
      // Block scalar: its text starts on the next line, one source line per text line.
      line += 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
    }
    return FailAtLine(line, field, st.message());
  }

  Result<PlanVersion> Run(const YAML::Node& root);

 private:
  Status Header(Map& m, PlanVersion& p);
  Status Review(const YAML::Node& node, PlanVersion& p);
  Status Scenario(const YAML::Node& node, const std::string& field, PlanVersion& p);
  Status Role(const YAML::Node& node, const std::string& field, PlanVersion& p);
  Status Step(const YAML::Node& node, const std::string& field, PlanVersion& p);
  Status Template(const YAML::Node& node, const std::string& field, PlanVersion& p);
  Status Fallback(const YAML::Node& node, PlanVersion& p);
  Status Check(const YAML::Node& node, const std::string& field, std::vector<PlanCheck>& out);
  Status Contact(const YAML::Node& node, const std::string& field, PlanVersion& p);

  std::string_view source_;
  std::string file_;
  ParseOptions options_;
  size_t budget_ = kTextBudget;
  std::set<std::string> seen_keys_;  // "steps/<key>" etc., for duplicates
};

Status Parser::Header(Map& m, PlanVersion& p) {
  const YAML::Node& root = m.node();
  std::string format;
  FS_RETURN_STATUS_IF_ERROR(String(m.Get("format"), root, "format", 64, false, format));
  if (!format.empty() && format != "failsafe.plan/v1") {
    return Fail(m.Get("format"), "format",
                "unsupported format '" + format + "' (this failsafe reads failsafe.plan/v1)");
  }
  FS_RETURN_STATUS_IF_ERROR(Key(m.Get("key"), root, "key", p.key));
  LocalText t;
  FS_RETURN_STATUS_IF_ERROR(Local(m.Get("title"), root, "title", kMaxShortText, true, t));
  p.title_en = t.en;
  p.title_zh = t.zh;
  FS_RETURN_STATUS_IF_ERROR(Local(m.Get("summary"), root, "summary", kMaxLongText, false, t));
  p.summary_en = t.en;
  p.summary_zh = t.zh;
  FS_RETURN_STATUS_IF_ERROR(String(m.Get("owner"), root, "owner", kMaxShortText, false, p.owner));
  std::set<std::string> services;
  return List(m.Get("services"), "services", [&](const YAML::Node& n, const std::string& f) {
    std::string s;
    FS_RETURN_STATUS_IF_ERROR(String(n, root, f, 200, true, s));
    if (!services.insert(s).second) return Fail(n, f, "service '" + s + "' listed twice");
    p.services.push_back(s);
    return Status::Ok();
  });
}

Status Parser::Review(const YAML::Node& node, PlanVersion& p) {
  p.review_interval_days = 365;
  if (!node.IsDefined() || node.IsNull()) return Status::Ok();
  Map m(*this, node, "review");
  FS_RETURN_STATUS_IF_ERROR(m.Open());
  std::string days;
  FS_RETURN_STATUS_IF_ERROR(
      String(m.Get("interval_days"), node, "review.interval_days", 10, false, days));
  if (!days.empty()) {
    int v = 0;
    const bool digits =
        std::all_of(days.begin(), days.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits && days.size() <= 5) v = std::stoi(days);
    if (!digits || v < 1 || v > kMaxReviewIntervalDays) {
      return Fail(
          m.Get("interval_days"), "review.interval_days",
          "must be a whole number of days from 1 to " + std::to_string(kMaxReviewIntervalDays));
    }
    p.review_interval_days = v;
  }
  std::string next;
  FS_RETURN_STATUS_IF_ERROR(String(m.Get("next"), node, "review.next", 64, false, next));
  if (!next.empty()) {
    const std::string as_time = next.size() == 10 ? next + "T00:00:00Z" : next;
    auto at = ParseRfc3339(as_time);
    if (!at || *at < kEarliestReview || *at >= kLatestReview) {
      return Fail(m.Get("next"), "review.next",
                  "'" + next + "' is not a date between 2000 and 9999 (YYYY-MM-DD or RFC 3339)");
    }
    p.next_review_at = *at;
  }
  return m.Finish({"interval_days", "next"});
}

Status Parser::Scenario(const YAML::Node& node, const std::string& field, PlanVersion& p) {
  Map m(*this, node, field);
  FS_RETURN_STATUS_IF_ERROR(m.Open());
  PlanScenario s;
  FS_RETURN_STATUS_IF_ERROR(Key(m.Get("key"), node, field + ".key", s.key));
  if (!seen_keys_.insert("scenario/" + s.key).second) {
    return Fail(m.Get("key"), field + ".key", "scenario '" + s.key + "' declared twice");
  }
  FS_RETURN_STATUS_IF_ERROR(Enum(m.Get("type"), node, field + ".type", ScenarioTypes(), s.type));
  LocalText t;
  FS_RETURN_STATUS_IF_ERROR(Local(m.Get("title"), node, field + ".title", kMaxShortText, true, t));
  s.title_en = t.en;
  s.title_zh = t.zh;
  FS_RETURN_STATUS_IF_ERROR(
      Local(m.Get("criteria"), node, field + ".criteria", kMaxLongText, true, t));
  s.criteria_en = t.en;
  s.criteria_zh = t.zh;
  FS_RETURN_STATUS_IF_ERROR(Enum(m.Get("default_severity"), node, field + ".default_severity",
                                 {"P1", "P2", "P3", "P4"}, s.default_severity));
  p.scenarios.push_back(std::move(s));
  return m.Finish({"key", "type", "title", "criteria", "default_severity"});
}

Status Parser::Role(const YAML::Node& node, const std::string& field, PlanVersion& p) {
  Map m(*this, node, field);
  FS_RETURN_STATUS_IF_ERROR(m.Open());
  PlanRole r;
  FS_RETURN_STATUS_IF_ERROR(Key(m.Get("key"), node, field + ".key", r.key));
  if (!seen_keys_.insert("role/" + r.key).second) {
    return Fail(m.Get("key"), field + ".key", "role '" + r.key + "' declared twice");
  }
  LocalText t;
  FS_RETURN_STATUS_IF_ERROR(Local(m.Get("name"), node, field + ".name", kMaxShortText, true, t));
  r.name_en = t.en;
  r.name_zh = t.zh;
  FS_RETURN_STATUS_IF_ERROR(
      Local(m.Get("responsibilities"), node, field + ".responsibilities", kMaxLongText, false, t));
  r.responsibilities_en = t.en;
  r.responsibilities_zh = t.zh;
  p.roles.push_back(std::move(r));
  return m.Finish({"key", "name", "responsibilities"});
}

Status Parser::Step(const YAML::Node& node, const std::string& field, PlanVersion& p) {
  Map m(*this, node, field);
  FS_RETURN_STATUS_IF_ERROR(m.Open());
  PlanStep s;
  FS_RETURN_STATUS_IF_ERROR(Key(m.Get("key"), node, field + ".key", s.key));
  if (!seen_keys_.insert("step/" + s.key).second) {
    return Fail(m.Get("key"), field + ".key", "step '" + s.key + "' declared twice");
  }
  FS_RETURN_STATUS_IF_ERROR(Enum(m.Get("phase"), node, field + ".phase", StepPhases(), s.phase));
  FS_RETURN_STATUS_IF_ERROR(String(m.Get("role"), node, field + ".role", 64, true, s.role));
  if (FindRole(p, s.role) == nullptr) {
    std::vector<std::string> declared;
    for (const auto& r : p.roles) declared.push_back(r.key);
    return Fail(m.Get("role"), field + ".role",
                "unknown role '" + s.role + "' (declared: " + Join(declared) + ")");
  }
  LocalText t;
  FS_RETURN_STATUS_IF_ERROR(Local(m.Get("title"), node, field + ".title", kMaxShortText, true, t));
  s.title_en = t.en;
  s.title_zh = t.zh;
  FS_RETURN_STATUS_IF_ERROR(
      Local(m.Get("instructions"), node, field + ".instructions", kMaxLongText, false, t));
  s.instructions_en = t.en;
  s.instructions_zh = t.zh;
  std::string duration;
  FS_RETURN_STATUS_IF_ERROR(
      String(m.Get("expected_duration"), node, field + ".expected_duration", 32, false, duration));
  if (!duration.empty()) {
    auto d = ParseDuration(duration);
    if (!d || d->count() > kMaxStepDurationMs) {
      return Fail(m.Get("expected_duration"), field + ".expected_duration",
                  "'" + duration + "' is not a duration up to 30d (e.g. 30m, 2h, 1h30m)");
    }
    s.expected_duration_ms = d->count();
  }
  std::string required;
  FS_RETURN_STATUS_IF_ERROR(
      String(m.Get("required"), node, field + ".required", 8, false, required));
  if (!required.empty()) {
    if (required != "true" && required != "false") {
      return Fail(m.Get("required"), field + ".required", "must be true or false");
    }
    s.required = required == "true";
  }
  p.steps.push_back(std::move(s));
  return m.Finish(
      {"key", "phase", "role", "title", "instructions", "expected_duration", "required"});
}

Status Parser::Template(const YAML::Node& node, const std::string& field, PlanVersion& p) {
  Map m(*this, node, field);
  FS_RETURN_STATUS_IF_ERROR(m.Open());
  std::string stage, audience;
  FS_RETURN_STATUS_IF_ERROR(Enum(m.Get("stage"), node, field + ".stage", TemplateStages(), stage));
  FS_RETURN_STATUS_IF_ERROR(
      Enum(m.Get("audience"), node, field + ".audience", TemplateAudiences(), audience));
  if (!m.Has("en") && !m.Has("zh-CN")) {
    return Fail(node, field, "needs an en or zh-CN text (title and body)");
  }
  for (const auto& language : TemplateLanguages()) {
    if (!m.Has(language)) continue;
    const std::string lf = field + "." + language;
    YAML::Node text_node = m.Get(language);
    Map t(*this, text_node, lf);
    FS_RETURN_STATUS_IF_ERROR(t.Open());
    PlanTemplate pt{stage, audience, language, "", ""};
    YAML::Node title = t.Get("title");
    YAML::Node body = t.Get("body");
    FS_RETURN_STATUS_IF_ERROR(
        String(title, text_node, lf + ".title", kMaxShortText, false, pt.title));
    FS_RETURN_STATUS_IF_ERROR(String(body, text_node, lf + ".body", kMaxLongText, true, pt.body));
    FS_RETURN_STATUS_IF_ERROR(t.Finish({"title", "body"}));
    if (!pt.title.empty()) FS_RETURN_STATUS_IF_ERROR(TemplateText(title, lf + ".title", pt.title));
    FS_RETURN_STATUS_IF_ERROR(TemplateText(body, lf + ".body", pt.body));
    if (FindTemplate(p, stage, audience, language) != nullptr &&
        FindTemplate(p, stage, audience, language)->language == language) {
      return Fail(node, field,
                  "a " + language + " template for " + stage + "/" + audience + " already exists");
    }
    p.templates.push_back(std::move(pt));
  }
  return m.Finish({"stage", "audience", "en", "zh-CN"});
}

Status Parser::Fallback(const YAML::Node& node, PlanVersion& p) {
  if (!node.IsDefined() || node.IsNull()) return Status::Ok();
  Map m(*this, node, "fallback");
  FS_RETURN_STATUS_IF_ERROR(m.Open());
  LocalText t;
  FS_RETURN_STATUS_IF_ERROR(Local(m.Get("tool"), node, "fallback.tool", kMaxShortText, false, t));
  p.fallback_tool_en = t.en;
  p.fallback_tool_zh = t.zh;
  FS_RETURN_STATUS_IF_ERROR(String(m.Get("location"), node, "fallback.location", kMaxShortText,
                                   false, p.fallback_location));
  FS_RETURN_STATUS_IF_ERROR(
      Local(m.Get("instructions"), node, "fallback.instructions", kMaxLongText, false, t));
  p.fallback_md_en = t.en;
  p.fallback_md_zh = t.zh;
  return m.Finish({"tool", "location", "instructions"});
}

Status Parser::Check(const YAML::Node& node, const std::string& field,
                     std::vector<PlanCheck>& out) {
  Map m(*this, node, field);
  FS_RETURN_STATUS_IF_ERROR(m.Open());
  PlanCheck c;
  FS_RETURN_STATUS_IF_ERROR(Key(m.Get("key"), node, field + ".key", c.key));
  const std::string list = field.substr(0, field.find('['));
  if (!seen_keys_.insert(list + "/" + c.key).second) {
    return Fail(m.Get("key"), field + ".key", "'" + c.key + "' declared twice in " + list);
  }
  LocalText t;
  FS_RETURN_STATUS_IF_ERROR(Local(m.Get("title"), node, field + ".title", kMaxShortText, true, t));
  c.title_en = t.en;
  c.title_zh = t.zh;
  FS_RETURN_STATUS_IF_ERROR(
      Local(m.Get("instructions"), node, field + ".instructions", kMaxLongText, false, t));
  c.instructions_en = t.en;
  c.instructions_zh = t.zh;
  out.push_back(std::move(c));
  return m.Finish({"key", "title", "instructions"});
}

Status Parser::Contact(const YAML::Node& node, const std::string& field, PlanVersion& p) {
  Map m(*this, node, field);
  FS_RETURN_STATUS_IF_ERROR(m.Open());
  PlanContact c;
  FS_RETURN_STATUS_IF_ERROR(
      String(m.Get("name"), node, field + ".name", kMaxShortText, true, c.name));
  FS_RETURN_STATUS_IF_ERROR(String(m.Get("organization"), node, field + ".organization",
                                   kMaxShortText, false, c.organization));
  LocalText t;
  FS_RETURN_STATUS_IF_ERROR(
      Local(m.Get("purpose"), node, field + ".purpose", kMaxShortText, false, t));
  c.purpose_en = t.en;
  c.purpose_zh = t.zh;
  FS_RETURN_STATUS_IF_ERROR(String(m.Get("phone"), node, field + ".phone", 100, false, c.phone));
  FS_RETURN_STATUS_IF_ERROR(String(m.Get("email"), node, field + ".email", 200, false, c.email));
  FS_RETURN_STATUS_IF_ERROR(Local(m.Get("notes"), node, field + ".notes", kMaxLongText, false, t));
  c.notes_en = t.en;
  c.notes_zh = t.zh;
  if (c.phone.empty() && c.email.empty()) {
    return Fail(node, field, "a contact needs a phone or an email");
  }
  p.contacts.push_back(std::move(c));
  return m.Finish({"name", "organization", "purpose", "phone", "email", "notes"});
}

Result<PlanVersion> Parser::Run(const YAML::Node& root) {
  PlanVersion p;
  if (!root.IsDefined() || root.IsNull()) {
    return Err(FailAtLine(1, "", "the document is empty (expected a plan)"));
  }
  Map m(*this, root, "");
  FS_RETURN_IF_ERROR(m.Open());
  FS_RETURN_IF_ERROR(Header(m, p));
  FS_RETURN_IF_ERROR(Review(m.Get("review"), p));
  FS_RETURN_IF_ERROR(
      List(m.Get("scenarios"), "scenarios",
           [&](const YAML::Node& n, const std::string& f) { return Scenario(n, f, p); }));
  if (m.Has("roles")) {
    FS_RETURN_IF_ERROR(
        List(m.Get("roles"), "roles",
             [&](const YAML::Node& n, const std::string& f) { return Role(n, f, p); }));
    if (p.roles.empty()) return Err(Fail(m.Get("roles"), "roles", "declare at least one role"));
  } else {
    p.roles = DefaultRoles();
  }
  FS_RETURN_IF_ERROR(List(m.Get("steps"), "steps", [&](const YAML::Node& n, const std::string& f) {
    return Step(n, f, p);
  }));
  if (p.steps.empty())
    return Err(
        Fail(m.Has("steps") ? m.Get("steps") : root, "steps", "a plan needs at least one step"));
  FS_RETURN_IF_ERROR(
      List(m.Get("templates"), "templates",
           [&](const YAML::Node& n, const std::string& f) { return Template(n, f, p); }));
  FS_RETURN_IF_ERROR(Fallback(m.Get("fallback"), p));
  FS_RETURN_IF_ERROR(
      List(m.Get("recovery"), "recovery",
           [&](const YAML::Node& n, const std::string& f) { return Check(n, f, p.recovery); }));
  FS_RETURN_IF_ERROR(
      List(m.Get("verification"), "verification",
           [&](const YAML::Node& n, const std::string& f) { return Check(n, f, p.verification); }));
  FS_RETURN_IF_ERROR(
      List(m.Get("contacts"), "contacts",
           [&](const YAML::Node& n, const std::string& f) { return Contact(n, f, p); }));
  FS_RETURN_IF_ERROR(m.Finish({"format", "key", "title", "summary", "owner", "services", "review",
                               "scenarios", "roles", "steps", "templates", "fallback", "recovery",
                               "verification", "contacts"}));
  return p;
}

}  // namespace

Result<PlanVersion> ParsePlanYaml(std::string_view text, std::string_view file_name,
                                  const ParseOptions& options) {
  const std::string file = file_name.empty() ? "plan.yaml" : std::string(file_name);
  if (text.size() > kMaxPlanYamlBytes) {
    return Err(InvalidArgument(file + ": the plan is larger than " +
                               std::to_string(kMaxPlanYamlBytes) + " bytes"));
  }
  if (!IsValidUtf8(text)) return Err(InvalidArgument(file + ": the plan is not valid UTF-8"));
  Parser parser(text, file, options);
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return parser.Run(root);
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    return Err(InvalidArgument(file + ":" + std::to_string(line) + ": YAML syntax error: " +
                               (e.msg.empty() ? std::string("malformed") : e.msg)));
  }
}

}  // namespace failsafe::plans
