#include "watch/rules/rule_file.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "base/duration.h"

namespace failsafe::watch::rules {
namespace {

// "L:C: message" as the expression and template parsers write their errors.
struct InnerError {
  int line = 0, col = 0;
  std::string message;
};
InnerError SplitPosition(const std::string& msg) {
  InnerError e;
  e.message = msg;
  const char* p = msg.c_str();
  char* end = nullptr;
  const long line = std::strtol(p, &end, 10);
  if (end == p || *end != ':') return e;
  const char* q = end + 1;
  const long col = std::strtol(q, &end, 10);
  if (end == q || end[0] != ':' || end[1] != ' ') return e;
  e.line = static_cast<int>(line);
  e.col = static_cast<int>(col);
  e.message = std::string(end + 2);
  return e;
}

class FileParser {
 public:
  FileParser(std::string_view text, const std::string& file) : text_(text), file_(file) {
    size_t start = 0;
    while (start <= text_.size()) {
      const size_t nl = text_.find('\n', start);
      lines_.push_back(text_.substr(start, nl == text_.npos ? text_.npos : nl - start));
      if (nl == text_.npos) break;
      start = nl + 1;
    }
  }

  RuleFileParse Run() {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text_));
    } catch (const YAML::Exception& e) {
      AddAt(e.mark.line + 1, e.mark.column + 1, "", "invalid YAML: " + e.msg);
      return std::move(out_);
    }
    try {
      ParseRoot(root);
    } catch (const YAML::Exception& e) {
      AddAt(e.mark.line + 1, e.mark.column + 1, "", e.msg);
    }
    return std::move(out_);
  }

 private:
  void AddAt(int line, int col, const std::string& where, const std::string& msg) {
    std::string s = file_;
    if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(col);
    s += ": ";
    if (!where.empty()) s += where + ": ";
    out_.errors.push_back(s + msg);
  }
  void Add(const YAML::Node& at, const std::string& where, const std::string& msg) {
    const YAML::Mark m = at.Mark();
    AddAt(m.line >= 0 ? m.line + 1 : 0, m.column + 1, where, msg);
  }

  // Places an "L:C: message" error from inside a scalar at its spot in the file when the
  // scalar's text maps onto the file line for line (plain and quoted one-liners, | blocks);
  // otherwise reports the scalar's start and the position inside it.
  void AddInner(const YAML::Node& scalar, const std::string& where, const std::string& what,
                const std::string& msg) {
    const InnerError inner = SplitPosition(msg);
    const YAML::Mark m = scalar.Mark();
    if (inner.line == 0 || m.line < 0 || static_cast<size_t>(m.line) >= lines_.size()) {
      Add(scalar, where, what + ": " + inner.message);
      return;
    }
    const std::string_view line = lines_[m.line];
    const char first = static_cast<size_t>(m.column) < line.size() ? line[m.column] : '\0';
    if (first == '|' && static_cast<size_t>(m.line) + inner.line < lines_.size()) {
      // A literal block: the text starts on the next line at that line's indentation.
      const std::string_view body = lines_[m.line + 1];
      const size_t indent = body.find_first_not_of(' ');
      AddAt(m.line + 1 + inner.line, static_cast<int>(indent == body.npos ? 0 : indent) + inner.col,
            where, what + ": " + inner.message);
      return;
    }
    const bool quoted = first == '"' || first == '\'';
    if (inner.line == 1 && first != '>' && first != '|') {
      AddAt(m.line + 1, m.column + inner.col + (quoted ? 1 : 0), where,
            what + ": " + inner.message);
      return;
    }
    Add(scalar, where,
        what + " " + std::to_string(inner.line) + ":" + std::to_string(inner.col) + ": " +
            inner.message);
  }

  bool CheckKeys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                 const std::string& where) {
    bool ok = true;
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      bool known = false;
      for (std::string_view a : allowed) known = known || key == a;
      if (!known) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        Add(kv.first, where, "unknown field '" + key + "' (allowed: " + list + ")");
        ok = false;
      }
    }
    return ok;
  }

  void ParseRoot(const YAML::Node& root) {
    if (!root || root.IsNull()) return;  // an empty file has no groups, as in Prometheus
    if (!root.IsMap()) {
      Add(root, "", "a rule file is a mapping with a 'groups' list");
      return;
    }
    CheckKeys(root, {"groups"}, "");
    const YAML::Node groups = root["groups"];
    if (!groups || groups.IsNull()) return;
    if (!groups.IsSequence()) {
      Add(groups, "", "'groups' must be a list");
      return;
    }
    std::set<std::string> names;
    for (const YAML::Node& g : groups) {
      RuleGroupSpec group;
      const bool ok = ParseGroup(g, group);
      if (!group.name.empty() && !names.insert(group.name).second)
        Add(g, "group \"" + group.name + "\"", "group name used twice in this file");
      if (ok) out_.groups.push_back(std::move(group));
    }
  }

  bool ParseGroup(const YAML::Node& g, RuleGroupSpec& group) {
    if (!g.IsMap()) {
      Add(g, "", "a group is a mapping with name, interval and rules");
      return false;
    }
    const YAML::Node name = g["name"];
    if (!name || !name.IsScalar() || name.Scalar().empty()) {
      Add(g, "", "a group needs a non-empty 'name'");
      return false;
    }
    group.name = name.Scalar();
    group.file = file_;
    const std::string where = "group \"" + group.name + "\"";
    bool ok = CheckKeys(g, {"name", "interval", "rules"}, where);
    if (const YAML::Node interval = g["interval"]; interval) {
      auto ms = Duration(interval, where, "interval");
      if (ms && *ms <= 0) {
        Add(interval, where, "interval must be longer than zero");
        ok = false;
      } else if (ms) {
        group.interval_ms = *ms;
      } else {
        ok = false;
      }
    }
    const YAML::Node rules = g["rules"];
    if (rules && !rules.IsNull() && !rules.IsSequence()) {
      Add(rules, where, "'rules' must be a list");
      return false;
    }
    if (rules) {
      for (const YAML::Node& r : rules) {
        RuleSpec rule;
        if (ParseRule(r, where, rule)) {
          group.rules.push_back(std::move(rule));
        } else {
          ok = false;
        }
      }
    }
    return ok;
  }

  std::optional<int64_t> Duration(const YAML::Node& n, const std::string& where,
                                  const std::string& field) {
    if (!n.IsScalar()) {
      Add(n, where, "'" + field + "' must be a duration such as 5m");
      return std::nullopt;
    }
    auto d = ParseDuration(n.Scalar());
    if (!d) {
      Add(n, where, "'" + field + "': " + d.error().message());
      return std::nullopt;
    }
    return d->count();
  }

  bool ParseRule(const YAML::Node& r, const std::string& group_where, RuleSpec& rule) {
    if (!r.IsMap()) {
      Add(r, group_where, "a rule is a mapping with alert or record, and expr");
      return false;
    }
    const YAML::Node alert = r["alert"], record = r["record"];
    if ((alert && record) || (!alert && !record)) {
      Add(r, group_where, "a rule needs exactly one of 'alert' and 'record'");
      return false;
    }
    const YAML::Node& name = alert ? alert : record;
    rule.kind = alert ? RuleSpec::Kind::kAlert : RuleSpec::Kind::kRecord;
    if (!name.IsScalar() || name.Scalar().empty()) {
      Add(name, group_where, std::string("'") + (alert ? "alert" : "record") + "' must be a name");
      return false;
    }
    rule.name = name.Scalar();
    rule.source = file_ + ":" + std::to_string(r.Mark().line + 1);
    const std::string where =
        group_where + ", " + (alert ? "alert" : "record") + " \"" + rule.name + "\"";
    bool ok = true;
    if (alert) {
      ok =
          CheckKeys(r, {"alert", "expr", "for", "keep_firing_for", "labels", "annotations"}, where);
    } else {
      ok = CheckKeys(r, {"record", "expr", "labels"}, where);
      if (!IsValidMetricName(rule.name)) {
        Add(name, where, "a recording rule's name must be a valid metric name");
        ok = false;
      }
    }
    const YAML::Node expr = r["expr"];
    if (!expr || !expr.IsScalar() || expr.Scalar().empty()) {
      Add(expr ? expr : r, where, "'expr' is required");
      ok = false;
    } else {
      rule.expr_text = expr.Scalar();
      auto q = Query::Parse(rule.expr_text);
      if (q) {
        rule.query = std::make_shared<const Query>(std::move(*q));
      } else {
        AddInner(expr, where, "expr", q.error().message());
        ok = false;
      }
    }
    for (auto [field, target] :
         {std::pair{"for", &rule.for_ms}, std::pair{"keep_firing_for", &rule.keep_firing_for_ms}}) {
      if (const YAML::Node n = r[field]; n) {
        auto ms = Duration(n, where, field);
        if (ms) {
          *target = *ms;
        } else {
          ok = false;
        }
      }
    }
    ok = ParseLabels(r["labels"], where, "labels", alert.IsDefined(), rule.labels) && ok;
    ok = ParseLabels(r["annotations"], where, "annotations", true, rule.annotations) && ok;
    return ok;
  }

  bool ParseLabels(const YAML::Node& map, const std::string& where, const std::string& field,
                   bool templated, std::vector<TemplatedLabel>& out) {
    if (!map || map.IsNull()) return true;
    if (!map.IsMap()) {
      Add(map, where, "'" + field + "' must be a mapping of names to strings");
      return false;
    }
    bool ok = true;
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      if (!IsValidLabelName(key) || key == kMetricNameLabel) {
        Add(kv.first, where,
            "'" + key + "' is not a valid " + (field == "labels" ? "label" : "annotation") +
                " name");
        ok = false;
        continue;
      }
      if (!kv.second.IsScalar()) {
        Add(kv.second, where, field + "." + key + " must be a string");
        ok = false;
        continue;
      }
      TemplatedLabel l{key, kv.second.Scalar(), {}};
      auto t = AlertTemplate::Parse(l.text);
      if (!t) {
        AddInner(kv.second, where, field + "." + key + " template", t.error().message());
        ok = false;
        continue;
      }
      if (!templated && !t->is_constant()) {
        Add(kv.second, where, "recording rule labels cannot use templates");
        ok = false;
        continue;
      }
      l.tmpl = std::move(*t);
      out.push_back(std::move(l));
    }
    return ok;
  }

  std::string_view text_;
  const std::string& file_;
  std::vector<std::string_view> lines_;
  RuleFileParse out_;
};

}  // namespace

size_t RuleFileParse::rule_count() const {
  size_t n = 0;
  for (const RuleGroupSpec& g : groups) n += g.rules.size();
  return n;
}

RuleFileParse ParseRuleFile(std::string_view text, const std::string& file) {
  return FileParser(text, file).Run();
}

RuleFileParse LoadRuleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    RuleFileParse out;
    out.errors.push_back(path + ": cannot read the file");
    return out;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseRuleFile(buf.str(), path);
}

}  // namespace failsafe::watch::rules
