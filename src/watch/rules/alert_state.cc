#include "watch/rules/alert_state.h"

#include <set>

#include "base/clock.h"
#include "base/json.h"
#include "watch/rules/vector_ops.h"

namespace failsafe::watch::rules {

std::string_view AlertStateName(AlertState s) {
  switch (s) {
    case AlertState::kInactive: return "inactive";
    case AlertState::kPending: return "pending";
    case AlertState::kFiring: return "firing";
  }
  return "inactive";
}

namespace {

// Replaces or adds `name`, keeping the set sorted.
void SetLabel(Labels& labels, const std::string& name, std::string value) {
  for (Label& l : labels) {
    if (l.name == name) {
      l.value = std::move(value);
      return;
    }
  }
  labels.push_back({name, std::move(value)});
}

Labels Sorted(Labels labels) {
  std::erase_if(labels, [](const Label& l) { return l.value.empty(); });
  std::sort(labels.begin(), labels.end());
  return labels;
}

}  // namespace

Status AlertingRule::Eval(const SeriesQuerier& series, int64_t t_ms) {
  auto result = spec_.query->Eval(series, t_ms);
  if (!result) return result.error();
  std::map<uint64_t, Alert> seen;
  for (InstantSample& s : *result) {
    // Templates see the series' own labels (without __name__), as in Prometheus.
    const Labels series_labels = DropMetricName(std::move(s.labels));
    Labels labels = series_labels;
    for (const TemplatedLabel& l : spec_.labels)
      SetLabel(labels, l.name, l.tmpl.Render(series_labels, s.value));
    SetLabel(labels, "alertname", spec_.name);
    labels = Sorted(std::move(labels));
    Labels annotations;
    for (const TemplatedLabel& a : spec_.annotations)
      SetLabel(annotations, a.name, a.tmpl.Render(series_labels, s.value));
    const uint64_t fp = Fingerprint(labels);
    Alert a;
    a.labels = std::move(labels);
    a.annotations = Sorted(std::move(annotations));
    a.value = s.value;
    if (!seen.emplace(fp, std::move(a)).second) {
      return InvalidArgument("rule \"" + spec_.name +
                             "\": the expression returned two series with the same labels "
                             "after adding the rule's labels: " +
                             FormatLabels(seen.at(fp).labels));
    }
  }
  for (auto& [fp, fresh] : seen) {
    auto it = alerts_.find(fp);
    if (it != alerts_.end() && it->second.state != AlertState::kInactive) {
      Alert& a = it->second;
      a.value = fresh.value;
      a.annotations = std::move(fresh.annotations);
      a.keep_firing_since_ms = 0;  // the condition holds again
      continue;
    }
    fresh.state = AlertState::kPending;
    fresh.active_at_ms = t_ms;
    alerts_[fp] = std::move(fresh);
  }
  for (auto it = alerts_.begin(); it != alerts_.end();) {
    Alert& a = it->second;
    if (!seen.contains(it->first)) {
      bool keep_firing = false;
      if (a.state == AlertState::kFiring && spec_.keep_firing_for_ms > 0) {
        if (a.keep_firing_since_ms == 0) a.keep_firing_since_ms = t_ms;
        keep_firing = t_ms - a.keep_firing_since_ms < spec_.keep_firing_for_ms;
      }
      if (a.state == AlertState::kPending ||
          (a.state == AlertState::kInactive && t_ms - a.resolved_at_ms > kResolvedRetentionMs)) {
        it = alerts_.erase(it);
        continue;
      }
      if (a.state != AlertState::kInactive && !keep_firing) {
        a.state = AlertState::kInactive;
        a.resolved_at_ms = t_ms;
      }
      ++it;
      continue;
    }
    if (a.state == AlertState::kPending && t_ms - a.active_at_ms >= spec_.for_ms) {
      a.state = AlertState::kFiring;
      a.fired_at_ms = t_ms;
    }
    ++it;
  }
  return Status::Ok();
}

std::vector<PostableAlert> AlertingRule::ToSend(int64_t t_ms, int64_t valid_for_ms) const {
  std::vector<PostableAlert> out;
  for (const auto& [fp, a] : alerts_) {
    if (a.state == AlertState::kPending) continue;
    PostableAlert p;
    p.labels = a.labels;
    p.annotations = a.annotations;
    p.starts_at_ms = a.fired_at_ms;
    p.ends_at_ms = a.state == AlertState::kInactive ? a.resolved_at_ms : t_ms + valid_for_ms;
    p.state = a.state;
    p.value = a.value;
    p.active_at_ms = a.active_at_ms;
    out.push_back(std::move(p));
  }
  return out;
}

std::string PostableAlertsJson(const std::vector<PostableAlert>& alerts,
                               std::string_view generator_url) {
  boost::json::array out;
  for (const PostableAlert& a : alerts) {
    boost::json::object labels, annotations;
    for (const Label& l : a.labels) labels[l.name] = l.value;
    for (const Label& l : a.annotations) annotations[l.name] = l.value;
    out.push_back(boost::json::object{{"labels", std::move(labels)},
                                      {"annotations", std::move(annotations)},
                                      {"startsAt", FormatRfc3339(a.starts_at_ms)},
                                      {"endsAt", FormatRfc3339(a.ends_at_ms)},
                                      {"generatorURL", generator_url}});
  }
  return json::Serialize(out);
}

AlertState AlertingRule::state() const {
  AlertState s = AlertState::kInactive;
  for (const auto& [fp, a] : alerts_) {
    if (a.state == AlertState::kFiring) return AlertState::kFiring;
    if (a.state == AlertState::kPending) s = AlertState::kPending;
  }
  return s;
}

}  // namespace failsafe::watch::rules
