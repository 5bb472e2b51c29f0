// EmitPlanYaml: the canonical YAML of a plan. Written by hand rather than with YAML::Emitter
// so the output is stable, readable (Markdown as literal blocks, zh-CN text unescaped) and
// parses back to exactly the same strings.
#include <chrono>

#include "base/clock.h"
#include "base/duration.h"
#include "plans/plan_yaml.h"

namespace failsafe::plans {
namespace {

// Whether a string can be written as a literal block (|) and read back unchanged: it has a
// line break, no other control characters, and no trailing spaces on a line (kept, but
// invisible and easy to lose in editors, so quoted instead).
bool FitsLiteralBlock(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\n') return false;
    if (c == 0x7f) return false;
    const std::string_view three = s.substr(i, 3);
    if (s.substr(i, 2) == "\xc2\x85" || three == "\xe2\x80\xa8" || three == "\xe2\x80\xa9" ||
        three == "\xef\xbb\xbf") {
      return false;  // read as line breaks / BOM by YAML
    }
    if (c == ' ' && (i + 1 == s.size() || s[i + 1] == '\n')) return false;
  }
  // A text that starts with a line break would need an explicit indentation indicator.
  return s.front() != '\n' && s.front() != ' ' && s.front() != '\t';
}

// A double-quoted YAML string (JSON-compatible escapes; non-ASCII text stays as it is).
std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    const unsigned char c = static_cast<unsigned char>(ch);
    // Characters YAML reads as line breaks or a BOM even inside quotes: escaped.
    if (s.substr(i, 2) == "\xc2\x85") {
      out += "\\u0085";
      ++i;
      continue;
    }
    if (s.substr(i, 3) == "\xe2\x80\xa8" || s.substr(i, 3) == "\xe2\x80\xa9") {
      out += s[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 2;
      continue;
    }
    if (s.substr(i, 3) == "\xef\xbb\xbf") {
      out += "\\ufeff";
      i += 2;
      continue;
    }
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static const char kHex[] = "0123456789abcdef";
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

// Whether `s` reads back as exactly itself when written unquoted in block context. The
// parser reads every value as text (Scalar()), so only YAML syntax matters, plus the null
// spellings (read as empty) and the boolean words (quoted so other YAML tools keep them text).
bool IsPlainSafe(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  static constexpr std::string_view kBadFirst = "-?:,[]{}#&*!|>'\"%@` .~";
  if (kBadFirst.find(s.front()) != std::string_view::npos) return false;
  if (s.back() == ' ' || s.back() == ':') return false;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return false;
  }
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) {
    return false;
  }
  // Non-ASCII characters that YAML treats as line breaks or BOMs: U+0085, U+2028, U+2029,
  // U+FEFF.
  for (std::string_view bad : {"\xc2\x85", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xef\xbb\xbf"}) {
    if (s.find(bad) != std::string_view::npos) return false;
  }
  static const char* kReserved[] = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const char* r : kReserved) {
    if (lower == r) return false;
  }
  return true;
}

