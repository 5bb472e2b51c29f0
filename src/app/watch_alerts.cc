#include "app/watch_alerts.h"

#include "base/clock.h"

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

watch::alerts::Alert FromLogAlert(const watch::logs::LogAlert& a) {
  watch::alerts::Alert out;
  for (const auto& [k, v] : a.labels) out.labels.push_back({k, v});
  for (const auto& [k, v] : a.annotations) out.annotations.push_back({k, v});
  if (!a.line.empty()) out.annotations.push_back({"line", a.line});
  out.starts_at = a.time_ms;
  out.generator_url = "/watch/logs";
  return out;
}

watch::LogAlertPoster LogAlertPosterInto(watch::alerts::AlertsModule& alerts) {
  return [&alerts](std::vector<watch::logs::LogAlert> log_alerts) {
    std::vector<watch::alerts::Alert> batch;
    batch.reserve(log_alerts.size());
    for (const auto& a : log_alerts) batch.push_back(FromLogAlert(a));
    alerts.PostInternal(std::move(batch), "logs");
  };
}

watch::AlertPoster AlertPosterInto(watch::alerts::AlertsModule& alerts, std::string generator_url) {
  return [&alerts, generator_url = std::move(generator_url)](
             std::vector<watch::rules::PostableAlert> rule_alerts) {
    std::vector<watch::alerts::Alert> batch;
    batch.reserve(rule_alerts.size());
    for (const auto& a : rule_alerts) batch.push_back(FromRuleAlert(a, generator_url));
    alerts.PostInternal(std::move(batch), "rules");
  };
}

backup::service::AlertSink BackupAlertSinkInto(watch::alerts::AlertsModule& alerts,
                                               std::string generator_url) {
  return [&alerts, generator_url = std::move(generator_url)](
             std::vector<backup::service::BackupAlert> backup_alerts) {
    std::vector<watch::alerts::Alert> batch;
    batch.reserve(backup_alerts.size());
    const int64_t now = SystemClock::Instance().NowMillis();
    for (const auto& a : backup_alerts) {
      watch::alerts::Alert out;
      for (const auto& [k, v] : a.labels) out.labels.push_back({k, v});
      for (const auto& [k, v] : a.annotations) out.annotations.push_back({k, v});
      out.starts_at = a.starts_at;
      if (!a.firing) out.ends_at = now;
      out.generator_url = generator_url;
      batch.push_back(std::move(out));
    }
    alerts.PostInternal(std::move(batch), "backup");
  };
}

}  // namespace failsafe::app
