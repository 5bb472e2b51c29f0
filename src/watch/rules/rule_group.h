#pragma once
// A rule group evaluated as a unit at one time: rules in file order, so a recording rule's
// output (written through the SampleSink) is visible to the rules after it when the sink is
// the store the querier reads. The caller owns the schedule (every interval_ms).
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "watch/rules/alert_state.h"
#include "watch/rules/rule_file.h"

namespace failsafe::watch::rules {

// Prometheus's resend delay: a firing alert's endsAt is at least 4 of these ahead.
inline constexpr int64_t kResendDelayMs = 60'000;

struct RuleHealth {
  std::string last_error;  // empty when the last evaluation succeeded
  int64_t last_eval_ms = 0;
  int64_t last_duration_ns = 0;
};

struct GroupResult {
  std::vector<PostableAlert> alerts;  // firing and recently resolved, ready to post
  std::vector<std::string> errors;    // one per failed rule: "group/rule: message"
  size_t samples_recorded = 0;        // by recording rules and ALERTS series
};

class RuleGroup {
 public:
  explicit RuleGroup(RuleGroupSpec spec);

  // Evaluates every rule at `t_ms`. `sink` may be null (nothing recorded). A failing rule is
  // reported and skipped; the others still run.
  GroupResult Evaluate(const SeriesQuerier& series, SampleSink* sink, int64_t t_ms);

  const std::string& name() const { return name_; }
  int64_t interval_ms() const { return interval_ms_; }
  size_t size() const { return rules_.size(); }
  // The alerting rule at `i`, or null for a recording rule.
  const AlertingRule* alerting(size_t i) const { return std::get_if<AlertingRule>(&rules_[i]); }
  const RuleSpec& spec(size_t i) const;
  const RuleHealth& health(size_t i) const { return health_[i]; }

 private:
  Status Record(const RuleSpec& rule, const SeriesQuerier& series, SampleSink* sink, int64_t t_ms,
                size_t& recorded);

  std::string name_;
  int64_t interval_ms_;
  std::vector<std::variant<AlertingRule, RuleSpec>> rules_;
  std::vector<RuleHealth> health_;
};

}  // namespace failsafe::watch::rules
