#include "watch/alerts/muting.h"

namespace failsafe::watch::alerts {
namespace {

std::string EqualKey(const std::vector<std::string>& equal, const Labels& labels) {
  std::string key;
  for (const auto& name : equal) {
    key += LabelValue(labels, name);
    key += '\xff';
  }
  return key;
}

}  // namespace

Inhibitor::Inhibitor(const std::vector<InhibitRule>& rules, const LiveAlerts& live, int64_t now_ms)
    : rules_(rules), sources_(rules.size()) {
  if (rules.empty()) return;
  live.ForEach([&](const Alert& a) {
    if (a.Resolved(now_ms)) return;
    for (size_t i = 0; i < rules_.size(); ++i) {
      if (MatchesAll(rules_[i].source, a.labels)) {
        sources_[i].try_emplace(EqualKey(rules_[i].equal, a.labels), a.fingerprint);
      }
    }
  });
}

std::vector<std::string> Inhibitor::InhibitedBy(const Alert& alert) const {
  std::vector<std::string> out;
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (sources_[i].empty() || !MatchesAll(rules_[i].target, alert.labels)) continue;
    auto it = sources_[i].find(EqualKey(rules_[i].equal, alert.labels));
    if (it != sources_[i].end() && it->second != alert.fingerprint) {
      out.push_back(FingerprintHex(it->second));
    }
  }
  return out;
}

MuteState Muters::StateOf(const Alert& alert, std::string_view service, int64_t now_ms) const {
  MuteState s;
  s.silenced_by = silences.Muting(alert.labels, now_ms);
  s.inhibited_by = inhibitor.InhibitedBy(alert);
  if (auto w = maintenance.Covering(service, now_ms)) s.maintenance_id = w->id;
  return s;
}

}  // namespace failsafe::watch::alerts
