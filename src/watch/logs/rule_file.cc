#include "watch/logs/rule_file.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "base/duration.h"

namespace failsafe::watch::logs {
namespace {

constexpr size_t kMaxRuleFileBytes = 8 * 1024 * 1024;
constexpr size_t kMaxRules = 10'000;
constexpr size_t kMaxPatternsPerRule = 1'000;

const std::set<std::string> kRuleKeys = {"name",           "match",       "ignore",     "filter",
                                         "filter_options", "threshold",   "rate",       "severity",
                                         "labels",         "annotations", "description"};

class Parser {
 public:
  Parser(std::string file, std::string dir) : file_(std::move(file)), dir_(std::move(dir)) {}

  std::string At(const YAML::Node& node) const {
    const auto mark = node.Mark();
    return file_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }
  Status Fail(const YAML::Node& node, const std::string& what) const {
    std::string rule = rule_.empty() ? "" : "rule '" + rule_ + "': ";
    return InvalidArgument(At(node) + ": " + rule + what);
  }

  Result<std::vector<LogRule>> Parse(const YAML::Node& root) {
    if (!root.IsMap()) return Err(Fail(root, "expected a map with 'log_rules:'"));
    for (const auto& kv : root) {
      const auto key = kv.first.as<std::string>();
      if (key != "log_rules")
        return Err(Fail(kv.first, "unknown key '" + key + "' (expected log_rules)"));
    }
    const YAML::Node list = root["log_rules"];
    if (!list.IsSequence()) return Err(Fail(list, "log_rules: expected a list of rules"));
    if (list.size() > kMaxRules) return Err(Fail(list, "log_rules: more than 10000 rules"));
    std::vector<LogRule> rules;
    std::set<std::string> names;
    for (const auto& node : list) {
      rule_.clear();
      FS_ASSIGN_OR_RETURN(LogRule rule, ParseRule(node));
      if (!names.insert(rule.name).second) return Err(Fail(node["name"], "name used twice"));
      rules.push_back(std::move(rule));
    }
    return rules;
  }

 private:
  Result<std::string> Scalar(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) return Err(Fail(node, key + ": expected a single value"));
    return node.as<std::string>();
  }

  Result<std::vector<RegexSource>> Regexes(const YAML::Node& node, const std::string& key) const {
    std::vector<RegexSource> out;
    auto one = [&](const YAML::Node& n) -> Status {
      if (!n.IsScalar()) return Fail(n, key + ": expected a regex string");
      if (n.as<std::string>().empty()) return Fail(n, key + ": empty regex");
      out.push_back({n.as<std::string>(), At(n) + ": rule '" + rule_ + "': " + key});
      return Status::Ok();
    };
    if (node.IsSequence()) {
      if (node.size() == 0) return Err(Fail(node, key + ": empty list"));
      if (node.size() > kMaxPatternsPerRule)
        return Err(Fail(node, key + ": more than 1000 regexes"));
      for (const auto& n : node) FS_RETURN_IF_ERROR(one(n));
    } else {
      FS_RETURN_IF_ERROR(one(node));
    }
    return out;
  }

  Result<int64_t> Duration(const YAML::Node& node, const std::string& key) const {
    FS_ASSIGN_OR_RETURN(std::string text, Scalar(node, key));
    auto d = ParseDuration(text);
    if (!d || d->count() <= 0) {
      return Err(Fail(node, key + ": bad duration '" + text + "' (e.g. 60s, 5m, 1h)"));
    }
    return d->count();
  }

  Result<int64_t> Integer(const YAML::Node& node, const std::string& key, int64_t min,
                          int64_t max) const {
    FS_ASSIGN_OR_RETURN(std::string text, Scalar(node, key));
    int64_t v = 0;
    std::istringstream in(text);
    if (!(in >> v) || !in.eof() || v < min || v > max) {
      return Err(Fail(node, key + ": expected a whole number from " + std::to_string(min) + " to " +
                                std::to_string(max) + ", got '" + text + "'"));
    }
    return v;
  }