class Writer {
 public:
  // `key: value` at `indent` spaces; `prefix` replaces the indentation's last two spaces with
  // "- " for the first field of a list item.
  void Scalar(int indent, std::string_view key, std::string_view value, bool list_item = false) {
    Lead(indent, list_item);
    out_ += key;
    out_ += ":";
    if (FitsLiteralBlock(value)) {
      const bool ends_nl = value.back() == '\n';
      const bool many_nl = value.size() >= 2 && value.substr(value.size() - 2) == "\n\n";
      out_ += many_nl ? " |+\n" : ends_nl ? " |\n" : " |-\n";
      std::string_view rest = value;
      if (ends_nl) rest.remove_suffix(1);
      size_t start = 0;
      while (start <= rest.size()) {
        size_t end = rest.find('\n', start);
        if (end == std::string_view::npos) end = rest.size();
        const std::string_view line = rest.substr(start, end - start);
        if (!line.empty()) out_ += std::string(indent + 2, ' ');
        out_ += line;
        out_ += '\n';
        start = end + 1;
      }
      return;
    }
    out_ += ' ';
    out_ += IsPlainSafe(value) ? std::string(value) : Quoted(value);
    out_ += '\n';
  }
  // A value known to be safe unquoted (numbers, booleans).
  void Literal(int indent, std::string_view key, std::string_view value) {
    Lead(indent, false);
    out_ += key;
    out_ += ": ";
    out_ += value;
    out_ += '\n';
  }
  // A localised text: one string when both languages agree, else a map.
  void Local(int indent, std::string_view key, const std::string& en, const std::string& zh,
             bool list_item = false) {
    if (en == zh) {
      Scalar(indent, key, en, list_item);
      return;
    }
    Open(indent, key, list_item);
    if (!en.empty()) Scalar(indent + 2, "en", en);
    if (!zh.empty()) Scalar(indent + 2, "zh-CN", zh);
  }
  void Open(int indent, std::string_view key, bool list_item = false) {
    Lead(indent, list_item);
    out_ += key;
    out_ += ":\n";
  }
  void Comment(std::string_view text) {
    out_ += "\n# ";
    out_ += text;
    out_ += '\n';
  }
  void Raw(std::string_view text) { out_ += text; }
  std::string Take() { return std::move(out_); }

 private:
  void Lead(int indent, bool list_item) {
    if (list_item) {
      out_ += std::string(indent - 2, ' ');
      out_ += "- ";
    } else {
      out_ += std::string(indent, ' ');
    }
  }
  std::string out_;
};

std::string DateText(int64_t ms) {
  const std::string t = FormatRfc3339(ms);  // "2026-11-22T08:30:00.000Z"
  if (t.size() >= 10 && t.substr(10) == "T00:00:00.000Z") return t.substr(0, 10);
  return t;
}

bool SameRoles(const std::vector<PlanRole>& a, const std::vector<PlanRole>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].key != b[i].key || a[i].name_en != b[i].name_en || a[i].name_zh != b[i].name_zh ||
        a[i].responsibilities_en != b[i].responsibilities_en ||
        a[i].responsibilities_zh != b[i].responsibilities_zh) {
      return false;
    }
  }
  return true;
}

void Checks(Writer& w, std::string_view name, const std::vector<PlanCheck>& checks) {
  if (checks.empty()) return;
  w.Open(0, name);
  for (const auto& c : checks) {
    w.Scalar(4, "key", c.key, true);
    w.Local(4, "title", c.title_en, c.title_zh);
    if (!c.instructions_en.empty())
      w.Local(4, "instructions", c.instructions_en, c.instructions_zh);
  }
}

}  // namespace

