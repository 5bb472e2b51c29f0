#pragma once
// Rule files shaped like Prometheus's (docs/watch/rules.md):
//
//   groups:
//     - name: host
//       interval: 15s
//       rules:
//         - alert: HostHighCpu
//           expr: 100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))) >
//           80 for: 5m keep_firing_for: 2m labels: {severity: P2} annotations: {summary: "CPU {{
//           $value | humanize }}% on {{ $labels.instance }}"}
//         - record: instance:node_cpu:rate5m
//           expr: ...
//
// Every error names file:line:column (of the YAML node, or of the spot inside the expression
// or template when it can be placed exactly) and the group and rule.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "watch/rules/alert_template.h"
#include "watch/rules/eval.h"

namespace failsafe::watch::rules {

inline constexpr int64_t kDefaultGroupIntervalMs = 15'000;

struct TemplatedLabel {
  std::string name;
  std::string text;  // as written
  AlertTemplate tmpl;
};

struct RuleSpec {
  enum class Kind { kAlert, kRecord };
  Kind kind = Kind::kAlert;
  std::string name;  // the alert name or the recorded metric name
  std::string expr_text;
  std::shared_ptr<const Query> query;
  int64_t for_ms = 0;
  int64_t keep_firing_for_ms = 0;
  std::vector<TemplatedLabel> labels;       // recording rules: constant values only
  std::vector<TemplatedLabel> annotations;  // alerting rules only
  std::string source;                       // "file:line", for messages and the console
};

struct RuleGroupSpec {
  std::string name;
  std::string file;
  int64_t interval_ms = kDefaultGroupIntervalMs;
  std::vector<RuleSpec> rules;
};

struct RuleFileParse {
  std::vector<RuleGroupSpec> groups;
  std::vector<std::string> errors;  // "file:line:col: group "g", rule "r": message"
  size_t rule_count() const;
};

// Parses a rule file's text; `file` names it in errors. Collects every error it can rather
// than stopping at the first (what `failsafe rules check` prints).
RuleFileParse ParseRuleFile(std::string_view text, const std::string& file);
// Reads and parses `path`; an unreadable file is one error.
RuleFileParse LoadRuleFile(const std::string& path);

}  // namespace failsafe::watch::rules