  Status CheckKeys(const YAML::Node& map, const std::set<std::string>& allowed,
                   const std::string& prefix) const {
    if (!map.IsMap()) return Fail(map, prefix + ": expected a map");
    for (const auto& kv : map) {
      const auto key = kv.first.as<std::string>();
      if (!allowed.count(key)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        return Fail(kv.first, "unknown key '" + prefix + (prefix.empty() ? "" : ".") + key +
                                  "' (known: " + list + ")");
      }
    }
    return Status::Ok();
  }

  Result<std::map<std::string, std::string>> StringMap(const YAML::Node& node,
                                                       const std::string& key) const {
    if (!node.IsMap()) return Err(Fail(node, key + ": expected a map of strings"));
    std::map<std::string, std::string> out;
    for (const auto& kv : node) {
      const auto name = kv.first.as<std::string>();
      if (kv.second.IsMap()) {  // summary: {en: ..., zh-CN: ...}
        for (const auto& lang : kv.second) {
          const auto l = lang.first.as<std::string>();
          FS_ASSIGN_OR_RETURN(std::string v, Scalar(lang.second, key + "." + name + "." + l));
          out[l == "en" ? name : name + "." + l] = v;
        }
        continue;
      }
      FS_ASSIGN_OR_RETURN(std::string v, Scalar(kv.second, key + "." + name));
      out[name] = v;
    }
    return out;
  }