std::string EmitPlanYaml(const PlanVersion& p) {
  Writer w;
  w.Raw("# failsafe emergency plan (应急预案); format: docs/plans-yaml.md\n");
  w.Scalar(0, "format", "failsafe.plan/v1");
  w.Scalar(0, "key", p.key);
  w.Local(0, "title", p.title_en, p.title_zh);
  if (!p.summary_en.empty()) w.Local(0, "summary", p.summary_en, p.summary_zh);
  if (!p.owner.empty()) w.Scalar(0, "owner", p.owner);
  if (!p.services.empty()) {
    w.Open(0, "services");
    for (const auto& s : p.services) {
      w.Raw("  - ");
      w.Raw(IsPlainSafe(s) ? s : Quoted(s));
      w.Raw("\n");
    }
  }
  w.Open(0, "review");
  w.Literal(2, "interval_days", std::to_string(p.review_interval_days));
  if (p.next_review_at != 0) w.Scalar(2, "next", DateText(p.next_review_at));

  if (!p.scenarios.empty()) {
    w.Comment("Scenarios and when to activate the plan / 适用场景与启动条件");
    w.Open(0, "scenarios");
    for (const auto& s : p.scenarios) {
      w.Scalar(4, "key", s.key, true);
      w.Scalar(4, "type", s.type);
      w.Local(4, "title", s.title_en, s.title_zh);
      w.Local(4, "criteria", s.criteria_en, s.criteria_zh);
      w.Scalar(4, "default_severity", s.default_severity);
    }
  }
  if (!SameRoles(p.roles, DefaultRoles())) {
    w.Comment("Roles / 角色与职责");
    w.Open(0, "roles");
    for (const auto& r : p.roles) {
      w.Scalar(4, "key", r.key, true);
      w.Local(4, "name", r.name_en, r.name_zh);
      if (!r.responsibilities_en.empty()) {
        w.Local(4, "responsibilities", r.responsibilities_en, r.responsibilities_zh);
      }
    }
  }
  w.Comment("Steps, in order / 处置步骤（按顺序）");
  w.Open(0, "steps");
  for (const auto& s : p.steps) {
    w.Scalar(4, "key", s.key, true);
    w.Scalar(4, "phase", s.phase);
    w.Scalar(4, "role", s.role);
    w.Local(4, "title", s.title_en, s.title_zh);
    if (s.expected_duration_ms > 0) {
      w.Scalar(4, "expected_duration",
               FormatDuration(std::chrono::milliseconds(s.expected_duration_ms)));
    }
    if (!s.required) w.Literal(4, "required", "false");
    if (!s.instructions_en.empty())
      w.Local(4, "instructions", s.instructions_en, s.instructions_zh);
  }
  if (!p.templates.empty()) {
    w.Comment("Communication templates / 通报模板");
    w.Open(0, "templates");
    // Grouped by stage and audience, in order of first appearance.
    std::vector<std::pair<std::string, std::string>> groups;
    for (const auto& t : p.templates) {
      std::pair<std::string, std::string> g{t.stage, t.audience};
      if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    }
    for (const auto& [stage, audience] : groups) {
      w.Scalar(4, "stage", stage, true);
      w.Scalar(4, "audience", audience);
      for (const auto& language : TemplateLanguages()) {
        for (const auto& t : p.templates) {
          if (t.stage != stage || t.audience != audience || t.language != language) continue;
          w.Open(4, language);
          if (!t.title.empty()) w.Scalar(6, "title", t.title);
          w.Scalar(6, "body", t.body);
        }
      }
    }
  }
  if (!p.fallback_tool_en.empty() || !p.fallback_location.empty() || !p.fallback_md_en.empty()) {
    w.Comment("Fallback while the primary tool is down / 降级与替代方案");
    w.Open(0, "fallback");
    if (!p.fallback_tool_en.empty()) w.Local(2, "tool", p.fallback_tool_en, p.fallback_tool_zh);
    if (!p.fallback_location.empty()) w.Scalar(2, "location", p.fallback_location);
    if (!p.fallback_md_en.empty()) w.Local(2, "instructions", p.fallback_md_en, p.fallback_md_zh);
  }
  if (!p.recovery.empty()) w.Comment("Recovery / 恢复");
  Checks(w, "recovery", p.recovery);
  if (!p.verification.empty()) w.Comment("Verification / 验证");
  Checks(w, "verification", p.verification);
  if (!p.contacts.empty()) {
    w.Comment("External contacts / 外部联系人");
    w.Open(0, "contacts");
    for (const auto& c : p.contacts) {
      w.Scalar(4, "name", c.name, true);
      if (!c.organization.empty()) w.Scalar(4, "organization", c.organization);
      if (!c.purpose_en.empty()) w.Local(4, "purpose", c.purpose_en, c.purpose_zh);
      if (!c.phone.empty()) w.Scalar(4, "phone", c.phone);
      if (!c.email.empty()) w.Scalar(4, "email", c.email);
      if (!c.notes_en.empty()) w.Local(4, "notes", c.notes_en, c.notes_zh);
    }
  }
  return w.Take();
}

}  // namespace failsafe::plans
