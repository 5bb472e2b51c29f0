#include "app/watch_alerts.h"

namespace failsafe::app {

watch::alerts::Alert FromRuleAlert(const watch::rules::PostableAlert& a,
                                   const std::string& generator_url) {
  watch::alerts::Alert out;
  out.labels = a.labels;
  out.annotations = a.annotations;
  out.starts_at = a.starts_at_ms;
  out.ends_at = a.ends_at_ms;
  out.generator_url = generator_url;
  return out;
}

watch::AlertPoster AlertPosterInto(watch::alerts::AlertsModule& alerts,
                                   std::string generator_url) {
  return [&alerts, generator_url = std::move(generator_url)](
             std::vector<watch::rules::PostableAlert> rule_alerts) {
    std::vector<watch::alerts::Alert> batch;
    batch.reserve(rule_alerts.size());
    for (const auto& a : rule_alerts) batch.push_back(FromRuleAlert(a, generator_url));
    alerts.PostInternal(std::move(batch), "rules");
  };
}

}  // namespace failsafe::app
