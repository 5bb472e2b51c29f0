#pragma once
// The life of the alerts of one alerting rule, one per label set, as Prometheus keeps them:
// inactive -> pending when the expression returns the series -> firing once it has for `for`;
// after the series disappears it keeps firing for `keep_firing_for`, then is resolved and
// reported as such for 15 minutes (so a receiver that missed the end still learns it).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "watch/rules/eval.h"
#include "watch/rules/rule_file.h"

namespace failsafe::watch::rules {

enum class AlertState { kInactive, kPending, kFiring };
std::string_view AlertStateName(AlertState s);  // "inactive", "pending", "firing"

struct Alert {
  Labels labels;       // series labels minus __name__, plus rule labels, plus alertname
  Labels annotations;  // rendered; sorted by name
  AlertState state = AlertState::kPending;
  double value = 0;
  int64_t active_at_ms = 0;  // when the expression first returned it
  int64_t fired_at_ms = 0;   // when it became firing (0 if never)
  int64_t resolved_at_ms = 0;
  int64_t keep_firing_since_ms = 0;
};

// What a notifier sends: Alertmanager's postable alert (labels, annotations, startsAt,
// endsAt), plus the state and value for the console. A firing alert's endsAt lies in the
// future (it is renewed every evaluation); a resolved one's is its resolution time.
struct PostableAlert {
  Labels labels;
  Labels annotations;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  AlertState state = AlertState::kFiring;  // kInactive: resolved
  double value = 0;
  int64_t active_at_ms = 0;
};

inline constexpr int64_t kResolvedRetentionMs = 15 * 60 * 1000;

// The body of Alertmanager's POST /api/v2/alerts for `alerts`: a JSON array of
// {labels, annotations, startsAt, endsAt, generatorURL} (times in RFC 3339).
std::string PostableAlertsJson(const std::vector<PostableAlert>& alerts,
                               std::string_view generator_url);

class AlertingRule {
 public:
  explicit AlertingRule(RuleSpec spec) : spec_(std::move(spec)) {}

  // Evaluates at `t_ms` and advances every alert's state. Fails (changing nothing) when the
  // query fails or two series give the same alert label set.
  Status Eval(const SeriesQuerier& series, int64_t t_ms);

  // Firing and recently resolved alerts (pending ones are not sent, as in Prometheus).
  // `valid_for_ms`: how far ahead of `t_ms` a firing alert's endsAt is set.
  std::vector<PostableAlert> ToSend(int64_t t_ms, int64_t valid_for_ms) const;

  const RuleSpec& spec() const { return spec_; }
  const std::map<uint64_t, Alert>& alerts() const { return alerts_; }
  // The rule's overall state: firing if any alert fires, else pending if any is pending.
  AlertState state() const;

 private:
  RuleSpec spec_;
  std::map<uint64_t, Alert> alerts_;  // by fingerprint of the alert's labels
};

}  // namespace failsafe::watch::rules