  Result<LogRule> ParseRule(const YAML::Node& node) {
    if (!node.IsMap()) return Err(Fail(node, "a rule must be a map (name, match, ...)"));
    LogRule rule;
    rule.where = At(node);
    if (!node["name"]) return Err(Fail(node, "rule without 'name'"));
    FS_ASSIGN_OR_RETURN(rule.name, Scalar(node["name"], "name"));
    rule_ = rule.name;
    if (rule.name.empty() || rule.name.size() > 128 ||
        rule.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                    "_.-") != std::string::npos) {
      return Err(Fail(node["name"], "name: letters, digits, '_', '.', '-' only (1..128)"));
    }
    FS_RETURN_IF_ERROR(CheckKeys(node, kRuleKeys, ""));
    if (node["match"]) {
      FS_ASSIGN_OR_RETURN(rule.match, Regexes(node["match"], "match"));
    }
    if (node["ignore"]) {
      FS_ASSIGN_OR_RETURN(rule.ignore, Regexes(node["ignore"], "ignore"));
    }
    if (node["filter"]) {
      FS_ASSIGN_OR_RETURN(std::string f, Scalar(node["filter"], "filter"));
      std::filesystem::path p(f);
      rule.filter = p.is_relative() ? (std::filesystem::path(dir_) / p).string() : f;
    }
    if (node["filter_options"]) {
      FS_ASSIGN_OR_RETURN(rule.filter_options, StringMap(node["filter_options"], "filter_options"));
    }
    if (!rule.match.empty() && !rule.filter.empty()) {
      return Err(Fail(node["filter"], "match and filter together: a rule takes one or the other"));
    }
    if (rule.match.empty() && rule.filter.empty()) {
      return Err(Fail(node, "needs 'match' (regexes) or 'filter' (a fail2ban filter file)"));
    }
    if (node["threshold"]) {
      const YAML::Node t = node["threshold"];
      FS_RETURN_IF_ERROR(CheckKeys(t, {"count", "within", "by"}, "threshold"));
      if (!t["count"] || !t["within"]) {
        return Err(
            Fail(t, "threshold: needs count and within ({count: 5, within: 60s, by: HOST})"));
      }
      Threshold th;
      FS_ASSIGN_OR_RETURN(int64_t count, Integer(t["count"], "threshold.count", 1, 1'000'000));
      th.count = static_cast<int>(count);
      FS_ASSIGN_OR_RETURN(th.within_ms, Duration(t["within"], "threshold.within"));
      if (t["by"]) {
        FS_ASSIGN_OR_RETURN(th.by, Scalar(t["by"], "threshold.by"));
      }
      rule.threshold = th;
    }
    if (node["rate"]) {
      const YAML::Node r = node["rate"];
      FS_RETURN_IF_ERROR(CheckKeys(r, {"factor", "per", "baseline", "min_count"}, "rate"));
      if (!r["factor"])
        return Err(Fail(r, "rate: needs factor ({factor: 5, per: 1m, baseline: 1h})"));
      RateThreshold rt;
      FS_ASSIGN_OR_RETURN(std::string factor, Scalar(r["factor"], "rate.factor"));
      char* end = nullptr;
      rt.factor = std::strtod(factor.c_str(), &end);
      if (end == factor.c_str() || *end != '\0' || !(rt.factor > 0) || rt.factor > 1e6) {
        return Err(
            Fail(r["factor"], "rate.factor: expected a number above 0, got '" + factor + "'"));
      }
      if (r["per"]) {
        FS_ASSIGN_OR_RETURN(rt.per_ms, Duration(r["per"], "rate.per"));
      }
      if (r["baseline"]) {
        FS_ASSIGN_OR_RETURN(rt.baseline_ms, Duration(r["baseline"], "rate.baseline"));
      }
      if (r["min_count"]) {
        FS_ASSIGN_OR_RETURN(rt.min_count,
                            Integer(r["min_count"], "rate.min_count", 1, 1'000'000'000));
      }
      if (rt.baseline_ms < rt.per_ms || rt.baseline_ms / rt.per_ms > 100'000) {
        return Err(Fail(r, "rate: baseline must be 1 to 100000 times per"));
      }
      rule.rate = rt;
    }
    if (rule.rate && rule.threshold) {
      return Err(Fail(node["rate"], "rate and threshold together: pick one per rule"));
    }
    if (node["severity"]) {
      FS_ASSIGN_OR_RETURN(rule.severity, Scalar(node["severity"], "severity"));
      if (rule.severity != "P1" && rule.severity != "P2" && rule.severity != "P3" &&
          rule.severity != "P4") {
        return Err(Fail(node["severity"],
                        "severity: expected P1, P2, P3 or P4, got '" + rule.severity + "'"));
      }
    }
    if (node["labels"]) {
      FS_ASSIGN_OR_RETURN(rule.labels, StringMap(node["labels"], "labels"));
    }
    if (node["annotations"]) {
      FS_ASSIGN_OR_RETURN(rule.annotations, StringMap(node["annotations"], "annotations"));
    }
    if (node["description"]) {
      FS_ASSIGN_OR_RETURN(rule.annotations["description"],
                          Scalar(node["description"], "description"));
    }
    return rule;
  }

  std::string file_, dir_;
  std::string rule_;
};

}  // namespace

Result<std::vector<LogRule>> ParseRuleFile(std::string_view text, const std::string& file,
                                           const std::string& dir) {
  if (text.size() > kMaxRuleFileBytes) return Err(InvalidArgument(file + ": larger than 8 MiB"));
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Err(InvalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                               std::to_string(e.mark.column + 1) + ": " + e.msg));
  }
  try {
    return Parser(file, dir).Parse(root);
  } catch (const YAML::Exception& e) {
    // Conversions of odd nodes (a map used as a key): report, never crash.
    return Err(InvalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                               std::to_string(e.mark.column + 1) + ": " + e.msg));
  }
}

Result<std::vector<LogRule>> ReadRuleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Err(NotFound(path + ": cannot read the rule file"));
  std::ostringstream text;
  text << in.rdbuf();
  const auto dir = std::filesystem::path(path).parent_path().string();
  return ParseRuleFile(text.str(), path, dir.empty() ? "." : dir);
}

}  // namespace failsafe::watch::logs
