#include "watch/rules/rule_group.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace failsafe::watch::rules {

RuleGroup::RuleGroup(RuleGroupSpec spec) : name_(spec.name), interval_ms_(spec.interval_ms) {
  for (RuleSpec& r : spec.rules) {
    if (r.kind == RuleSpec::Kind::kAlert) {
      rules_.emplace_back(AlertingRule(std::move(r)));
    } else {
      rules_.emplace_back(std::move(r));
    }
  }
  health_.resize(rules_.size());
}

const RuleSpec& RuleGroup::spec(size_t i) const {
  if (const auto* a = std::get_if<AlertingRule>(&rules_[i])) return a->spec();
  return std::get<RuleSpec>(rules_[i]);
}

GroupResult RuleGroup::Evaluate(const SeriesQuerier& series, SampleSink* sink, int64_t t_ms) {
  GroupResult out;
  const int64_t valid_for = 4 * std::max(interval_ms_, kResendDelayMs);
  for (size_t i = 0; i < rules_.size(); ++i) {
    const auto start = std::chrono::steady_clock::now();
    Status status;
    if (auto* alerting = std::get_if<AlertingRule>(&rules_[i])) {
      status = alerting->Eval(series, t_ms);
      for (PostableAlert& a : alerting->ToSend(t_ms, valid_for)) out.alerts.push_back(std::move(a));
      if (status.ok() && sink) {
        // ALERTS{alertname, alertstate, ...} = 1 for pending and firing alerts, as Prometheus
        // records them, so rules and charts can use the alert history.
        for (const auto& [fp, a] : alerting->alerts()) {
          if (a.state == AlertState::kInactive) continue;
          std::vector<Label> labels = a.labels;
          std::erase_if(labels, [](const Label& l) { return l.name == "alertstate"; });
          labels.push_back({std::string(kMetricNameLabel), "ALERTS"});
          labels.push_back({"alertstate", std::string(AlertStateName(a.state))});
          auto made = MakeLabels(std::move(labels));
          if (made) {
            sink->Append(*made, {t_ms, 1});
            ++out.samples_recorded;
          }
        }
      }
    } else {
      status = Record(std::get<RuleSpec>(rules_[i]), series, sink, t_ms, out.samples_recorded);
    }
    RuleHealth& h = health_[i];
    h.last_eval_ms = t_ms;
    h.last_duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    h.last_error = status.ok() ? "" : status.message();
    if (!status.ok()) out.errors.push_back(name_ + "/" + spec(i).name + ": " + status.message());
  }
  return out;
}

Status RuleGroup::Record(const RuleSpec& rule, const SeriesQuerier& series, SampleSink* sink,
                         int64_t t_ms, size_t& recorded) {
  auto result = rule.query->Eval(series, t_ms);
  if (!result) return result.error();
  std::vector<Labels> out;
  std::set<uint64_t> seen;
  for (InstantSample& s : *result) {
    std::vector<Label> labels = std::move(s.labels);
    std::erase_if(labels, [&](const Label& l) {
      if (l.name == kMetricNameLabel) return true;
      for (const TemplatedLabel& r : rule.labels)
        if (r.name == l.name) return true;
      return false;
    });
    labels.push_back({std::string(kMetricNameLabel), rule.name});
    for (const TemplatedLabel& r : rule.labels) labels.push_back({r.name, r.text});
    auto made = MakeLabels(std::move(labels));
    if (!made) return made.error();
    if (!seen.insert(Fingerprint(*made)).second)
      return InvalidArgument("the result has two series with the same labels after naming them " +
                             FormatLabels(*made));
    out.push_back(std::move(*made));
  }
  if (!sink) return Status::Ok();
  for (size_t i = 0; i < out.size(); ++i) {
    sink->Append(out[i], {t_ms, (*result)[i].value});
    ++recorded;
  }
  return Status::Ok();
}

}  // namespace failsafe::watch::rules
